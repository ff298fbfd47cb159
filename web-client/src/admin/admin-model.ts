import type { MessageKey } from '../shared/i18n';

/** What the admin pages show and send, without the page: the forms' fields, staff grouping, the day's figures. */

export type StaffRole = 'doctor' | 'pharmacist' | 'health-worker' | 'health-officer' | 'admin';
export const staffRoles: StaffRole[] = ['doctor', 'pharmacist', 'health-worker', 'health-officer', 'admin'];

export interface StaffMember {
  id: string;
  role: StaffRole;
  name: string;
  email: string;
  active: boolean;
  doctor?: {
    hprId: string; qualification: string; registrationNumber: string; stateCouncil: string; specialty?: string; facilityIds: string[];
    hpr?: { status: RegistryStatus; proceedReason?: string | null } | null;
  };
  pharmacist?: { registrationNumber: string; stateCouncil: string; pharmacyId: string };
}

export interface Place { id: string; name: string; district: string; state: string; hfrId?: string; licenceNumber?: string }

export interface SessionFigures {
  placesTaken: number; waiting: number; withDoctor: number; seen: number; skipped: number; noShows: number; cancelledOrLeft: number;
  longestWaitMinutes: number | null;
  /** Bookings not checked in yet, and those missed (not checked in by the grace time). */
  bookedAhead: number; bookingsMissed: number;
}

export interface SessionOfTheDay {
  id: string; facilityId: string; facilityName: string; doctors: { id: string; name: string }[];
  startsAt: string; endsAt: string; specialty?: string; status: 'open' | 'paused' | 'closed'; capacity: number; figures: SessionFigures;
}

/** Where a session stands for the admin: its own status, or where the clock puts it (a session nobody closed still ends). */
export type SessionPhase = 'upcoming' | 'open' | 'paused' | 'closed' | 'ended';

export function sessionPhase(session: Pick<SessionOfTheDay, 'status' | 'startsAt' | 'endsAt'>, now: Date): SessionPhase {
  if (session.status === 'closed') return 'closed';
  if (now >= new Date(session.endsAt)) return 'ended';
  if (now < new Date(session.startsAt)) return 'upcoming';
  return session.status;
}

export function sessionsInPhase(sessions: SessionOfTheDay[], phase: SessionPhase | '', now: Date) {
  return phase === '' ? sessions : sessions.filter(session => sessionPhase(session, now) === phase);
}

export type DayTotals = Omit<SessionFigures, 'longestWaitMinutes' | 'skipped' | 'bookedAhead' | 'bookingsMissed'> & { sessions: number };

/** The day's figures added up over the sessions shown. */
export function dayTotals(sessions: SessionOfTheDay[]): DayTotals {
  const totals: DayTotals = { sessions: sessions.length, placesTaken: 0, waiting: 0, withDoctor: 0, seen: 0, noShows: 0, cancelledOrLeft: 0 };
  for (const { figures } of sessions) {
    totals.placesTaken += figures.placesTaken;
    totals.waiting += figures.waiting;
    totals.withDoctor += figures.withDoctor;
    totals.seen += figures.seen;
    totals.noShows += figures.noShows;
    totals.cancelledOrLeft += figures.cancelledOrLeft;
  }
  return totals;
}

/** Staff of one role (or all), grouped by role in a fixed order; within a role the active first, each by name. */
export function staffByRole(staff: StaffMember[], only: StaffRole | '' = '') {
  return staffRoles
    .filter(role => only === '' || role === only)
    .map(role => ({
      role,
      members: staff
        .filter(member => member.role === role)
        .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name)),
    }))
    .filter(group => group.members.length > 0);
}

// 32 letters and digits without the look-alikes (0/o, 1/l/i), so a byte's low 5 bits pick one without bias.
const passwordAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789A';

/**
 * A first password the admin can read out over the phone: 16 random characters (80 bits) in groups of four.
 * Telemed sends staff no message, so the admin hands it over; the server only asks for 10 characters or more.
 */
export function generatePassword(fill: (bytes: Uint8Array) => Uint8Array = bytes => crypto.getRandomValues(bytes)): string {
  const bytes = fill(new Uint8Array(16));
  const characters = [...bytes].map(byte => passwordAlphabet[byte & 31]);
  return [0, 4, 8, 12].map(start => characters.slice(start, start + 4).join('')).join('-');
}

export type RegistrationKind = 'facility' | 'hub-spoke' | 'doctor' | 'pharmacy' | 'pharmacist' | 'health-worker' | 'health-officer';
export const registrationKinds: RegistrationKind[] = ['facility', 'hub-spoke', 'doctor', 'pharmacy', 'pharmacist', 'health-worker', 'health-officer'];

