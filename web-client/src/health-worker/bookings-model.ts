import { lastDays } from '../shared/analytics';
import type { BookingState } from '../shared/bookings';

export { changeable, orderedBookings } from '../shared/bookings';

/** A booking the health worker made for a patient they brought in (Spokes/HealthWorkerEndpoints.cs, SpokeBookingView). */
export interface SpokeBooking {
  id: string;
  sessionId: string;
  /** The roster whose day the booking's session is: its other days are where the booking can move. */
  rosterId?: string | null;
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

/** The day (India time, yyyy-MM-dd) a booking is on: a roster's days are India's. */
export function bookingDay(booking: { startsAt: string }): string {
  return lastDays(1, new Date(booking.startsAt))[0];
}

/**
 * The free slots of the session `sessionId` a booking can move to: every free one but the slot it holds, when that is
 * its own session; every free one of another.
 */
export function slotsToMoveTo(booking: SpokeBooking, sessionId: string, slots: readonly Slot[]): Slot[] {
  return slots.filter(s => s.free && (sessionId !== booking.sessionId || s.slot !== booking.slot));
}

/**
 * Whether a booking on this day is checked in at once: only today's, when the patient is here. A booking for a later
 * day holds the slot, and the patient is checked in when they come.
 */
export function checksInAtOnce(day: string, today: string): boolean {
  return day === today;
}

/**
 * Whether the patient of a held booking can be checked in from the list now: on its day only. The server would take a
 * check-in to a later day's session, where the patient would wait in a queue that has not begun.
 */
export function checkInNow(booking: SpokeBooking, today: string): boolean {
  return booking.state === 'booked' && bookingDay(booking) === today;
}

/** The check-in fields as typed: the complaint, the vitals taken at the spoke and the adult who comes with a child. */
export interface CheckInFields {
  complaint: string;
  systolic: string; diastolic: string; pulse: string; temperature: string; spO2: string; weight: string;
  companionName: string; companionRelation: string;
}

/** The body of POST /api/spoke/sessions/{sessionId}/check-in (SpokeCheckInRequest): only what was filled in is sent. */
export function checkInRequest(patientId: string, fields: CheckInFields) {
  const measured = (typed: string, unit: string) => (typed.trim() ? { value: Number(typed.trim()), unit } : undefined);
  const vitals = {
    systolic: measured(fields.systolic, 'mmHg'), diastolic: measured(fields.diastolic, 'mmHg'), pulse: measured(fields.pulse, '/min'),
    temperature: measured(fields.temperature, 'Cel'), spO2: measured(fields.spO2, '%'), weight: measured(fields.weight, 'kg'),
  };
  // A child consults only with an adult who comes with them (TPG 2020): named here, refused by the server when missing.
  const companion = fields.companionName.trim();
  return {
    patientId,
    complaint: fields.complaint.trim() || undefined,
    vitals: Object.values(vitals).some(v => v !== undefined) ? vitals : undefined,
    accompaniedBy: companion ? { name: companion, relation: fields.companionRelation } : undefined,
  };
}
