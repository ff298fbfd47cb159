import './doctor-page';
import { $, api, failSafely, hub, hubCommand, hubEvents, sessionButton, show } from '../shared/app';
import { hangUp, joinCall } from '../shared/call/call-view';
import {
  actionsFor, canMarkNotHeld, DoctorQueue, hubCalls, isStillWaiting, minutesWaiting, waitingNote,
  type AssistedBy, type PresenceChange, type QueueAction, type QueueDelta, type QueueRow, type QueueView,
} from './doctor-queue';
import type { PatientFacts } from './doctor-patient';
import { prepareRosters } from './rosters';
import { byStart, localInputValue, newSessionRequest, sessionActions, sessionHubMethods, type DoctorSession, type SessionAction } from './doctor-sessions';
import { formatDate, formatTime, isMessageKey, onLanguageChange, relationWords, t, type MessageKey } from '../shared/i18n';
import { PatientPanel } from './patient-panel';
import { RecordForm } from './record';
import { watchInvitations } from './staff-room';
import { openCompletedVisit } from './completed-visit';
import './doctor-feedback';
import { fillList } from '../shared/lists';
import { HubRefusal } from '../shared/server-errors';

interface StaffCandidate { id: string; name: string; specialty?: string | null }

/** Undefined while loading; the sessions of this doctor that have not ended (a session closed here stays, marked closed). */
let sessions: DoctorSession[] | undefined;
let watchedSessionId: string | undefined;
const patientPanel = new PatientPanel();

onLanguageChange(renderSessions);

export async function doctorHome() {
  show('doctor');
  renderSessions();
  await Promise.all([loadSessions(), prepareNewSession(), watchInvitations()]);
}

async function loadSessions() {
  try {
    sessions = byStart(await api.get<DoctorSession[]>(`/api/sessions?doctorId=${api.tokens!.accountId}`));
    renderSessions();
  } catch (error) {
    $('doctor-sessions-state').textContent = t('doctor.sessionsError', { message: (error as Error).message });
  }
}

function renderSessions() {
  const state = $('doctor-sessions-state');
  if (!sessions) {
    state.textContent = t('doctor.sessionsLoading');
    return;
  }
  state.textContent = sessions.length === 0 ? t('doctor.sessionsEmpty') : '';
  $('doctor-sessions').replaceChildren(...sessions.map(session => {
    const item = sessionButton(session, t('doctor.openQueue', { specialty: session.specialty ?? t('opd'), waiting: session.waiting }), () => runQueue(session.id));
    item.dataset.sessionId = session.id;
    item.dataset.status = session.status;
    const when = t('doctor.sessionWhen', { day: formatDate(session.startsAt), from: formatTime(session.startsAt), to: formatTime(session.endsAt) });
    item.append(' ', Object.assign(document.createElement('span'), {
      className: 'session-facts', textContent: t('doctor.sessionFacts', { when, status: t(`doctor.status.${session.status}`) }),
    }));
    for (const action of sessionActions(session.status)) {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: t(`doctor.action.${action}`) });
      button.dataset.sessionAction = action;
      button.addEventListener('click', () => void failSafely(() => changeSession(session.id, action)));
      item.append(' ', button);
    }
    return item;
  }));
}

async function changeSession(sessionId: string, action: SessionAction) {
  // The confirmation counts who is waiting now, not when the list was loaded.
  if (action === 'close' && !(await confirmClose(await refreshSession(sessionId)))) return;
  await hubCommand('queue', sessionHubMethods[action], sessionId);
  await refreshSession(sessionId);
}

async function refreshSession(sessionId: string) {
  const fresh = await api.get<DoctorSession>(`/api/sessions/${sessionId}`);
  sessions = (sessions ?? []).map(session => (session.id === sessionId ? fresh : session));
  renderSessions();
  if (watchedSessionId === sessionId) renderQueueHeading();
  return fresh;
}

