import { describe, expect, it } from 'vitest';
import {
  bookingDay, changeable, checkInNow, checkInRequest, checksInAtOnce, orderedBookings, slotsToMoveTo, type CheckInFields, type SpokeBooking,
} from './bookings-model';

const booking = (id: string, startsAt: string, state: SpokeBooking['state'], slot = 1): SpokeBooking => ({
  id, sessionId: 's', patientId: 'p', patientName: 'Ramesh Yadav', specialty: 'General Medicine', slot, startsAt, endsAt: startsAt, state,
});

describe('changeable', () => {
  it('lets only a booking still held be moved or cancelled', () => {
    expect(changeable(booking('a', '2030-01-02T04:00:00Z', 'booked'))).toBe(true);
    for (const state of ['checkedIn', 'cancelled', 'missed'] as const) expect(changeable(booking('a', '2030-01-02T04:00:00Z', state))).toBe(false);
  });
});

describe('orderedBookings', () => {
  it('lists the bookings to come by time, then those done with, latest first', () => {
    const ordered = orderedBookings([
      booking('cancelled-early', '2030-01-02T04:00:00Z', 'cancelled'),
      booking('late', '2030-01-02T06:00:00Z', 'booked'),
      booking('cancelled-late', '2030-01-02T07:00:00Z', 'cancelled'),
      booking('early', '2030-01-02T05:00:00Z', 'booked'),
    ]);
    expect(ordered.map(b => b.id)).toEqual(['early', 'late', 'cancelled-late', 'cancelled-early']);
  });
});

describe('slotsToMoveTo', () => {
  const slots = [
    { slot: 1, startsAt: '2030-01-02T04:00:00Z', free: true },
    { slot: 2, startsAt: '2030-01-02T04:05:00Z', free: true },
    { slot: 3, startsAt: '2030-01-02T04:10:00Z', free: false },
    { slot: 4, startsAt: '2030-01-02T04:15:00Z', free: true },
  ];

  it('offers the free slots of its own session other than the one the booking holds', () => {
    expect(slotsToMoveTo(booking('a', '2030-01-02T04:00:00Z', 'booked', 1), 's', slots).map(s => s.slot)).toEqual([2, 4]);
  });

  it('offers every free slot of another day\'s session, the same number as its own included', () => {
    expect(slotsToMoveTo(booking('a', '2030-01-02T04:00:00Z', 'booked', 1), 'tomorrow', slots).map(s => s.slot)).toEqual([1, 2, 4]);
  });
});

describe('bookingDay', () => {
  it('is the day in India, five and a half hours ahead of UTC', () => {
    expect(bookingDay({ startsAt: '2030-01-02T18:29:00Z' })).toBe('2030-01-02');
    expect(bookingDay({ startsAt: '2030-01-02T18:30:00Z' })).toBe('2030-01-03');
  });
});

describe('checkInNow', () => {
  it('offers the check-in of a held booking on its day in India only', () => {
    // 20:00 UTC on the 2nd is 01:30 on the 3rd in India.
    expect(checkInNow(booking('a', '2030-01-02T20:00:00Z', 'booked'), '2030-01-03')).toBe(true);
    expect(checkInNow(booking('a', '2030-01-02T20:00:00Z', 'booked'), '2030-01-02')).toBe(false);
    expect(checkInNow(booking('a', '2030-01-04T04:00:00Z', 'booked'), '2030-01-03')).toBe(false);
    for (const state of ['checkedIn', 'cancelled', 'missed'] as const) expect(checkInNow(booking('a', '2030-01-03T04:00:00Z', state), '2030-01-03')).toBe(false);
  });
});

describe('checkInRequest', () => {
  const empty: CheckInFields = {
    complaint: '', systolic: '', diastolic: '', pulse: '', temperature: '', spO2: '', weight: '', companionName: '', companionRelation: 'parent',
  };

  it('sends only the patient when nothing was filled in', () => {
    expect(checkInRequest('p', { ...empty, complaint: '  ' })).toEqual({ patientId: 'p', complaint: undefined, vitals: undefined, accompaniedBy: undefined });
  });

  it('sends the complaint, the vitals measured with their units and the adult who came along', () => {
    const request = checkInRequest('p', { ...empty, complaint: ' Fever for three days ', temperature: '38.4', spO2: '97', companionName: 'Kamla Devi', companionRelation: 'grandparent' });
    expect(request.complaint).toBe('Fever for three days');
    expect(request.vitals).toEqual({
      systolic: undefined, diastolic: undefined, pulse: undefined, temperature: { value: 38.4, unit: 'Cel' }, spO2: { value: 97, unit: '%' }, weight: undefined,
    });
    expect(request.accompaniedBy).toEqual({ name: 'Kamla Devi', relation: 'grandparent' });
  });
});

describe('checksInAtOnce', () => {
  it('checks in a booking for today, not one for a later day', () => {
    expect(checksInAtOnce('2030-01-02', '2030-01-02')).toBe(true);
    expect(checksInAtOnce('2030-01-03', '2030-01-02')).toBe(false);
  });
});
