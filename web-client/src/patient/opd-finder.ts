/** An OPD session as GET /api/sessions lists it (Queue/QueueEndpoints.cs, SessionSummary). */
export interface OpdSession {
  id: string;
  facilityId: string;
  doctors: { id: string; name: string; specialty?: string | null }[];
  startsAt: string;
  endsAt: string;
  feePaise: number;
  capacity: number;
  placesTaken: number;
  waiting: number;
  specialty?: string | null;
  status: 'open' | 'paused' | 'closed';
}

export interface Facility { id: string; name: string; district?: string; state?: string }
export interface DoctorListing { id: string; name: string; specialty?: string | null; qualification: string }

/** What the patient narrowed the list to; empty means any. */
export interface OpdFilters { facilityId: string; specialty: string; doctorId: string }

export const noFilters: OpdFilters = { facilityId: '', specialty: '', doctorId: '' };

/** The server filters by facility and doctor itself (fewer sessions over a slow line); specialty is matched here. */
export function sessionsPath(filters: OpdFilters): string {
  const query = new URLSearchParams();
  if (filters.facilityId) query.set('facilityId', filters.facilityId);
  if (filters.doctorId) query.set('doctorId', filters.doctorId);
  const text = query.toString();
  return text ? `/api/sessions?${text}` : '/api/sessions';
}

/** A session's specialties: its own, else those of its doctors. */
function specialtiesOfSession(session: OpdSession): string[] {
  return session.specialty ? [session.specialty] : session.doctors.flatMap(d => (d.specialty ? [d.specialty] : []));
}

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0;

export function matchesFilters(session: OpdSession, filters: OpdFilters): boolean {
  return (!filters.facilityId || session.facilityId === filters.facilityId)
    && (!filters.doctorId || session.doctors.some(d => d.id === filters.doctorId))
    && (!filters.specialty || specialtiesOfSession(session).some(s => same(s, filters.specialty)));
}

/** The specialties a patient can pick from: every registered doctor's, so the choice does not shrink as the list does. */
export function specialtyChoices(doctors: readonly DoctorListing[], sessions: readonly OpdSession[]): string[] {
  const all = [...doctors.flatMap(d => (d.specialty ? [d.specialty] : [])), ...sessions.flatMap(specialtiesOfSession)];
  const unique: string[] = [];
  for (const name of all) if (!unique.some(u => same(u, name))) unique.push(name);
  return unique.sort((a, b) => a.localeCompare(b));
}

/** Open sessions first (a paused one may resume), then by start; a full session is still listed, to say it is full. */
export function visibleSessions(sessions: readonly OpdSession[], filters: OpdFilters): OpdSession[] {
  const rank = (s: OpdSession) => (s.status === 'open' ? 0 : 1);
  return sessions.filter(s => s.status !== 'closed' && matchesFilters(s, filters))
    .sort((a, b) => rank(a) - rank(b) || a.startsAt.localeCompare(b.startsAt));
}

export function isFull(session: OpdSession): boolean {
  return session.placesTaken >= session.capacity;
}
