import type { MessageKey } from '../shared/i18n';

export type SessionStatus = 'open' | 'paused' | 'closed';

/** One OPD session as GET /api/sessions describes it (SessionSummary). */
export interface DoctorSession {
  id: string;
  facilityId: string;
  specialty?: string;
  doctors: { name: string }[];
  startsAt: string;
  endsAt: string;
  capacity: number;
  placesTaken: number;
  waiting: number;
  status: SessionStatus;
}

export type SessionAction = 'pause' | 'resume' | 'close';

/** The hub method of each action (Queue/QueueHub.cs); the server decides again whether it is allowed. */
export const sessionHubMethods: Record<SessionAction, string> = { pause: 'PauseSession', resume: 'ResumeSession', close: 'CloseSession' };

/** What the doctor may do to a session in its state: a closed session stays closed. */
export function sessionActions(status: SessionStatus): SessionAction[] {
  switch (status) {
    case 'open': return ['pause', 'close'];
    case 'paused': return ['resume', 'close'];
    default: return [];
  }
}

/** Earliest first, so the session running now is at the top. */
export function byStart(sessions: DoctorSession[]): DoctorSession[] {
  return [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

/** The values of the new-session form, as typed (datetime-local is the browser's local time). */
export interface NewSessionForm { facilityId: string; startsAt: string; endsAt: string; capacity: string; specialty: string; slotMinutes: string }

/** The POST /api/sessions body, or the message for the first thing to correct; the server checks everything again. */
export function newSessionRequest(form: NewSessionForm): { request: Record<string, unknown> } | { error: MessageKey } {
  if (!form.facilityId) return { error: 'doctor.noFacility' };
  if (!form.startsAt || !form.endsAt) return { error: 'doctor.timesRequired' };
  const startsAt = new Date(form.startsAt);
  const endsAt = new Date(form.endsAt);
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) return { error: 'doctor.timesRequired' };
  if (endsAt <= startsAt) return { error: 'doctor.endBeforeStart' };
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  return {
    request: {
      facilityId: form.facilityId,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      capacity: number(form.capacity),
      specialty: form.specialty.trim() || undefined,
      slotMinutes: number(form.slotMinutes),
    },
  };
}

/** A datetime-local value ("2026-11-25T09:00") for a moment, in the browser's time zone. */
export function localInputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
