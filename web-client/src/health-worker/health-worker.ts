import './health-worker-page';
import { lastDays } from '../shared/analytics';
import { $, api, failSafely, show } from '../shared/app';
import { inCall, joinCall } from '../shared/call/call-view';
import { formatDate, formatTime, isMessageKey, onLanguageChange, t } from '../shared/i18n';
import { fillList } from '../shared/lists';
import {
  bookingDay, changeable, checkInNow, checkInRequest, checksInAtOnce, orderedBookings, slotsToMoveTo, type Slot, type SpokeBooking,
} from './bookings-model';

/** The health worker's spoke and the hubs it may ask (GET /api/spoke). */
interface Spoke { facilityId: string; facilityName: string; cadre: 'communityHealthOfficer' | 'anm'; hubs: { id: string; name: string }[] }

/** A patient the health worker brought in (SpokePatientView). */
export interface SpokePatient { id: string; name: string; age: number; sex: string; guardianId?: string | null; guardianRelation?: string | null }

/** A hub doctor's roster open to this spoke (RosterView). */
export interface Roster { id: string; doctorName: string; hubName: string; specialty: string; days: string[]; from: string; to: string }

/** One request to a hub doctor, as the queue holds it (SpokeRequestView). */
export interface SpokeRequest {
  sessionId: string; token: number; patientName: string; specialty?: string | null; doctors: { name: string }[];
  state?: string | null; position?: number | null; consultationId?: string | null;
}

/** How often the requests list is read again: the doctor's call and start show up here within this time. */
const refreshMs = 3_000;

let patients: SpokePatient[] = [];
let rosters: Roster[] = [];
let requests: SpokeRequest[] = [];
let chosen: Roster | undefined;
let slotsAsked = 0;
let bookings: SpokeBooking[] | undefined;
/** The booking whose time is being changed, and the free slots of the chosen day (and the session they are of) once read. */
let moving: { booking: SpokeBooking; day: string; sessionId?: string; slots?: Slot[] } | undefined;
/** The booked patient being checked in from the list, now that they have come. */
let checking: SpokeBooking | undefined;
let polling: ReturnType<typeof setInterval> | undefined;

onLanguageChange(render);

/**
 * The health worker's page at a spoke: find a family by its number (with the code the patient reads out) or register a
 * patient, ask a hub doctor of a specialty, book a slot of their roster today (and check the patient in with complaint
 * and vitals) or on a later day, check in a patient who booked ahead when they come, move a booking (to another day too)
 * or cancel it, then join the call with the patient when the doctor starts it.
 */