/** Closing cannot be undone: the doctor is told what happens to those still waiting and must say yes. */
function confirmClose(session: DoctorSession): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('close-confirm');
  $('close-confirm-text').textContent = t('doctor.closeConfirm', { waiting: session.waiting });
  return new Promise(resolve => {
    dialog.returnValue = '';
    dialog.onclose = () => resolve(dialog.returnValue === 'close');
    dialog.showModal();
  });
}

/**
 * The new-session form starts filled in: the doctor's facilities and specialty, from now for four hours. Its button
 * waits for that, so an early click cannot meet an empty facility list and be silently refused by the browser.
 */
async function prepareNewSession() {
  try {
    await fillNewSession();
  } finally {
    $<HTMLButtonElement>('ns-open').disabled = false;
  }
}

async function fillNewSession() {
  const [me, facilities] = await Promise.all([
    api.get<{ doctor?: { specialty?: string | null; facilityIds: string[] } }>('/api/me'),
    api.get<{ id: string; name: string }[]>('/api/facilities'),
  ]);
  const mine = facilities.filter(facility => me.doctor?.facilityIds.includes(facility.id));
  $('ns-facility').replaceChildren(...mine.map(facility => new Option(facility.name, facility.id)));
  await prepareRosters(mine, me.doctor?.specialty);
  // The doctor may have typed into the form while it was being prepared: what they wrote stays.
  const prefill = (id: string, value: string) => {
    const input = $<HTMLInputElement>(id);
    if (!input.value) input.value = value;
  };
  prefill('ns-specialty', me.doctor?.specialty ?? '');
  const now = new Date();
  prefill('ns-starts', localInputValue(now));
  prefill('ns-ends', localInputValue(new Date(now.getTime() + 4 * 3_600_000)));
}

$('session-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    const value = (id: string) => $<HTMLInputElement>(id).value;
    const result = newSessionRequest({
      facilityId: value('ns-facility'), startsAt: value('ns-starts'), endsAt: value('ns-ends'),
      capacity: value('ns-capacity'), specialty: value('ns-specialty'), slotMinutes: value('ns-slot'),
    });
    if ('error' in result) throw new Error(t(result.error));
    const opened = await api.post<DoctorSession>('/api/sessions', result.request);
    sessions = byStart([...(sessions ?? []), opened]);
    renderSessions();
    $('ns-status').textContent = t('doctor.sessionOpened');
  });
});

function renderQueueHeading() {
  const session = sessions?.find(s => s.id === watchedSessionId);
  $('queue-heading').textContent = session
    ? t('doctor.queueHeading', { specialty: session.specialty ?? t('opd'), status: t(`doctor.status.${session.status}`) })
    : '';
}

let ticking: ReturnType<typeof setInterval> | undefined;

let watchAgain = () => {};

