import { $, accountKey, api, failSafely, hub, hubCommand, hubEvents, sessionButton, show } from '../shared/app';
import { inCall, joinCall } from '../shared/call/call-view';
import { attachmentAccept, checkInBody, checkInProblems, isOlder, type Companion } from './checkin';
import { loadBookings, openBooking } from './booking';
import { actingGuardian, showFamily } from './family';
import { formatNumber, formatRupees, formatTime, isMessageKey, onLanguageChange, t } from '../shared/i18n';
import { isFull, noFilters, sessionsPath, specialtyChoices, visibleSessions, type DoctorListing, type Facility, type OpdFilters, type OpdSession } from './opd-finder';
import { forgetPayment, paymentTokenState, resumePayment, showPayment } from './patient-payment';
import { loadProfile, offerFeedback, showPrescription } from './patient-records';
import { isMinor, today, type Patient } from './person';
import { loadAbha } from './abha';
import { enablePush, pushSupported } from './push';
import type { PaymentView } from './payment';
import { playTestTone, runPreCallCheck } from '../shared/call/precheck';
import type { HubReply } from '../shared/server-errors';

type TokenState = 'waiting' | 'called' | 'inConsultation' | 'completed' | 'skipped' | 'noShow' | 'recalled' | 'cancelled' | 'left' | 'awaitingPayment' | 'paymentExpired' | 'notHeld';
interface Position {
  sessionId: string; token: number; version: number; state: TokenState; position?: number | null; estimatedWaitMinutes?: number | null;
  sessionStatus?: 'open' | 'paused' | 'closed'; consultationId?: string | null;
}
type CheckInReply = Position | { position: Position; payment: PaymentView };
interface CareContext { consultationId: string; status: string; doctorName: string; prescriptionId?: string | null; rating?: number | null }

/** Token states a patient may still give up (the server decides again). */
const leavable: TokenState[] = ['waiting', 'called', 'recalled', 'skipped', 'awaitingPayment'];
const finished: TokenState[] = ['completed', 'cancelled', 'left', 'noShow', 'paymentExpired', 'notHeld'];

// What the page shows from data, kept so a language switch can render it again.
let sessions: OpdSession[] | undefined;
let sessionsFailed = false;
let facilities: Facility[] = [];
let doctors: DoctorListing[] = [];
let filters: OpdFilters = noFilters;
let checkingIn: OpdSession | undefined;
let position: Position | undefined;
let afterCall: 'loading' | 'prescription' | 'none' | undefined;
let me: Patient | undefined;

/** The OPD session this account waits in, remembered for a reload (a family member's apart from the guardian's). */
const waitingKey = () => accountKey('telemed.session');

onLanguageChange(() => {
  renderFilters();
  renderOpenSessions();
  renderCheckIn();
  renderPosition();
});

export async function patientHome() {
  show('patient');
  offerPush();
  $<HTMLInputElement>('checkin-files').accept = attachmentAccept;
  void failSafely(loadAbha);
  void failSafely(loadBookings);
  // A list that fails to load says so where the list would be (and what to do); the rest of the page still opens.
  const sessionsLoaded = loadSessions().catch(() => undefined);
  const [loadedFacilities, loadedDoctors, , profile] = await Promise.all([
    api.get<Facility[]>('/api/facilities'), api.get<DoctorListing[]>('/api/doctors'), sessionsLoaded, loadProfile(),
  ]);
  facilities = loadedFacilities;
  doctors = loadedDoctors;
  me = profile;
  renderFilters();
  renderOpenSessions();
  await showFamily(profile);
  const resume = sessionStorage.getItem(waitingKey());
  if (resume) {
    await watchToken(resume);
    await resumePayment();
  }
}

/** Web push, offered where the browser supports it; the button goes once this device is subscribed. */
function offerPush() {
  const button = $<HTMLButtonElement>('push-enable');
  button.hidden = !pushSupported();
  button.onclick = () => void failSafely(async () => {
    const state = await enablePush(api);
    $('push-state').textContent = t(`push.${state}`);
    button.hidden = state === 'subscribed';
  });
}

// --- Finding an OPD -----------------------------------------------------------------------------------------------

let sessionsRequest = 0;

/** The sessions for the filters now chosen; an answer to an older choice (filters changed quickly) is dropped. */
async function loadSessions() {
  const request = ++sessionsRequest;
  sessions = undefined;
  sessionsFailed = false;
  renderOpenSessions();
  try {
    const loaded = await api.get<OpdSession[]>(sessionsPath(filters));
    if (request === sessionsRequest) sessions = loaded;
  } catch (error) {
    if (request !== sessionsRequest) return;
    sessionsFailed = true;
    throw error;
  } finally {
    if (request === sessionsRequest) renderOpenSessions();
  }
}

