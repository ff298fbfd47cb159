import type { BookingState } from '../shared/bookings';

export { changeable, orderedBookings } from '../shared/bookings';

/** A booking the health worker made for a patient they brought in (Spokes/HealthWorkerEndpoints.cs, SpokeBookingView). */
export interface SpokeBooking {
  id: string;
  sessionId: string;
  patientId: string;
  patientName: string;
  specialty?: string | null;
  slot: number;
  startsAt: string;
  endsAt: string;
  state: BookingState;
}

/** A slot of a session (GET /api/sessions/{id}/slots or a roster's day, SlotView). */
export interface Slot { slot: number; startsAt: string; free: boolean }

/** The free slots a booking can move to: every free one of its session but the one it holds. */
export function slotsToMoveTo(booking: SpokeBooking, slots: readonly Slot[]): Slot[] {
  return slots.filter(s => s.free && s.slot !== booking.slot);
}

/**
 * Whether a booking on this day is checked in at once: only today's, when the patient is here. A booking for a later
 * day holds the slot, and the patient is checked in when they come.
 */
export function checksInAtOnce(day: string, today: string): boolean {
  return day === today;
}