async function runQueue(sessionId: string) {
  $('queue-controls').hidden = false;
  watchedSessionId = sessionId;
  renderQueueHeading();
  let current: number | undefined;
  // Start may be pressed while a call is still on its way: it waits for that call, so it starts the token just called.
  let calling: Promise<unknown> = Promise.resolve();
  const command = (method: string, ...args: unknown[]) => hubCommand<{ token: number; consultationId?: string }>('queue', method, sessionId, ...args);
  const queue = new DoctorQueue(sessionId, await command('WatchQueue') as unknown as QueueView);
  const act = (action: QueueAction, row: QueueRow) => void failSafely(async () => {
    const { method, argument } = hubCalls[action];
    const sent = argument ? command(method, row.token, argument) : command(method, row.token);
    if (action === 'call') calling = sent.then(() => { current = row.token; });
    await sent;
  });
  const render = () => renderQueue(sessionId, queue.ordered(), act, markNotHeld);
  // One queue on screen at a time: handlers of a queue opened before are replaced, not added to.
  hub('queue').off('QueueUpdated');
  hub('queue').off('PatientPresenceChanged');
  hub('queue').on('QueueUpdated', (delta: QueueDelta) => queue.apply(delta) && render());
  hub('queue').on('PatientPresenceChanged', (change: PresenceChange) => queue.presence(change) && render());
  onLanguageChange(render);
  render();
  // A reconnected hub is a new connection, no longer watching: watch again and take the whole view (deltas were missed).
  hubEvents.queue.removeEventListener('reconnected', watchAgain);
  watchAgain = () => void failSafely(async () => {
    if (watchedSessionId !== sessionId) return;
    queue.reset(await command('WatchQueue') as unknown as QueueView);
    render();
  });
  hubEvents.queue.addEventListener('reconnected', watchAgain);
  // Waiting times are counted on this device, so they move on without a push.
  clearInterval(ticking);
  ticking = setInterval(render, 30_000);
  $('call-next').onclick = () => void failSafely(async () => {
    calling = command('CallNext').then(row => { current = row.token; });
    await calling;
  });
  let record: RecordForm | undefined;
  let consultationId: string | undefined;
  /** The consultation on screen is over (the call already hung up): the record form and the patient's details go. */
  const closeConsultation = () => {
    $('record').hidden = true;
    $('invite').hidden = true;
    patientPanel.close();
  };
  async function markNotHeld(row: QueueRow) {
    const reason = await askNotHeldReason(row.token);
    if (reason === undefined) return;
    await api.post(`/api/sessions/${sessionId}/tokens/${row.token}/not-held`, { reason });
    $('completed').textContent = t('doctor.notHeldDone', { token: row.token });
    if (row.state === 'inConsultation' && row.consultationId === consultationId) {
      await hangUp();
      closeConsultation();
    }
  }
  $('start').onclick = () => void failSafely(async () => {
    await calling.catch(() => undefined);
    if (current === undefined) throw new Error(t('doctor.callFirst'));
    const row = await command('StartConsultation', current);
    consultationId = row.consultationId!;
    record = new RecordForm(api, consultationId, $);
    await record.open();
    await joinCall(consultationId, 'doctor');
    const started = queue.ordered().find(r => r.token === row.token);
    $('call-assisted').textContent = started?.assistedBy ? assistedLine(started.assistedBy, 'call.assistedBy') : '';
    const consultation = await api.get<{ patientId: string; patient?: { name: string; ageYears: number; sex: string; abhaNumber?: string; abhaAddress?: string } }>(
      `/api/consultations/${consultationId}`);
    const patient = consultation.patient;
    record.showPatient(patient?.ageYears ?? started?.patient.age ?? 0, patient?.sex ?? started?.patient.sex ?? '');
    await Promise.all([
      patientPanel.open(consultation.patientId, {
        name: patient?.name ?? started?.patient.name ?? '', age: patient?.ageYears ?? started?.patient.age ?? 0, sex: patient?.sex ?? started?.patient.sex ?? '',
        abha: patient?.abhaNumber ?? patient?.abhaAddress, complaint: started?.complaint,
      }, consultationId),
      prepareInvite(consultationId),
    ]);
  });
  $('add-medicine').onclick = () => record?.addMedicine();
  $('record').onsubmit = event => {
    event.preventDefault();
    void failSafely(async () => record?.save());
  };
  $('complete').onclick = () => void failSafely(async () => {
    // Signing takes what was saved: unsaved changes are saved first, and a refusal (a TPG rule) stops here.
    if (record?.changed) await record.save();
    try {
      await completeSigning(() => command('Complete', current, signingUnlock ?? null));
    } catch (error) {
      const reason = (error as Error).message;
      throw new Error(record?.markSigningRefusal(reason) ? t('doctor.signBlocked', { reason }) : reason);
    }
    await hangUp();
    const done = await api.get<{ prescriptionId?: string }>(`/api/consultations/${consultationId}/record`);
    $('completed').textContent = done.prescriptionId ? t('doctor.completedSigned', { id: done.prescriptionId }) : t('doctor.completedNone');
    const pdf = $('completed-pdf');
    pdf.hidden = !done.prescriptionId;
    pdf.onclick = () => void failSafely(() => api.download(`/api/prescriptions/${done.prescriptionId}/pdf`, `prescription-${done.prescriptionId}.pdf`));
    closeConsultation();
  });
}

