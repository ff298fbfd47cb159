import type { BookingState } from '../shared/bookings';

export { changeable, orderedBookings } from '../shared/bookings';

/** A slot of a session as GET /api/sessions/{id}/slots lists it (Bookings/BookingEndpoints.cs, SlotView). */
export interface Slot { slot: number; startsAt: string; endsAt: string; free: boolean }

export interface SessionSlots { sessionId: string; slotMinutes: number; slots: Slot[] }

/** A booking as the server returns it (Bookings/BookingEndpoints.cs, BookingView). */
export interface Booking {
  id: string;
  sessionId: string;
  facilityId: string;
  doctors: { id: string; name: string; specialty?: string | null }[];
  specialty?: string | null;
  slot: number;
  startsAt: string;
  endsAt: string;
  state: BookingState;
  token?: number | null;
  followUpOf?: string | null;
}

/** The follow-up a prescription asks for: booked only in a session of the doctor who wrote it. */
export interface FollowUp { prescriptionId: string; doctorId: string; doctorName: string; on: string }

/** The slots still to be had. */
export function freeSlots(slots: readonly Slot[]): Slot[] {
  return slots.filter(s => s.free);
}

/** The prescription this booking answers, when the session is one of its doctor's. */
export function followUpFor(session: { doctors: readonly { id: string }[] }, followUp: FollowUp | undefined): string | undefined {
  return followUp && session.doctors.some(d => d.id === followUp.doctorId) ? followUp.prescriptionId : undefined;
}

/** The request body of a booking. */
export function bookingBody(slot: number, followUpOf: string | undefined): { slot: number; followUpOf?: string } {
  return followUpOf ? { slot, followUpOf } : { slot };
}
