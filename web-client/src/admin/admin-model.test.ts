import { describe, expect, it } from 'vitest';
import {
  auditPath, dayTotals, deliveryStates, generatePassword, linkError, linksPath, messagesPath, needsAttention, placeErrors, registrationBody, registryStatus, sessionPhase,
  sessionsInPhase, staffByRole, type SessionOfTheDay, type StaffMember,
} from './admin-model';

const figures = { placesTaken: 0, waiting: 0, withDoctor: 0, seen: 0, skipped: 0, noShows: 0, cancelledOrLeft: 0, longestWaitMinutes: null, bookedAhead: 0, bookingsMissed: 0 };
const session = (id: string, status: SessionOfTheDay['status'], startsAt: string, endsAt: string, counts: Partial<typeof figures> = {}): SessionOfTheDay => ({
  id, facilityId: 'f', facilityName: 'PHC', doctors: [], startsAt, endsAt, status, capacity: 20, figures: { ...figures, ...counts },
});
const now = new Date('2026-11-25T06:00:00Z');

describe('sessionPhase', () => {
  it('takes closed from the server, else the clock decides whether it has started or ended', () => {
    expect(sessionPhase(session('a', 'closed', '2026-11-25T04:00:00Z', '2026-11-25T08:00:00Z'), now)).toBe('closed');
    expect(sessionPhase(session('b', 'open', '2026-11-25T01:00:00Z', '2026-11-25T05:00:00Z'), now)).toBe('ended');
    expect(sessionPhase(session('c', 'open', '2026-11-25T07:00:00Z', '2026-11-25T09:00:00Z'), now)).toBe('upcoming');
    expect(sessionPhase(session('d', 'paused', '2026-11-25T04:00:00Z', '2026-11-25T08:00:00Z'), now)).toBe('paused');
    expect(sessionPhase(session('e', 'open', '2026-11-25T04:00:00Z', '2026-11-25T08:00:00Z'), now)).toBe('open');
  });

  it('filters by phase, or keeps all for "any"', () => {
    const all = [session('a', 'closed', '2026-11-25T04:00:00Z', '2026-11-25T08:00:00Z'), session('e', 'open', '2026-11-25T04:00:00Z', '2026-11-25T08:00:00Z')];
    expect(sessionsInPhase(all, 'open', now).map(s => s.id)).toEqual(['e']);
    expect(sessionsInPhase(all, '', now)).toHaveLength(2);
  });
});

describe('dayTotals', () => {
  it('adds up the shown sessions', () => {
    const totals = dayTotals([
      session('a', 'open', '', '', { placesTaken: 5, waiting: 2, withDoctor: 1, seen: 2, noShows: 0, cancelledOrLeft: 1 }),
      session('b', 'closed', '', '', { placesTaken: 3, seen: 2, noShows: 1 }),
    ]);
    expect(totals).toEqual({ sessions: 2, placesTaken: 8, waiting: 2, withDoctor: 1, seen: 4, noShows: 1, cancelledOrLeft: 1 });
  });

  it('is all zeros for no sessions', () => expect(dayTotals([]).sessions).toBe(0));
});

describe('staffByRole', () => {
  const member = (name: string, role: StaffMember['role'], active = true): StaffMember => ({ id: name, name, role, email: `${name}@x.in`, active });
  const staff = [member('Zoya', 'doctor'), member('Meena', 'pharmacist'), member('Arun', 'doctor', false), member('Bala', 'doctor'), member('Root', 'admin')];

  it('groups in a fixed role order, the active first, each by name; roles with nobody are left out', () => {
    const groups = staffByRole(staff);
    expect(groups.map(g => g.role)).toEqual(['doctor', 'pharmacist', 'admin']);
    expect(groups[0].members.map(m => m.name)).toEqual(['Bala', 'Zoya', 'Arun']);
  });

  it('shows one role when asked', () => expect(staffByRole(staff, 'pharmacist').map(g => g.role)).toEqual(['pharmacist']));
});

describe('generatePassword', () => {
  it('gives four groups of four unambiguous characters, long enough for the server', () => {
    const password = generatePassword();
    expect(password).toMatch(/^[a-zA-Z2-9]{4}(-[a-zA-Z2-9]{4}){3}$/);
    expect(password).not.toMatch(/[01ilo]/);
    expect(password.length).toBeGreaterThanOrEqual(10);
  });

  it('takes its characters from the random bytes', () => {
    const zeros = generatePassword(bytes => bytes.fill(0));
    const ones = generatePassword(bytes => bytes.fill(1));
    expect(zeros).toBe('aaaa-aaaa-aaaa-aaaa');
    expect(ones).toBe('bbbb-bbbb-bbbb-bbbb');
  });

  it('differs each time', () => expect(generatePassword()).not.toBe(generatePassword()));
});