export async function healthWorkerHome() {
  show('health-worker');
  const spoke = await api.get<Spoke>('/api/spoke');
  $('hw-spoke').textContent = t('hw.spoke', { spoke: spoke.facilityName, cadre: t(`cadre.${spoke.cadre}`), hubs: spoke.hubs.map(h => h.name).join(', ') || '—' });
  $('hw-send-code').onclick = () => void failSafely(async () => {
    await api.post('/api/auth/otp', { mobile: value('hw-find-mobile') });
    $('hw-find-status').textContent = t('hw.codeSent');
  });
  $('hw-find').onsubmit = event => {
    event.preventDefault();
    void failSafely(async () => {
      const family = await api.post<SpokePatient[]>('/api/spoke/patients/find', { mobile: value('hw-find-mobile'), code: value('hw-find-code') });
      $('hw-find-status').textContent = t('hw.found', { count: family.length });
      await loadPatients(family[0]?.id);
    });
  };
  // A new family's number is checked as the patient's own: they read out the code sent to it.
  $('hw-reg-send-code').onclick = () => void failSafely(async () => {
    await api.post('/api/auth/otp', { mobile: value('hw-reg-mobile') });
    $('hw-reg-status').textContent = t('hw.codeSent');
  });
  $('hw-register').onsubmit = event => {
    event.preventDefault();
    void failSafely(async () => {
      const guardianId = value('hw-reg-guardian') || undefined;
      const created = await api.post<SpokePatient>('/api/spoke/patients', {
        name: value('hw-reg-name'), yearOfBirth: Number(value('hw-reg-year')) || undefined, sex: value('hw-reg-sex'),
        mobile: guardianId ? undefined : value('hw-reg-mobile'), code: guardianId ? undefined : value('hw-reg-code'),
        guardianId, relation: guardianId ? value('hw-reg-relation') : undefined,
      });
      $<HTMLFormElement>('hw-register').reset();
      $('hw-reg-status').textContent = '';
      await loadPatients(created.id);
    });
  };
  $('hw-search').onsubmit = event => {
    event.preventDefault();
    void failSafely(async () => {
      rosters = await api.get<Roster[]>(`/api/spoke/rosters?specialty=${encodeURIComponent(value('hw-specialty'))}`);
      chosen = undefined;
      $('hw-book').hidden = true;
      render();
    });
  };
  $('hw-book').onsubmit = event => {
    event.preventDefault();
    void failSafely(book);
  };
  const day = $<HTMLInputElement>('hw-day');
  day.min = day.value = today();
  day.onchange = () => {
    renderBookForm();
    if (chosen && day.value) void failSafely(() => choose(chosen!));
  };
  $('hw-move').onsubmit = event => {
    event.preventDefault();
    void failSafely(move);
  };
  $('hw-move-close').onclick = () => {
    moving = undefined;
    renderMove();
    $('hw-bookings-heading').focus();
  };
  $('hw-move-day').onchange = () => {
    const day = value('hw-move-day');
    if (!moving || !day) return;
    moving = { booking: moving.booking, day };
    renderMove();
    void failSafely(loadMoveSlots);
  };
  $('hw-check-in').onsubmit = event => {
    event.preventDefault();
    void failSafely(checkInBooked);
  };
  $('hw-check-in-close').onclick = () => {
    closeCheckIn();
    $('hw-bookings-heading').focus();
  };
  await loadPatients();
  await loadBookings();
  await loadRequests();
  clearInterval(polling);
  polling = setInterval(() => void loadRequests().catch(() => undefined), refreshMs);
}

const value = (id: string) => $<HTMLInputElement>(id).value.trim();

/** Today in India, where the rosters' days are. */
const today = () => lastDays(1)[0];

const when = (startsAt: string) => `${formatDate(startsAt)} ${formatTime(startsAt)}`;

async function loadPatients(select?: string) {
  patients = await api.get<SpokePatient[]>('/api/spoke/patients');
  render();
  if (select) $<HTMLSelectElement>('hw-patient').value = select;
}

async function loadRequests() {
  requests = await api.get<SpokeRequest[]>('/api/spoke/requests');
  renderRequests();
  const started = requests.find(r => r.state === 'inConsultation' && r.consultationId);
  if (started && !inCall()) await joinCall(started.consultationId!, 'healthWorker');
}

/** Opens the booking form for the roster, then lists the free slots of the chosen day (a refusal leaves the form open to choose another day). */
async function choose(roster: Roster) {
  closeCheckIn();
  chosen = roster;
  $('hw-book-doctor').textContent = t('hw.bookWith', { doctor: roster.doctorName, hub: roster.hubName });
  $('hw-book').hidden = false;
  renderBookForm();
  const select = $<HTMLSelectElement>('hw-slot');
  select.replaceChildren();
  // Only the answer to the latest choice of roster and day counts: an earlier one may arrive after it.
  const asked = ++slotsAsked;
  let slots: { slots: Slot[] };
  try {
    slots = await api.get<{ slots: Slot[] }>(`/api/spoke/rosters/${roster.id}/slots?date=${encodeURIComponent(value('hw-day') || today())}`);
  } catch (error) {
    if (asked === slotsAsked) throw error;
    return;
  }
  if (asked !== slotsAsked) return;
  const free = slots.slots.filter(s => s.free);
  select.replaceChildren(...free.slice(0, 48).map(s => new Option(formatTime(s.startsAt), String(s.slot))));
  if (free.length === 0) throw new Error(t('hw.noSlots'));
}

/**
 * Books the chosen slot of the chosen day for the chosen patient. Today's is checked in at once, with the complaint and
 * vitals taken here; a later day's only holds the slot.
 */
