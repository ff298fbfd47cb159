/** A booking's state as the server names it (Bookings/BookingEndpoints.cs). */
export type BookingState = 'booked' | 'checkedIn' | 'cancelled' | 'missed';

/** A booking that may still be moved or cancelled (the server decides again): a patient's own or a health worker's. */
export function changeable(booking: { state: BookingState }): boolean {
  return booking.state === 'booked';
}

/** Bookings still to come first, by time; those done with (checked in, cancelled, missed) after them, latest first. */
export function orderedBookings<T extends { state: BookingState; startsAt: string }>(bookings: readonly T[]): T[] {
  const open = bookings.filter(changeable).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const done = bookings.filter(b => !changeable(b)).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return [...open, ...done];
}