describe('registrationBody', () => {
  it('trims text, leaves an empty optional field out, sends facilities as a list', () => {
    expect(registrationBody('doctor', {
      name: ' Dr. Sunita Reddy ', email: 'sunita@example.in', password: ' keep spaces ', hprId: '71-9876-5432-1098', qualification: 'MBBS',
      registrationNumber: 'KMC-88123', stateCouncil: 'Karnataka Medical Council', specialty: '  ', facilityIds: ['f1'],
    })).toEqual({
      name: 'Dr. Sunita Reddy', email: 'sunita@example.in', password: ' keep spaces ', hprId: '71-9876-5432-1098', qualification: 'MBBS',
      registrationNumber: 'KMC-88123', stateCouncil: 'Karnataka Medical Council', facilityIds: ['f1'],
    });
  });

  it('sends an empty required field empty, so the server names it, and no pharmacy as null', () => {
    expect(registrationBody('pharmacist', { name: 'Joseph', email: '', password: '', registrationNumber: '', stateCouncil: '', pharmacyId: '' }))
      .toEqual({ name: 'Joseph', email: '', password: '', registrationNumber: '', stateCouncil: '', pharmacyId: null });
  });
});

describe('registry checks', () => {
  it('sends the decision to go on unverified only with a reason', () => {
    const facility = { hfrId: 'IN2710000901', name: 'PHC Velhe', district: 'Pune', state: 'Maharashtra' };
    expect(registrationBody('facility', { ...facility, unverifiedReason: '  ' })).not.toHaveProperty('proceedUnverified');
    expect(registrationBody('facility', { ...facility, unverifiedReason: ' HFR down at go-live ' }))
      .toMatchObject({ unverifiedReason: 'HFR down at go-live', proceedUnverified: true });
  });

  it('reads the check of a facility or a doctor', () => {
    expect(registryStatus({ hfr: { status: 'verified' } })).toBe('verified');
    expect(registryStatus({ doctor: { hpr: { status: 'notFound' } } })).toBe('notFound');
    expect(registryStatus({ doctor: {} })).toBeUndefined();
    expect(registryStatus({ hfr: { status: 'notChecked' } })).toBeUndefined();
  });
});

describe('placeErrors', () => {
  it('puts each message on the field it names and the rest on the form', () => {
    const { byField, general } = placeErrors('doctor', { hprId: ['HPR ID must begin with 71.'], facilityIds: ['Unknown facility.'], '$.extra': ['Not read.'] });
    expect(Object.fromEntries(byField)).toEqual({ hprId: 'HPR ID must begin with 71.', facilityIds: 'Unknown facility.' });
    expect(general).toEqual(['Not read.']);
  });

  it('matches a JSON path or another casing of a field name', () =>
    expect(Object.fromEntries(placeErrors('facility', { '$.HfrId': ['Wrong.'] }).byField)).toEqual({ hfrId: 'Wrong.' }));
});

describe('message delivery', () => {
  it('asks the server for all messages or those in one state', () => {
    expect(messagesPath('')).toBe('/api/admin/messages');
    expect(messagesPath('deadLettered')).toBe('/api/admin/messages?state=deadLettered');
  });

  it('brings out only the messages that will not arrive', () =>
    expect(deliveryStates.filter(needsAttention)).toEqual(['undelivered', 'deadLettered', 'lapsed']));
});

describe('care-context links', () => {
  it('asks for all links or those in one state', () => {
    expect(linksPath('')).toBe('/api/admin/abdm/care-context-links');
    expect(linksPath('refused')).toBe('/api/admin/abdm/care-context-links?state=refused');
  });
  it('shows ABDM\'s error as its code and its words, whichever it gave', () => {
    expect(linkError({ errorCode: 'ABDM-1102', error: 'Care context already linked' })).toBe('ABDM-1102: Care context already linked');
    expect(linkError({ errorCode: null, error: 'Gateway unreachable' })).toBe('Gateway unreachable');
    expect(linkError({ errorCode: null, error: null })).toBe('');
  });
});

describe('audit search', () => {
  const none = { accountId: '', resource: '', action: '', outcome: '' as const, from: '', to: '' };
  it('asks for everything when nothing is filled in', () => expect(auditPath(none)).toBe('/api/admin/audit'));
  it('sends what is filled in, trimmed, and the days as India\'s whole days', () => {
    const path = auditPath({ ...none, accountId: ' 0193a000-0000-7000-8000-000000000010 ', resource: 'consultation/', outcome: 'refused', from: '2026-12-01', to: '2026-12-08' }, 100);
    const query = new URL(path, 'http://x').searchParams;
    expect(query.get('accountId')).toBe('0193a000-0000-7000-8000-000000000010');
    expect(query.get('resource')).toBe('consultation/');
    expect(query.get('outcome')).toBe('refused');
    expect(query.get('from')).toBe('2026-12-01T00:00:00+05:30');
    expect(query.get('to')).toBe('2026-12-08T23:59:59.999+05:30');
    expect(query.get('offset')).toBe('100');
    expect(query.has('action')).toBe(false);
  });
});