async function book() {
  if (!chosen) return;
  const patientId = $<HTMLSelectElement>('hw-patient').value;
  if (!patientId) throw new Error(t('hw.choosePatient'));
  const date = value('hw-day') || today();
  const booked = await api.post<SpokeBooking>(`/api/spoke/rosters/${chosen.id}/bookings`, { patientId, date, slot: Number($<HTMLSelectElement>('hw-slot').value) });
  if (!checksInAtOnce(date, today())) {
    closeBookForm();
    $('hw-bookings-status').textContent = t('hw.bookedFor', { patient: patientName(patientId), time: when(booked.startsAt) });
    await loadBookings();
    return;
  }
  await checkIn(booked.sessionId, patientId);
  closeBookForm();
  await Promise.all([loadRequests(), loadBookings()]);
}

/**
 * Checks the patient in to the hub session with what the check-in fields hold; a booking of theirs in it is the one the
 * server checks in (and, past its time, marks missed and takes them as a walk-in if there is room).
 */
async function checkIn(sessionId: string, patientId: string) {
  await api.post(`/api/spoke/sessions/${sessionId}/check-in`, checkInRequest(patientId, {
    complaint: value('hw-complaint'), systolic: value('hw-v-systolic'), diastolic: value('hw-v-diastolic'), pulse: value('hw-v-pulse'),
    temperature: value('hw-v-temperature'), spO2: value('hw-v-spo2'), weight: value('hw-v-weight'),
    companionName: value('hw-companion-name'), companionRelation: value('hw-companion-relation'),
  }));
}

/**
 * Opens the check-in of a patient who booked ahead and has come. The complaint, vitals and companion fields are one
 * fragment of the page, lent to this form while it is open: the booking form is closed first.
 */
function openCheckIn(booking: SpokeBooking) {
  closeCheckIn();
  closeBookForm();
  checking = booking;
  $('hw-check-in-status').textContent = '';
  const fields = $('hw-check-in-fields');
  $('hw-check-in-status').before(fields);
  fields.hidden = false;
  renderCheckIn();
  $('hw-check-in-heading').focus();
}

/** Closes the check-in form, its fields cleared and handed back to the booking form. */
function closeCheckIn() {
  if (!checking) return;
  checking = undefined;
  $<HTMLFormElement>('hw-check-in').reset();
  $('hw-book-submit').before($('hw-check-in-fields'));
  renderCheckIn();
  renderBookForm();
}

function renderCheckIn() {
  $('hw-check-in').hidden = !checking;
  if (!checking) return;
  $('hw-check-in-heading').textContent = t('hw.checkInHeading', { patient: checking.patientName, time: when(checking.startsAt) });
}

/** Checks the booked patient in; the server's refusal (a child without an adult, a session over) stays in the form, to put right. */
async function checkInBooked() {
  if (!checking) return;
  const booking = checking;
  $('hw-check-in-status').textContent = '';
  try {
    await checkIn(booking.sessionId, booking.patientId);
  } catch (error) {
    $('hw-check-in-status').textContent = (error as Error).message;
    return;
  }
  closeCheckIn();
  $('hw-bookings-status').textContent = t('hw.checkedIn', { patient: booking.patientName });
  await Promise.all([loadRequests(), loadBookings()]);
  $('hw-bookings-heading').focus();
}

function closeBookForm() {
  $<HTMLFormElement>('hw-book').reset();
  $<HTMLInputElement>('hw-day').value = today();
  $('hw-book').hidden = true;
}

const patientName = (id: string) => patients.find(p => p.id === id)?.name ?? '';

/** Today's booking is checked in at once, so the form asks for the complaint and vitals only then. */
function renderBookForm() {
  if (checking) return;
  const now = checksInAtOnce(value('hw-day') || today(), today());
  $('hw-check-in-fields').hidden = !now;
  $('hw-book-later').hidden = now;
  $('hw-book-submit').textContent = t(now ? 'hw.book' : 'hw.bookOnly');
}

async function loadBookings() {
  bookings = await api.get<SpokeBooking[]>('/api/spoke/bookings');
  renderBookings();
}