/** One field of a registration form, named as the server's request and its problem details name it. */
export interface FieldSpec {
  name: string;
  label: MessageKey;
  hint?: MessageKey;
  input: 'text' | 'email' | 'password' | 'facilities' | 'facility' | 'pharmacy' | 'cadre';
  optional?: boolean;
  autocomplete?: string;
}

const credentials: FieldSpec[] = [
  { name: 'name', label: 'admin.field.personName', input: 'text', autocomplete: 'off' },
  { name: 'email', label: 'admin.field.email', input: 'email', autocomplete: 'off' },
  { name: 'password', label: 'admin.field.password', hint: 'admin.hint.password', input: 'password', autocomplete: 'new-password' },
];

const place: FieldSpec[] = [
  { name: 'district', label: 'admin.field.district', input: 'text' },
  { name: 'state', label: 'admin.field.state', input: 'text' },
];

/** Why an admin registers a doctor or facility whose HPR or HFR ID the registry does not verify (kept with the check, audited). */
const unverifiedReason: FieldSpec = { name: 'unverifiedReason', label: 'admin.field.unverifiedReason', hint: 'admin.hint.unverifiedReason', input: 'text', optional: true };

export const registrationForms: Record<RegistrationKind, { path: string; fields: FieldSpec[] }> = {
  facility: {
    path: '/api/admin/facilities',
    fields: [
      { name: 'hfrId', label: 'admin.field.hfrId', hint: 'admin.hint.hfrId', input: 'text' },
      { name: 'name', label: 'admin.field.facilityName', input: 'text' },
      ...place,
      unverifiedReason,
    ],
  },
  doctor: {
    path: '/api/admin/doctors',
    fields: [
      ...credentials,
      { name: 'hprId', label: 'admin.field.hprId', hint: 'admin.hint.hprId', input: 'text' },
      { name: 'qualification', label: 'admin.field.qualification', hint: 'admin.hint.qualification', input: 'text' },
      { name: 'registrationNumber', label: 'admin.field.registrationNumber', input: 'text' },
      { name: 'stateCouncil', label: 'admin.field.medicalCouncil', hint: 'admin.hint.medicalCouncil', input: 'text' },
      { name: 'specialty', label: 'admin.field.specialty', input: 'text', optional: true },
      { name: 'facilityIds', label: 'admin.field.facilities', input: 'facilities', optional: true },
      unverifiedReason,
    ],
  },
  pharmacy: {
    path: '/api/admin/pharmacies',
    fields: [
      { name: 'name', label: 'admin.field.pharmacyName', input: 'text' },
      { name: 'licenceNumber', label: 'admin.field.licenceNumber', hint: 'admin.hint.licenceNumber', input: 'text' },
      ...place,
      { name: 'facilityId', label: 'admin.field.pharmacyFacility', hint: 'admin.hint.pharmacyFacility', input: 'facility', optional: true },
    ],
  },
  pharmacist: {
    path: '/api/admin/pharmacists',
    fields: [
      ...credentials,
      { name: 'registrationNumber', label: 'admin.field.registrationNumber', input: 'text' },
      { name: 'stateCouncil', label: 'admin.field.pharmacyCouncil', hint: 'admin.hint.pharmacyCouncil', input: 'text' },
      { name: 'pharmacyId', label: 'admin.field.pharmacy', input: 'pharmacy' },
    ],
  },
  'hub-spoke': {
    path: '/api/admin/hub-spokes',
    fields: [
      { name: 'hubId', label: 'admin.field.hub', input: 'facility' },
      { name: 'spokeId', label: 'admin.field.spokeOf', input: 'facility' },
    ],
  },
  'health-worker': {
    path: '/api/admin/health-workers',
    fields: [
      ...credentials,
      { name: 'cadre', label: 'admin.field.cadre', input: 'cadre' },
      { name: 'facilityId', label: 'admin.field.spoke', input: 'facility' },
    ],
  },
  'health-officer': { path: '/api/admin/health-officers', fields: credentials },
};

/**
 * The request body from what was typed: text trimmed, an empty optional field left out (the server then stores none),
 * an empty required one sent empty so the server names it; facilities as a list, the pharmacy as an id or null.
 */
export function registrationBody(kind: RegistrationKind, values: Record<string, string | string[]>) {
  const body: Record<string, unknown> = {};
  for (const field of registrationForms[kind].fields) {
    const value = values[field.name];
    if (field.input === 'facilities') body[field.name] = Array.isArray(value) ? value : [];
    else if (field.input === 'pharmacy' || field.input === 'facility') body[field.name] = typeof value === 'string' && value !== '' ? value : null;
    else if (field.input === 'password') body[field.name] = typeof value === 'string' ? value : '';
    else {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text !== '' || !field.optional) body[field.name] = text;
    }
  }
  // A reason given is the admin's decision to go on should the registry not verify the ID.
  if (typeof body.unverifiedReason === 'string') body.proceedUnverified = true;
  return body;
}