for (const [id, field] of [['filter-facility', 'facilityId'], ['filter-specialty', 'specialty'], ['filter-doctor', 'doctorId']] as const) {
  $(id).addEventListener('change', () => void failSafely(async () => {
    filters = { ...filters, [field]: $<HTMLSelectElement>(id).value };
    await loadSessions();
  }));
}

function renderFilters() {
  const fill = (id: string, anyKey: 'patient.filter.anyFacility' | 'patient.filter.anySpecialty' | 'patient.filter.anyDoctor', options: [string, string][], chosen: string) => {
    const select = $<HTMLSelectElement>(id);
    const any = Object.assign(document.createElement('option'), { value: '', textContent: t(anyKey) });
    select.replaceChildren(any, ...options.map(([value, text]) => Object.assign(document.createElement('option'), { value, textContent: text })));
    select.value = chosen;
  };
  fill('filter-facility', 'patient.filter.anyFacility', facilities.map(f => [f.id, f.district ? `${f.name}, ${f.district}` : f.name]), filters.facilityId);
  fill('filter-specialty', 'patient.filter.anySpecialty', specialtyChoices(doctors, sessions ?? []).map(s => [s, s]), filters.specialty);
  fill('filter-doctor', 'patient.filter.anyDoctor', doctors.map(d => [d.id, d.specialty ? `${d.name} (${d.specialty})` : d.name]), filters.doctorId);
}

function renderOpenSessions() {
  const status = $('sessions-status');
  const list = $('sessions');
  if (sessionsFailed) {
    status.textContent = t('patient.sessionsFailed');
    list.replaceChildren();
    return;
  }
  if (!sessions) {
    status.textContent = t('patient.loading');
    return;
  }
  const visible = visibleSessions(sessions, filters);
  const filtered = filters.facilityId || filters.specialty || filters.doctorId;
  status.textContent = visible.length > 0 ? '' : t(filtered ? 'patient.noSessionsFiltered' : 'patient.noSessions');
  // The list is drawn again whenever a session changes; whoever is on one of its buttons (keyboard, screen reader) stays there.
  const focused = list.contains(document.activeElement) ? document.activeElement as HTMLElement : undefined;
  const focusedSession = focused?.closest('li')?.querySelector('button')?.dataset.session;
  const focusedAction = focused?.dataset.action;
  list.replaceChildren(...visible.map(session => {
    const item = sessionButton({ ...session, specialty: session.specialty ?? undefined }, t('patient.checkIn', {
      doctors: session.doctors.map(d => d.name).join(', '), specialty: session.specialty ?? t('opd'), waiting: session.waiting,
    }), async () => openCheckIn(session));
    const facts = [
      t('patient.session.hours', { from: formatTime(session.startsAt), to: formatTime(session.endsAt) }),
      facilities.find(f => f.id === session.facilityId)?.name,
      session.feePaise > 0 ? t('patient.session.fee', { amount: formatRupees(session.feePaise) }) : t('patient.session.free'),
      session.status === 'paused' ? t('patient.session.pausedShort') : undefined,
      isFull(session) ? t('patient.session.full') : undefined,
    ].filter(fact => fact !== undefined);
    item.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: facts.join(' · ') }));
    const checkIn = item.querySelector('button')!;
    checkIn.disabled = isFull(session);
    checkIn.dataset.icon = 'arrow';
    checkIn.classList.add('primary');
    const book = Object.assign(document.createElement('button'), { type: 'button', textContent: t('patient.book.open'), disabled: isFull(session) });
    book.dataset.action = 'book';
    book.dataset.icon = 'calendar';
    book.addEventListener('click', () => void failSafely(() => openBooking(session)));
    item.append(book);
    return item;
  }));
  if (focusedSession) {
    const item = list.querySelector(`button[data-session='${focusedSession}']`)?.closest('li');
    item?.querySelector<HTMLButtonElement>(focusedAction ? `button[data-action='${focusedAction}']` : 'button')?.focus();
  }
}

// --- Checking in --------------------------------------------------------------------------------------------------

function openCheckIn(session: OpdSession) {
  checkingIn = session;
  $('checkin-problems').replaceChildren();
  renderCheckIn();
  $('checkin-heading').focus();
}

function renderCheckIn() {
  const form = $('checkin-form');
  form.hidden = !checkingIn;
  if (!checkingIn) return;
  form.dataset.session = checkingIn.id;
  $('checkin-heading').textContent = t('patient.checkin.heading', {
    doctors: checkingIn.doctors.map(d => d.name).join(', '), specialty: checkingIn.specialty ?? t('opd'),
  });
  $('checkin-fee').textContent = checkingIn.feePaise > 0
    ? t('patient.checkin.fee', { amount: formatRupees(checkingIn.feePaise) })
    : t('patient.checkin.free');
  renderCompanion();
}