function renderBookings() {
  if (!bookings) return;
  fillList($('hw-bookings'), orderedBookings(bookings).map(booking => {
    const item = document.createElement('li');
    item.dataset.booking = booking.id;
    item.dataset.state = booking.state;
    item.append(t('hw.booking', {
      patient: booking.patientName, specialty: booking.specialty ?? t('opd'), time: when(booking.startsAt), state: t(`patient.bookings.state.${booking.state}`),
    }));
    if (checkInNow(booking, today())) {
      const checkInButton = Object.assign(document.createElement('button'), { type: 'button', textContent: t('hw.checkIn') });
      checkInButton.dataset.action = 'check-in';
      checkInButton.addEventListener('click', () => openCheckIn(booking));
      item.append(' ', checkInButton);
    }
    if (changeable(booking)) {
      const change = Object.assign(document.createElement('button'), { type: 'button', textContent: t('hw.move') });
      change.dataset.action = 'move';
      change.addEventListener('click', () => void failSafely(() => openMove(booking)));
      const cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: t('hw.cancel') });
      cancel.dataset.action = 'cancel';
      cancel.addEventListener('click', () => void failSafely(() => cancelBooking(booking)));
      item.append(' ', change, ' ', cancel);
    }
    return item;
  }), t('hw.noBookings'));
}

async function openMove(booking: SpokeBooking) {
  moving = { booking, day: bookingDay(booking) };
  const day = $<HTMLInputElement>('hw-move-day');
  day.min = today();
  day.value = moving.day;
  // Only a rostered session has other days to move to.
  day.disabled = !booking.rosterId;
  renderMove();
  await loadMoveSlots();
  $('hw-move-heading').focus();
}

/**
 * The free slots of the chosen day: of the booking's own session on its day, of its roster's session on another. Read
 * again after a refused move: someone may have just taken the slot.
 */
async function loadMoveSlots() {
  if (!moving) return;
  const shown = moving;
  const { booking, day } = shown;
  const ownDay = day === bookingDay(booking);
  const listed = ownDay || !booking.rosterId
    ? { sessionId: booking.sessionId, ...await api.get<{ slots: Slot[] }>(`/api/sessions/${booking.sessionId}/slots`) }
    : await api.get<{ sessionId: string; slots: Slot[] }>(`/api/spoke/rosters/${booking.rosterId}/slots?date=${encodeURIComponent(day)}`);
  if (moving !== shown) return;
  shown.sessionId = listed.sessionId;
  shown.slots = slotsToMoveTo(booking, listed.sessionId, listed.slots);
  renderMove();
  if (shown.slots.length === 0) throw new Error(t(ownDay ? 'hw.noSlotsToMove' : 'hw.noSlots'));
}

function renderMove() {
  $('hw-move').hidden = !moving;
  if (!moving) return;
  const { booking, slots } = moving;
  $('hw-move-heading').textContent = t('hw.moveHeading', { patient: booking.patientName, time: when(booking.startsAt) });
  const select = $<HTMLSelectElement>('hw-move-slot');
  const selected = select.value;
  select.replaceChildren(...(slots ?? []).slice(0, 48).map(s => new Option(when(s.startsAt), String(s.slot))));
  if (slots?.some(s => String(s.slot) === selected)) select.value = selected;
}

/** Moves the booking to the chosen slot: within its session, or to its roster's session of the chosen day. */
async function move() {
  if (!moving?.slots) return;
  const { booking, day, sessionId, slots } = moving;
  const slot = slots.find(s => String(s.slot) === $<HTMLSelectElement>('hw-move-slot').value);
  if (!slot) return;
  const otherDay = sessionId !== booking.sessionId ? { rosterId: booking.rosterId, date: day } : {};
  let moved: SpokeBooking;
  try {
    moved = await api.post<SpokeBooking>(`/api/spoke/bookings/${booking.id}/reschedule`, { ...otherDay, slot: slot.slot, reason: value('hw-move-reason') });
  } catch (error) {
    await loadMoveSlots().catch(() => undefined);
    throw error;
  }
  moving = undefined;
  $<HTMLFormElement>('hw-move').reset();
  renderMove();
  $('hw-bookings-status').textContent = t('hw.moved', { patient: moved.patientName, time: when(moved.startsAt) });
  await loadBookings();
  $('hw-bookings-heading').focus();
}

