import { describe, expect, it } from 'vitest';
import { bookingBody, changeable, followUpFor, freeSlots, orderedBookings, type Booking } from './booking-model';

const booking = (id: string, startsAt: string, state: Booking['state'] = 'booked'): Booking => ({
  id, sessionId: 's', facilityId: 'f', doctors: [], slot: 0, startsAt, endsAt: startsAt, state,
});

describe('booking ahead', () => {
  it('offers only free slots', () => {
    expect(freeSlots([
      { slot: 0, startsAt: '2026-12-08T04:00:00Z', endsAt: '2026-12-08T04:10:00Z', free: false },
      { slot: 1, startsAt: '2026-12-08T04:10:00Z', endsAt: '2026-12-08T04:20:00Z', free: true },
    ]).map(s => s.slot)).toEqual([1]);
  });

  it('lets only a booking not yet checked in, cancelled or missed be moved or cancelled', () => {
    expect(changeable(booking('a', '2026-12-08T04:00:00Z'))).toBe(true);
    for (const state of ['checkedIn', 'cancelled', 'missed'] as const) expect(changeable(booking('a', '2026-12-08T04:00:00Z', state))).toBe(false);
  });

  it('lists upcoming bookings first by time, then the rest latest first', () => {
    const ordered = orderedBookings([
      booking('old', '2026-12-01T04:00:00Z', 'missed'), booking('later', '2026-12-09T04:00:00Z'),
      booking('soon', '2026-12-08T04:00:00Z'), booking('recent', '2026-12-05T04:00:00Z', 'cancelled'),
    ]);
    expect(ordered.map(b => b.id)).toEqual(['soon', 'later', 'recent', 'old']);
  });

  it('books a follow-up only in a session of the doctor who asked for it', () => {
    const followUp = { prescriptionId: 'rx', doctorId: 'asha', doctorName: 'Dr Asha', on: '2026-12-10' };
    expect(followUpFor({ doctors: [{ id: 'asha' }, { id: 'rahul' }] }, followUp)).toBe('rx');
    expect(followUpFor({ doctors: [{ id: 'rahul' }] }, followUp)).toBeUndefined();
    expect(followUpFor({ doctors: [{ id: 'asha' }] }, undefined)).toBeUndefined();
  });

  it('sends the prescription only for a follow-up', () => {
    expect(bookingBody(3, undefined)).toEqual({ slot: 3 });
    expect(bookingBody(3, 'rx')).toEqual({ slot: 3, followUpOf: 'rx' });
  });
});