/**
 * The unlock token of the doctor's signing key, kept in this page's memory only: the doctor's password (and code) is
 * asked once, when the first completion that signs finds the key locked, and the token serves the rest of the shift.
 */
let signingUnlock: string | undefined;

/** Runs the completion; when the server says the signing key is locked (or the unlock ran out), asks to unlock it and runs it again. */
async function completeSigning<T>(complete: () => Promise<T>): Promise<T> {
  try {
    return await complete();
  } catch (error) {
    if (!(error instanceof HubRefusal && error.code === 'SigningLocked')) throw error;
    signingUnlock = undefined;
    if (!(await askSigningUnlock())) throw error;
    return complete();
  }
}

/** Shows the unlock dialog until the password (and code) unlock the key, or the doctor cancels; true when unlocked. */
function askSigningUnlock(): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('signing-unlock');
  const password = $<HTMLInputElement>('signing-unlock-password');
  const code = $<HTMLInputElement>('signing-unlock-code');
  const error = $('signing-unlock-error');
  password.value = code.value = error.textContent = '';
  return new Promise(resolve => {
    $('signing-unlock-no').onclick = () => { dialog.close(); resolve(false); };
    $<HTMLFormElement>('signing-unlock-form').onsubmit = event => {
      event.preventDefault();
      void (async () => {
        try {
          const unlocked = await api.post<{ unlockToken: string }>('/api/doctors/me/signing-unlock', { password: password.value, code: code.value.trim() || null });
          signingUnlock = unlocked.unlockToken;
          dialog.close();
          resolve(true);
        } catch (failure) {
          error.textContent = (failure as Error).message;
        } finally {
          password.value = '';
        }
      })();
    };
    dialog.showModal();
    password.focus();
  });
}

/** The reason the doctor gives for a consultation that could not be held; undefined when they keep the token as it is. */
function askNotHeldReason(token: number): Promise<string | undefined> {
  const dialog = $<HTMLDialogElement>('not-held');
  const reason = $<HTMLTextAreaElement>('not-held-reason');
  $('not-held-title').textContent = t('doctor.notHeldTitle', { token });
  reason.value = '';
  $('not-held-no').onclick = () => dialog.close('keep');
  return new Promise(resolve => {
    dialog.returnValue = '';
    dialog.onclose = () => resolve(dialog.returnValue === 'mark' ? reason.value.trim() : undefined);
    dialog.showModal();
  });
}

/** The consulting doctor picks a colleague (an interpreter, a specialist) to join the room. */
async function prepareInvite(consultationId: string) {
  const candidates = await api.get<StaffCandidate[]>(`/api/consultations/${consultationId}/staff-candidates`);
  const select = $<HTMLSelectElement>('invite-staff');
  const send = $<HTMLButtonElement>('invite-send');
  const label = (c: StaffCandidate) => (c.specialty ? t('doctor.colleague', { name: c.name, specialty: c.specialty }) : c.name);
  select.replaceChildren(...candidates.map(c => new Option(label(c), c.id)));
  select.disabled = send.disabled = candidates.length === 0;
  $('invite-status').textContent = candidates.length === 0 ? t('doctor.inviteNone') : '';
  $('invite').hidden = false;
  send.onclick = () => void failSafely(async () => {
    const chosen = select.selectedOptions[0];
    if (!chosen) return;
    await api.post(`/api/consultations/${consultationId}/staff`, { staffId: chosen.value });
    $('invite-status').textContent = t('doctor.invited', { name: candidates.find(c => c.id === chosen.value)?.name ?? chosen.text });
    chosen.remove();
    select.disabled = send.disabled = select.options.length === 0;
  });
}