/** Cancels a booking once the health worker confirms it and gives the reason, which the patient is told. */
async function cancelBooking(booking: SpokeBooking) {
  const reason = await askCancelReason(booking);
  if (reason === undefined) return;
  await api.post<SpokeBooking>(`/api/spoke/bookings/${booking.id}/cancel`, { reason });
  if (moving?.booking.id === booking.id) {
    moving = undefined;
    renderMove();
  }
  if (checking?.id === booking.id) closeCheckIn();
  $('hw-bookings-status').textContent = t('hw.cancelled', { patient: booking.patientName, time: when(booking.startsAt) });
  await loadBookings();
  $('hw-bookings-heading').focus();
}

/** The reason for cancelling, once confirmed in the dialog; undefined when the booking is kept. */
function askCancelReason(booking: SpokeBooking): Promise<string | undefined> {
  const dialog = $<HTMLDialogElement>('hw-cancel');
  const reason = $<HTMLTextAreaElement>('hw-cancel-reason');
  $('hw-cancel-text').textContent = t('hw.cancelText', { patient: booking.patientName, time: when(booking.startsAt) });
  reason.value = '';
  $('hw-cancel-no').onclick = () => dialog.close('keep');
  return new Promise(resolve => {
    dialog.returnValue = '';
    dialog.onclose = () => resolve(dialog.returnValue === 'cancel' ? reason.value.trim() : undefined);
    dialog.showModal();
  });
}

function render() {
  const select = $<HTMLSelectElement>('hw-patient');
  const selected = select.value;
  select.replaceChildren(...patients.map(p => Object.assign(document.createElement('option'), { value: p.id, textContent: t('hw.patientOption', { name: p.name, age: p.age }) })));
  if (patients.some(p => p.id === selected)) select.value = selected;
  const guardians = patients.filter(p => !p.guardianId);
  $<HTMLSelectElement>('hw-reg-guardian').replaceChildren(
    Object.assign(document.createElement('option'), { value: '', textContent: t('hw.newFamily') }),
    ...guardians.map(p => Object.assign(document.createElement('option'), { value: p.id, textContent: t('hw.familyOf', { name: p.name }) })));
  fillList($('hw-rosters'), rosters.map(roster => {
    const item = document.createElement('li');
    const pick = Object.assign(document.createElement('button'), {
      type: 'button', textContent: t('hw.roster', { doctor: roster.doctorName, specialty: roster.specialty, hub: roster.hubName, from: roster.from, to: roster.to }),
    });
    pick.dataset.roster = roster.id;
    pick.addEventListener('click', () => void failSafely(() => choose(roster)));
    item.append(pick);
    return item;
  }), t('hw.noRosters'));
  renderBookForm();
  renderBookings();
  renderMove();
  renderCheckIn();
  renderRequests();
}

function renderRequests() {
  fillList($('hw-requests'), requests.map(request => {
    const item = document.createElement('li');
    item.dataset.session = request.sessionId;
    item.dataset.state = request.state ?? '';
    const stateKey = `queue.state.${request.state ?? ''}`;
    const state = isMessageKey(stateKey) ? t(stateKey) : request.state ?? '';
    item.textContent = t('hw.request', {
      patient: request.patientName, doctor: request.doctors.map(d => d.name).join(', '), token: request.token, state,
    }) + (request.position != null ? ` (${t('queue.position', { position: request.position })})` : '');
    if (request.state === 'inConsultation' && request.consultationId) {
      const join = Object.assign(document.createElement('button'), { type: 'button', textContent: t('hw.join') });
      join.dataset.consultation = request.consultationId;
      join.addEventListener('click', () => void failSafely(() => joinCall(request.consultationId!, 'healthWorker')));
      item.append(' ', join);
    }
    return item;
  }), t('hw.noRequests'));
}
