import { describe, expect, it } from 'vitest';
import { byStart, localInputValue, newSessionRequest, sessionActions, type DoctorSession } from './doctor-sessions';

const form = { facilityId: 'f1', startsAt: '2026-11-25T09:00', endsAt: '2026-11-25T13:00', capacity: '30', specialty: ' General Medicine ', slotMinutes: '' };

describe('doctor sessions', () => {
  it('offers pause or resume by state, and nothing once closed', () => {
    expect(sessionActions('open')).toEqual(['pause', 'close']);
    expect(sessionActions('paused')).toEqual(['resume', 'close']);
    expect(sessionActions('closed')).toEqual([]);
  });

  it('builds the open-session request in UTC and leaves blank optional fields to the server defaults', () => {
    const result = newSessionRequest(form);
    expect('request' in result && result.request).toEqual({
      facilityId: 'f1', startsAt: new Date('2026-11-25T09:00').toISOString(), endsAt: new Date('2026-11-25T13:00').toISOString(),
      capacity: 30, specialty: 'General Medicine', slotMinutes: undefined,
    });
  });

  it('asks for the facility, both times, and an end after the start', () => {
    expect(newSessionRequest({ ...form, facilityId: '' })).toEqual({ error: 'doctor.noFacility' });
    expect(newSessionRequest({ ...form, endsAt: '' })).toEqual({ error: 'doctor.timesRequired' });
    expect(newSessionRequest({ ...form, endsAt: '2026-11-25T08:00' })).toEqual({ error: 'doctor.endBeforeStart' });
  });

  it('sorts sessions by start and writes local input values', () => {
    const at = (startsAt: string) => ({ id: startsAt, startsAt } as DoctorSession);
    expect(byStart([at('2026-11-25T10:00:00Z'), at('2026-11-25T08:00:00Z')]).map(s => s.id)).toEqual(['2026-11-25T08:00:00Z', '2026-11-25T10:00:00Z']);
    expect(localInputValue(new Date(2026, 10, 5, 7, 3))).toBe('2026-11-05T07:03');
  });
});