/** The live queue: in line first, by place; the called and finished after, by token. */
function renderQueue(sessionId: string, rows: QueueRow[], act: (action: QueueAction, row: QueueRow) => void, markNotHeld: (row: QueueRow) => Promise<void>) {
  const now = Date.now();
  fillList($('queue'), rows.map(row => {
    const item = document.createElement('li');
    item.dataset.token = String(row.token);
    item.dataset.state = row.state;
    const stateKey = `queue.state.${row.state}`;
    const state = isMessageKey(stateKey) ? t(stateKey) : row.state;
    const waited = isStillWaiting(row) ? waitingNote(minutesWaiting(row.checkedInAt, now)) : undefined;
    const notes = [
      row.position != null ? t('queue.position', { position: row.position }) : undefined,
      row.priority !== 'normal' ? t(`queue.priority.${row.priority}` as MessageKey) : undefined,
      row.online ? undefined : t('queue.offline'),
      row.calledWhileOffline ? t('queue.calledWhileOffline') : undefined,
      row.slotStartsAt ? t('queue.booked', { time: formatTime(row.slotStartsAt) }) : undefined,
    ].filter(note => note !== undefined);
    item.textContent = t('queue.row', { token: row.token, name: row.patient.name, age: row.patient.age, state }) + (notes.length ? ` (${notes.join(', ')})` : '');
    if (waited) {
      item.append(' ', Object.assign(document.createElement('span'), { className: 'waited', textContent: t(waited.key, waited.params) }));
    }
    if (row.accompaniedBy) {
      const text = t('queue.accompanied', { name: row.accompaniedBy.name, relation: relationWords(row.accompaniedBy.relation) });
      item.append(Object.assign(document.createElement('div'), { className: 'companion', textContent: text }));
    }
    if (row.assistedBy) {
      item.append(Object.assign(document.createElement('div'), { className: 'assisted', textContent: assistedLine(row.assistedBy) }));
    }
    if (row.complaint) {
      item.append(Object.assign(document.createElement('div'), { className: 'complaint', textContent: row.complaint }));
    }
    for (const attachment of row.attachments ?? []) {
      const download = Object.assign(document.createElement('button'), {
        type: 'button', className: 'attachment',
        textContent: t('queue.attachment', { name: attachment.fileName, size: Math.max(1, Math.round(attachment.size / 1024)) }),
      });
      download.addEventListener('click', () => void failSafely(() =>
        api.download(`/api/sessions/${sessionId}/attachments/${attachment.id}`, attachment.fileName)));
      item.append(download);
    }
    const details = Object.assign(document.createElement('button'), { type: 'button', textContent: t('doctor.viewPatient') });
    details.dataset.action = 'details';
    details.addEventListener('click', () => void failSafely(() => patientPanel.open(row.patientId, rowFacts(row))));
    item.append(' ', details);
    for (const action of actionsFor(row)) {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: t(`queue.action.${action}`) });
      button.dataset.action = action;
      button.addEventListener('click', () => act(action, row));
      item.append(' ', button);
    }
    if (canMarkNotHeld(row)) {
      const notHeld = Object.assign(document.createElement('button'), { type: 'button', textContent: t('doctor.notHeld') });
      notHeld.dataset.action = 'notHeld';
      notHeld.addEventListener('click', () => void failSafely(() => markNotHeld(row)));
      item.append(' ', notHeld);
    }
    if (row.state === 'completed' && row.consultationId) {
      const consultation = row.consultationId;
      const visit = Object.assign(document.createElement('button'), { type: 'button', textContent: t('doctor.openVisit') });
      visit.dataset.action = 'visit';
      visit.addEventListener('click', () => void failSafely(() => openCompletedVisit(consultation, row.token)));
      item.append(' ', visit);
    }
    return item;
  }), t('queue.empty'));
}

/** Before the consultation the queue row is all the doctor knows of the patient (the ABHA comes with their records). */
function rowFacts(row: QueueRow): PatientFacts {
  return { name: row.patient.name, age: row.patient.age, sex: row.patient.sex, complaint: row.complaint };
}

/** Who sits with the patient at the spoke (the health worker, their cadre and centre), as the queue or the call says it. */
function assistedLine(assisted: AssistedBy, key: 'queue.assisted' | 'call.assistedBy' = 'queue.assisted'): string {
  return t(key, { name: assisted.name, cadre: t(`cadre.${assisted.cadre}`), spoke: assisted.spokeName });
}
