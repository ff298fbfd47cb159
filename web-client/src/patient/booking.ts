import { $, api, failSafely } from '../shared/app';
import { formatDate, formatNumber, formatTime, onLanguageChange, t } from '../shared/i18n';
import { fillList } from '../shared/lists';
import { bookingBody, changeable, followUpFor, freeSlots, orderedBookings, type Booking, type FollowUp, type SessionSlots, type Slot } from './booking-model';

interface BookableSession { id: string; doctors: { id: string; name: string }[]; specialty?: string | null }

/** The slot picker: for a new booking (a follow-up when the session is its doctor's), or to move one. */
interface Picker { session: BookableSession; followUpOf?: string; moving?: Booking; slots?: Slot[] }

let bookings: Booking[] | undefined;
let picker: Picker | undefined;
let followUp: FollowUp | undefined;

onLanguageChange(() => {
  renderBookings();
  renderPicker();
});

export async function loadBookings() {
  bookings = await api.get<Booking[]>('/api/me/bookings');
  renderBookings();
}

export async function openBooking(session: BookableSession) {
  picker = { session, followUpOf: followUpFor(session, followUp) };
  await loadSlots();
  $('booking-heading').focus();
}

/** From a prescription: the sessions of its doctor are listed, and a slot booked in one of them is the follow-up. */
export function offerFollowUp(asked: FollowUp) {
  followUp = asked;
  const doctor = $<HTMLSelectElement>('filter-doctor');
  doctor.value = asked.doctorId;
  doctor.dispatchEvent(new Event('change'));
  $('bookings-status').textContent = t('patient.followUp.choose', { doctor: asked.doctorName, date: formatDate(asked.on) });
  $('bookings-heading').focus();
}

async function loadSlots() {
  if (!picker) return;
  const shown = picker;
  shown.slots = undefined;
  renderPicker();
  shown.slots = (await api.get<SessionSlots>(`/api/sessions/${shown.session.id}/slots`)).slots;
  renderPicker();
}

const doctorNames = (doctors: readonly { name: string }[]) => doctors.map(d => d.name).join(', ');
const when = (startsAt: string) => `${formatDate(startsAt)} ${formatTime(startsAt)}`;

function renderPicker() {
  $('booking-panel').hidden = !picker;
  if (!picker) return;
  const { session, slots, moving, followUpOf } = picker;
  $('booking-heading').textContent = t(moving ? 'patient.book.moveHeading' : 'patient.book.heading', {
    doctors: doctorNames(session.doctors), specialty: session.specialty ?? t('opd'),
  });
  $('booking-follow-up').hidden = !followUpOf;
  $('booking-follow-up').textContent = followUpOf && followUp ? t('patient.book.followUp', { doctor: followUp.doctorName }) : '';
  const free = slots ? freeSlots(slots) : [];
  $('booking-slots-status').textContent = !slots ? t('patient.loading') : free.length === 0 ? t('patient.book.noSlots') : '';
  $('booking-slots').replaceChildren(...free.map(slot => {
    const item = document.createElement('li');
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: when(slot.startsAt) });
    button.dataset.slot = String(slot.slot);
    button.addEventListener('click', () => void failSafely(() => choose(slot)));
    item.append(button);
    return item;
  }));
}

async function choose(slot: Slot) {
  if (!picker) return;
  const { session, moving, followUpOf } = picker;
  try {
    if (moving) await api.put<Booking>(`/api/sessions/${session.id}/bookings/${moving.id}`, { slot: slot.slot });
    else await api.post<Booking>(`/api/sessions/${session.id}/bookings`, bookingBody(slot.slot, followUpOf));
  } catch (error) {
    // Someone may have just taken the slot: show what is free now, with the refusal.
    await loadSlots();
    throw error;
  }
  if (followUpOf) followUp = undefined;
  picker = undefined;
  renderPicker();
  $('bookings-status').textContent = t(moving ? 'patient.bookings.moved' : 'patient.bookings.booked', { time: when(slot.startsAt) });
  await loadBookings();
  $('bookings-heading').focus();
}

$('booking-close').addEventListener('click', () => {
  picker = undefined;
  renderPicker();
  $('bookings-heading').focus();
});

function renderBookings() {
  if (!bookings) return;
  fillList($('bookings-list'), orderedBookings(bookings).map(booking => {
    const item = document.createElement('li');
    item.dataset.booking = booking.id;
    item.dataset.state = booking.state;
    const facts = [
      when(booking.startsAt),
      `${doctorNames(booking.doctors)} — ${booking.specialty ?? t('opd')}`,
      t(`patient.bookings.state.${booking.state}`),
      booking.token ? t('patient.bookings.token', { token: formatNumber(booking.token) }) : undefined,
      booking.followUpOf ? t('patient.bookings.followUp') : undefined,
    ].filter(fact => fact !== undefined);
    item.append(Object.assign(document.createElement('p'), { textContent: facts.join(' · ') }));
    if (changeable(booking)) {
      const move = Object.assign(document.createElement('button'), { type: 'button', textContent: t('patient.bookings.move') });
      move.dataset.action = 'move';
      move.addEventListener('click', () => void failSafely(async () => {
        picker = { session: { id: booking.sessionId, doctors: booking.doctors, specialty: booking.specialty }, moving: booking };
        await loadSlots();
        $('booking-heading').focus();
      }));
      const cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: t('patient.bookings.cancel') });
      cancel.dataset.action = 'cancel';
      cancel.addEventListener('click', () => void failSafely(async () => {
        await api.post<Booking>(`/api/sessions/${booking.sessionId}/bookings/${booking.id}/cancel`);
        $('bookings-status').textContent = t('patient.bookings.cancelledNow', { time: when(booking.startsAt) });
        await loadBookings();
        $('bookings-heading').focus();
      }));
      item.append(move, ' ', cancel);
    }
    return item;
  }), t('patient.bookings.none'));
}
