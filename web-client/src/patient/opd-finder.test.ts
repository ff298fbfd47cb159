import { describe, expect, it } from 'vitest';
import { isFull, noFilters, sessionsPath, specialtyChoices, visibleSessions, type OpdSession } from './opd-finder';

const session = (id: string, extra: Partial<OpdSession> = {}): OpdSession => ({
  id, facilityId: 'f1', doctors: [{ id: 'asha', name: 'Dr. Asha Verma', specialty: 'General Medicine' }], startsAt: '2026-11-25T04:00:00Z',
  endsAt: '2026-11-25T08:00:00Z', feePaise: 0, capacity: 20, placesTaken: 0, waiting: 0, specialty: null, status: 'open', ...extra,
});

const sessions = [
  session('a'),
  session('b', { facilityId: 'f2', doctors: [{ id: 'rahul', name: 'Dr. Rahul Nair', specialty: 'Paediatrics' }], startsAt: '2026-11-25T03:00:00Z' }),
  session('c', { specialty: 'Dermatology', status: 'paused', startsAt: '2026-11-25T02:00:00Z' }),
  session('d', { status: 'closed' }),
];

describe('finding an open OPD', () => {
  it('asks the server for one facility or doctor, and nothing more without filters', () => {
    expect(sessionsPath(noFilters)).toBe('/api/sessions');
    expect(sessionsPath({ facilityId: 'f1', specialty: 'x', doctorId: 'asha' })).toBe('/api/sessions?facilityId=f1&doctorId=asha');
  });

  it('lists open sessions first, then paused ones, never closed ones', () => {
    expect(visibleSessions(sessions, noFilters).map(s => s.id)).toEqual(['b', 'a', 'c']);
  });

  it('matches a specialty on the session or, without one, on its doctors, in any letter case', () => {
    expect(visibleSessions(sessions, { ...noFilters, specialty: 'paediatrics' }).map(s => s.id)).toEqual(['b']);
    expect(visibleSessions(sessions, { ...noFilters, specialty: 'Dermatology' }).map(s => s.id)).toEqual(['c']);
    expect(visibleSessions(sessions, { ...noFilters, specialty: 'General Medicine' }).map(s => s.id)).toEqual(['a']);
  });

  it('filters by facility and doctor too, and can come out empty', () => {
    expect(visibleSessions(sessions, { ...noFilters, facilityId: 'f2' }).map(s => s.id)).toEqual(['b']);
    expect(visibleSessions(sessions, { ...noFilters, doctorId: 'rahul', facilityId: 'f1' })).toEqual([]);
  });

  it('offers every specialty once, sorted', () => {
    expect(specialtyChoices([{ id: 'x', name: 'X', specialty: 'general medicine', qualification: 'MBBS' }], sessions))
      .toEqual(['Dermatology', 'general medicine', 'Paediatrics']);
  });

  it('knows a full session', () => {
    expect(isFull(session('e', { capacity: 2, placesTaken: 2 }))).toBe(true);
    expect(isFull(session('e', { capacity: 2, placesTaken: 1 }))).toBe(false);
  });
});