// --- The adult who comes with a minor -----------------------------------------------------------------------------

/** A minor names the adult who comes along; a guardian consulting for them is that adult unless they name another. */
function renderCompanion() {
  const minor = me !== undefined && isMinor(me, today());
  const guardian = actingGuardian();
  $('checkin-companion').hidden = !minor;
  if (!minor || !me) return;
  $('checkin-companion-legend').textContent = t('patient.companion.legend', { name: me.name });
  $('checkin-companion-guardian-choice').hidden = !guardian;
  $('checkin-companion-other-choice').hidden = !guardian;
  $('checkin-companion-guardian-label').textContent = guardian ? t('patient.companion.guardian', { name: guardian.name }) : '';
  const chosen = document.querySelector<HTMLInputElement>('input[name="companion"]:checked');
  if (!chosen) $<HTMLInputElement>(guardian ? 'checkin-companion-guardian' : 'checkin-companion-other').checked = true;
  $('checkin-companion-adult').hidden = $<HTMLInputElement>('checkin-companion-guardian').checked;
}

for (const id of ['checkin-companion-guardian', 'checkin-companion-other']) $(id).addEventListener('change', renderCompanion);

function companion(): Companion {
  return {
    needed: !$('checkin-companion').hidden && $<HTMLInputElement>('checkin-companion-other').checked,
    name: $<HTMLInputElement>('checkin-companion-name').value,
    relation: $<HTMLSelectElement>('checkin-companion-relation').value,
  };
}

$('checkin-cancel').addEventListener('click', () => {
  const session = checkingIn;
  checkingIn = undefined;
  renderCheckIn();
  if (session) $('sessions').querySelector<HTMLButtonElement>(`button[data-session='${session.id}']`)?.focus();
});

$('checkin-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    if (!checkingIn) return;
    const complaint = $<HTMLTextAreaElement>('checkin-complaint').value;
    const files = [...($<HTMLInputElement>('checkin-files').files ?? [])];
    const problems = checkInProblems(complaint, files, companion());
    $('checkin-problems').replaceChildren(...problems.map(p => Object.assign(document.createElement('li'), { textContent: t(p.key, p.params) })));
    if (problems.length > 0) return;
    const submit = $<HTMLButtonElement>('checkin-submit');
    submit.disabled = true;
    try {
      await checkIn(checkingIn.id, checkInBody(complaint, files, companion()));
    } finally {
      submit.disabled = false;
    }
  });
});

async function checkIn(sessionId: string, body: FormData | object) {
  const reply = await api.post<CheckInReply>(`/api/sessions/${sessionId}/check-in`, body);
  checkingIn = undefined;
  renderCheckIn();
  $<HTMLFormElement>('checkin-form').reset();
  sessionStorage.setItem(waitingKey(), sessionId);
  forgetPayment();
  // A check-in on a booking uses it up.
  void failSafely(loadBookings);
  await watchToken(sessionId);
  // The form just submitted is gone: keyboard and screen-reader users continue from the waiting room.
  $('waiting-heading').focus();
  if ('payment' in reply) await showPayment(reply.payment);
}

// --- The waiting room ---------------------------------------------------------------------------------------------

async function watchToken(sessionId: string) {
  const render = (p: Position) => {
    if (isOlder(p, position)) return;
    if (p.state === 'called' && position?.state !== 'called') alertCalled();
    const justCompleted = p.state === 'completed' && position?.state !== 'completed';
    position = p;
    paymentTokenState(p.state);
    renderPosition();
    if (p.state === 'inConsultation' && p.consultationId && !inCall()) void failSafely(() => joinCall(p.consultationId!, 'patient'));
    if (justCompleted) void failSafely(() => prescriptionAfterCall(p));
  };
  // One token watched at a time: a handler of a session left before is replaced, not added to.
  hub('queue').off('PositionChanged');
  hub('queue').on('PositionChanged', (p: Position) => p.sessionId === sessionId && render(p));
  // A reconnected hub is a new connection: watch again (that also marks the patient online) and take the position now.
  hubEvents.queue.removeEventListener('reconnected', watchAgain);
  watchAgain = () => void failSafely(async () => render(await hubCommand<Position>('queue', 'WatchMyToken', sessionId)));
  hubEvents.queue.addEventListener('reconnected', watchAgain);
  const reply = await hub('queue').invoke<HubReply<Position>>('WatchMyToken', sessionId);
  if (reply.ok) return render(reply.value!);
  // Not checked in there any more: nothing to resume.
  hubEvents.queue.removeEventListener('reconnected', watchAgain);
  sessionStorage.removeItem(waitingKey());
}

