import { describe, expect, it } from 'vitest';
import { changeable, checksInAtOnce, orderedBookings, slotsToMoveTo, type SpokeBooking } from './bookings-model';

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
  it('offers the free slots other than the one the booking holds', () => {
    const slots = [
      { slot: 1, startsAt: '2030-01-02T04:00:00Z', free: false },
      { slot: 2, startsAt: '2030-01-02T04:05:00Z', free: true },
      { slot: 3, startsAt: '2030-01-02T04:10:00Z', free: false },
      { slot: 4, startsAt: '2030-01-02T04:15:00Z', free: true },
    ];
    expect(slotsToMoveTo(booking('a', '2030-01-02T04:00:00Z', 'booked', 1), slots).map(s => s.slot)).toEqual([2, 4]);
  });
});

describe('checksInAtOnce', () => {
  it('checks in a booking for today, not one for a later day', () => {
    expect(checksInAtOnce('2030-01-02', '2030-01-02')).toBe(true);
    expect(checksInAtOnce('2030-01-03', '2030-01-02')).toBe(false);
  });
});