/** What the registry said of a new doctor's HPR ID or facility's HFR ID. */
export type RegistryStatus = 'verified' | 'nameDiffers' | 'notFound' | 'unavailable' | 'notChecked';

/** What the registry said, when there is anything to say (nothing when no registry is set up, so nothing was asked). */
export function registryStatus(created: object): Exclude<RegistryStatus, 'notChecked'> | undefined {
  const checked = created as { hfr?: { status?: RegistryStatus } | null; doctor?: { hpr?: { status?: RegistryStatus } | null } | null };
  const status = checked.hfr?.status ?? checked.doctor?.hpr?.status;
  return status === 'notChecked' ? undefined : status;
}

/**
 * The server's field errors placed on the form: each message on the field it names; any naming no field of this form
 * (a JSON path, a field the form lacks) shown for the whole form.
 */
export function placeErrors(kind: RegistrationKind, errors: Record<string, string[]>) {
  const names = new Set(registrationForms[kind].fields.map(field => field.name));
  const byField = new Map<string, string>();
  const general: string[] = [];
  for (const [name, messages] of Object.entries(errors)) {
    const field = name.replace(/^\$\./, '');
    const match = [...names].find(known => known.toLowerCase() === field.toLowerCase());
    if (match) byField.set(match, messages.join(' '));
    else general.push(...messages);
  }
  return { byField, general };
}


/** Where a message stands (the server's DeliveryState, camelCase). */
export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'undelivered' | 'deadLettered' | 'lapsed' | 'suppressed';
export const deliveryStates: DeliveryState[] = ['pending', 'sent', 'delivered', 'undelivered', 'deadLettered', 'lapsed', 'suppressed'];

/** A message as admins see it: never its text or variables, and the recipient masked by the server. */
export interface MessageStatus {
  id: string; channel: 'sms' | 'email' | 'push'; to: string; template: string; language: string; state: DeliveryState;
  attempts: number; providerId: string | null; lastError: string | null; createdAt: string; dueAt: string; lastAttemptAt: string | null;
}

/** The newest messages, all or only those in one state (the server's filter). */
export function messagesPath(state: DeliveryState | '') {
  return state === '' ? '/api/admin/messages' : `/api/admin/messages?state=${state}`;
}

/** A message that did not reach its recipient and will not be tried again: what an admin looks into. */
export function needsAttention(state: DeliveryState) {
  return state === 'undelivered' || state === 'deadLettered' || state === 'lapsed';
}

/** Where a care context's link to the patient's ABHA stands (the server's CareContextLinkState, camelCase). */
export type LinkState = 'pending' | 'sent' | 'linked' | 'refused';

/** A care-context link as admins see it: ids only, never a name or a record. */
export interface CareContextLinkView {
  consultationId: string; patientId: string; state: LinkState; attempts: number; nextAttemptAt: string | null;
  errorCode: string | null; error: string | null; linkedBy: 'hip' | 'patient' | null; updatedAt: string;
}

/** The newest links, all or only those in one state (the server's filter). */
export function linksPath(state: LinkState | '') {
  return state === '' ? '/api/admin/abdm/care-context-links' : `/api/admin/abdm/care-context-links?state=${state}`;
}

export type AuditOutcome = 'success' | 'failure' | 'refused';

export interface AuditEntryView { accountId: string; action: string; resource: string; outcome: AuditOutcome; from?: string | null; at: string }

export interface AuditPage { entries: AuditEntryView[]; nextOffset?: number | null }

/** The audit search as the admin fills it in: days are India's days, from their first moment to their last. */
export interface AuditFilters { accountId: string; resource: string; action: string; outcome: AuditOutcome | ''; from: string; to: string }

export function auditPath(filters: AuditFilters, offset = 0): string {
  const query = new URLSearchParams();
  for (const [name, value] of [['accountId', filters.accountId], ['resource', filters.resource], ['action', filters.action], ['outcome', filters.outcome]] as const) {
    if (value.trim()) query.set(name, value.trim());
  }
  if (filters.from) query.set('from', `${filters.from}T00:00:00+05:30`);
  if (filters.to) query.set('to', `${filters.to}T23:59:59.999+05:30`);
  if (offset > 0) query.set('offset', String(offset));
  const text = query.toString();
  return text ? `/api/admin/audit?${text}` : '/api/admin/audit';
}

/** ABDM's refusal as one line: its code, then its words. */
export function linkError(link: Pick<CareContextLinkView, 'errorCode' | 'error'>) {
  return [link.errorCode, link.error].filter(Boolean).join(': ');
}