let watchAgain = () => {};

/** After the consultation, its prescription is shown in the page (and stays in the history). */
async function prescriptionAfterCall(p: Position) {
  afterCall = 'loading';
  renderPosition();
  const records = await api.get<CareContext[]>('/api/records');
  const record = records.find(r => r.consultationId === p.consultationId) ?? records[0];
  afterCall = record?.prescriptionId ? 'prescription' : 'none';
  renderPosition();
  if (record?.prescriptionId) await showPrescription(record.prescriptionId);
  // Feedback is offered once the visit is over; it stays optional and can be given later from the records.
  if (record?.status === 'completed' && !record.rating) offerFeedback(record, { focus: !record.prescriptionId });
}

$('leave-queue').addEventListener('click', () => {
  $('leave-confirm').hidden = false;
  $('leave-no').focus();
});
$('leave-no').addEventListener('click', () => {
  $('leave-confirm').hidden = true;
  $('leave-queue').focus();
});
$('leave-yes').addEventListener('click', () => void failSafely(async () => {
  if (!position) return;
  position = await hubCommand<Position>('queue', 'CancelMyToken', position.sessionId, position.token);
  $('leave-confirm').hidden = true;
  renderPosition();
  $('waiting-heading').focus();
  await loadSessions();
}));

/** "You are next": a short double tone and a vibration, for a patient who looked away from the screen. */
function alertCalled() {
  navigator.vibrate?.([300, 150, 300]);
  try {
    const audio = new AudioContext();
    [0, 0.35].forEach(at => {
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start(audio.currentTime + at);
      tone.stop(audio.currentTime + at + 0.2);
    });
    setTimeout(() => void audio.close(), 1000);
  } catch {
    // No audio output (or not allowed yet): the text and the vibration still tell them.
  }
}

function renderPosition() {
  if (!position) return;
  const done = finished.includes(position.state);
  $('waiting').hidden = false;
  $('waiting').dataset.state = position.state;
  $('token').textContent = formatNumber(position.token);
  $('position').textContent = position.position ? formatNumber(position.position) : '—';
  const minutes = position.estimatedWaitMinutes;
  $('wait').textContent = minutes !== undefined && minutes !== null ? t('waiting.minutes', { minutes }) : '—';
  const stateKey = `token.${position.state}`;
  $('token-state').textContent = isMessageKey(stateKey) ? t(stateKey) : position.state;
  $('session-state').textContent = done ? '' : position.sessionStatus === 'paused' ? t('patient.session.paused')
    : position.sessionStatus === 'closed' ? t('patient.session.closed') : '';
  $('leave').hidden = !leavable.includes(position.state);
  // Someone whose visit is over may look for another OPD; someone in a queue is not offered a second one.
  $('find-opd').hidden = !done;
  if (done) sessionStorage.removeItem(waitingKey());
  $('after-call').hidden = position.state !== 'completed' || !afterCall;
  $('after-call-status').textContent = afterCall === 'loading' ? t('patient.loading')
    : afterCall === 'prescription' ? t('patient.afterCall.prescription') : afterCall === 'none' ? t('patient.afterCall.none') : '';
}

$('precheck-run').addEventListener('click', () => void failSafely(async () => {
  $('precheck-verdict').textContent = t('precheck.testing');
  $('precheck-speed').textContent = '';
  const result = await runPreCallCheck(api);
  $('precheck-verdict').textContent = `${result.verdict}: ${result.advice}`;
  $('precheck-speed').textContent = result.speed;
}));

// The speakers are tested by ear: a tone plays, and only the patient can say whether it came out.
$('precheck-tone').addEventListener('click', () => void failSafely(async () => {
  $('precheck-heard').hidden = true;
  $('precheck-speaker-result').textContent = t('precheck.tonePlaying');
  delete $('precheck-speaker-result').dataset.heard;
  await playTestTone();
  $('precheck-speaker-result').textContent = '';
  $('precheck-heard').hidden = false;
  $('precheck-heard-yes').focus();
}));
for (const heard of [true, false]) {
  $(heard ? 'precheck-heard-yes' : 'precheck-heard-no').addEventListener('click', () => {
    $('precheck-heard').hidden = true;
    $('precheck-speaker-result').dataset.heard = String(heard);
    $('precheck-speaker-result').textContent = t(heard ? 'precheck.speakerWorks' : 'precheck.speakerSilent');
  });
}

