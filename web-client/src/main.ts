import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { Api, type Tokens } from './api';
import { Call } from './call';
import { formatDate, formatNumber, isMessageKey, onLanguageChange, startI18n, t, type MessageKey } from './i18n';
import { toRtcIceServers, type ServerIceServer } from './negotiation';
import { Pharmacy } from './pharmacy';
import { runPreCallCheck } from './precheck';
import { RecordForm } from './record';
import { actionsFor, DoctorQueue, hubCalls, type PresenceChange, type QueueAction, type QueueDelta, type QueueRow, type QueueView } from './doctor-queue';

const api = new Api();
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const relayOnly = new URLSearchParams(location.search).get('relay') === '1';
let hub: HubConnection | undefined;
let call: Call | undefined;
// What the page shows from data, kept so a language switch can render it again.
let role: Tokens['role'] | undefined;
let openSessions: Session[] = [];
let doctorSessions: Session[] = [];
let records: CareContext[] | undefined;
let position: Position | undefined;

startI18n();
onLanguageChange(() => {
  renderRole();
  renderOpenSessions();
  renderDoctorSessions();
  renderRecords();
  renderPosition();
});

// The browser test reads the live call from here.
(window as unknown as { telemed: { call?: Call } }).telemed = {
  get call() { return call; },
};

function show(section: 'signin' | 'patient' | 'doctor' | 'pharmacy' | 'analytics' | 'call') {
  for (const id of ['signin', 'patient', 'doctor', 'pharmacy', 'analytics', 'call']) $(id).hidden = id !== section;
}

async function connectHub(): Promise<HubConnection> {
  hub = new HubConnectionBuilder()
    // WebSockets only, no negotiate round trip: the connection then lives on the one node it opened on, so several nodes
    // behind a round-robin balancer need no sticky sessions (docs/deploy.md). Rooms survive drops by rejoining.
    .withUrl('/hubs/clinic', { accessTokenFactory: () => api.tokens!.accessToken, skipNegotiation: true, transport: HttpTransportType.WebSockets })
    .withAutomaticReconnect()
    .configureLogging(LogLevel.Warning)
    .build();
  await hub.start();
  return hub;
}

async function signedIn(tokens: Tokens) {
  api.tokens = tokens;
  sessionStorage.setItem('telemed.tokens', JSON.stringify(tokens));
  role = tokens.role;
  renderRole();
  if (tokens.role === 'pharmacist') return pharmacyHome();
  if (tokens.role === 'health-officer' || tokens.role === 'admin') {
    show('analytics');
    const { Dashboard } = await import('./analytics');
    return new Dashboard(api, $).open();
  }
  await connectHub();
  if (tokens.role === 'patient') await patientHome();
  else await doctorHome();
}

async function failSafely(action: () => Promise<void>) {
  try {
    $('error').textContent = '';
    await action();
  } catch (error) {
    $('error').textContent = (error as Error).message;
  }
}

$('staff-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => signedIn(await api.post<Tokens>('/api/auth/sign-in', { email: $<HTMLInputElement>('email').value, password: $<HTMLInputElement>('password').value })));
});
$('send-code').addEventListener('click', () => void failSafely(async () => { await api.post('/api/auth/otp', { mobile: $<HTMLInputElement>('mobile').value }); }));
$('patient-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => signedIn(await api.post<Tokens>('/api/auth/otp/verify', { mobile: $<HTMLInputElement>('mobile').value, code: $<HTMLInputElement>('code').value })));
});

interface Session { id: string; specialty?: string; doctors: { name: string }[]; waiting: number; status: string }
type TokenState = 'waiting' | 'called' | 'inConsultation' | 'completed' | 'skipped' | 'noShow' | 'recalled' | 'cancelled' | 'left' | 'awaitingPayment';
interface Position { sessionId: string; token: number; state: TokenState; position?: number; estimatedWaitMinutes?: number; consultationId?: string }

interface CareContext { consultationId: string; startedAt: string; status: 'open' | 'completed' | 'abandoned'; doctorName: string; prescriptionId?: string }

function renderRole() {
  $('who').textContent = role ? t(`role.${role}`) : '';
}

$('records-open').addEventListener('click', () => void failSafely(async () => {
  records = await api.get<CareContext[]>('/api/records');
  renderRecords();
}));

function renderRecords() {
  if (!records) return;
  const list = $('records');
  if (records.length === 0) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: t('patient.noRecords') }));
    return;
  }
  list.replaceChildren(...records.map(record => {
    const item = document.createElement('li');
    item.dataset.consultation = record.consultationId;
    item.append(`${formatDate(record.startedAt)} — ${record.doctorName} (${t(`consultation.${record.status}`)}) `);
    const download = (label: string, path: string, name: string) => {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: label });
      button.addEventListener('click', () => void failSafely(() => api.download(path, name)));
      item.append(button);
    };
    if (record.prescriptionId) download(t('patient.prescriptionPdf'), `/api/prescriptions/${record.prescriptionId}/pdf`, `prescription-${record.prescriptionId}.pdf`);
    if (record.status === 'completed') download(t('patient.recordFhir'), `/api/consultations/${record.consultationId}/fhir`, `consultation-${record.consultationId}.json`);
    return item;
  }));
}

$('precheck-run').addEventListener('click', () => void failSafely(async () => {
  $('precheck-verdict').textContent = t('precheck.testing');
  const result = await runPreCallCheck(api);
  $('precheck-verdict').textContent = `${result.verdict}: ${result.advice}`;
}));

async function patientHome() {
  show('patient');
  openSessions = await api.get<Session[]>('/api/sessions');
  renderOpenSessions();
  const resume = sessionStorage.getItem('telemed.session');
  if (resume) await watchToken(resume);
}

function renderOpenSessions() {
  $('sessions').replaceChildren(...openSessions.map(session => sessionButton(session, t('patient.checkIn', {
    doctors: session.doctors.map(d => d.name).join(', '), specialty: session.specialty ?? t('opd'), waiting: session.waiting,
  }), () => checkIn(session.id))));
}

/** A list item with the button that opens a session (to check in, or to run its queue). */
function sessionButton(session: Session, text: string, open: () => Promise<void>) {
  const item = document.createElement('li');
  const button = Object.assign(document.createElement('button'), { textContent: text });
  button.dataset.session = session.id;
  button.addEventListener('click', () => void failSafely(open));
  item.append(button);
  return item;
}

async function checkIn(sessionId: string) {
  await api.post(`/api/sessions/${sessionId}/check-in`, {});
  sessionStorage.setItem('telemed.session', sessionId);
  await watchToken(sessionId);
}

async function watchToken(sessionId: string) {
  const render = (p: Position) => {
    if (p.state === 'called' && position?.state !== 'called') alertCalled();
    position = p;
    renderPosition();
    if (p.state === 'inConsultation' && p.consultationId && !call) void failSafely(() => joinCall(p.consultationId!, false));
  };
  hub!.on('PositionChanged', (p: Position) => p.sessionId === sessionId && render(p));
  const reply = await hub!.invoke<{ ok: boolean; value: Position }>('WatchMyToken', sessionId);
  if (reply.ok) render(reply.value);
}

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
  $('waiting').hidden = false;
  $('token').textContent = formatNumber(position.token);
  $('position').textContent = position.position ? formatNumber(position.position) : '—';
  const minutes = position.estimatedWaitMinutes;
  $('wait').textContent = minutes !== undefined && minutes !== null ? t('waiting.minutes', { minutes }) : '—';
  $('token-state').textContent = t(`token.${position.state}`);
}

async function doctorHome() {
  show('doctor');
  doctorSessions = await api.get<Session[]>(`/api/sessions?doctorId=${api.tokens!.accountId}`);
  renderDoctorSessions();
}

function renderDoctorSessions() {
  $('doctor-sessions').replaceChildren(...doctorSessions.map(session =>
    sessionButton(session, t('doctor.openQueue', { specialty: session.specialty ?? t('opd'), waiting: session.waiting }), () => runQueue(session.id))));
}

async function runQueue(sessionId: string) {
  $('queue-controls').hidden = false;
  let current: number | undefined;
  const command = async (method: string, ...args: unknown[]) => {
    const reply = await hub!.invoke<{ ok: boolean; value?: { token: number; consultationId?: string }; error?: { message: string } }>(method, sessionId, ...args);
    if (!reply.ok) throw new Error(reply.error!.message);
    return reply.value!;
  };
  const queue = new DoctorQueue(sessionId, await command('WatchQueue') as unknown as QueueView);
  const act = (action: QueueAction, row: QueueRow) => void failSafely(async () => {
    const { method, argument } = hubCalls[action];
    await (argument ? command(method, row.token, argument) : command(method, row.token));
    if (action === 'call') current = row.token;
  });
  const render = () => renderQueue(queue.ordered(), act);
  // One queue on screen at a time: handlers of a queue opened before are replaced, not added to.
  hub!.off('QueueUpdated');
  hub!.off('PatientPresenceChanged');
  hub!.on('QueueUpdated', (delta: QueueDelta) => queue.apply(delta) && render());
  hub!.on('PatientPresenceChanged', (change: PresenceChange) => queue.presence(change) && render());
  onLanguageChange(render);
  render();
  $('call-next').onclick = () => void failSafely(async () => { current = (await command('CallNext')).token; });
  let record: RecordForm | undefined;
  let consultationId: string | undefined;
  $('start').onclick = () => void failSafely(async () => {
    const row = await command('StartConsultation', current);
    consultationId = row.consultationId!;
    record = new RecordForm(api, consultationId, $);
    await record.open();
    await joinCall(consultationId, true);
  });
  $('add-medicine').onclick = () => record?.addMedicine();
  $('record').onsubmit = event => {
    event.preventDefault();
    void failSafely(async () => record?.save());
  };
  $('complete').onclick = () => void failSafely(async () => {
    await command('Complete', current);
    await call?.hangUp();
    const done = await api.get<{ prescriptionId?: string }>(`/api/consultations/${consultationId}/record`);
    $('completed').textContent = done.prescriptionId ? t('doctor.completedSigned', { id: done.prescriptionId }) : t('doctor.completedNone');
    const pdf = $('completed-pdf');
    pdf.hidden = !done.prescriptionId;
    pdf.onclick = () => void failSafely(() => api.download(`/api/prescriptions/${done.prescriptionId}/pdf`, `prescription-${done.prescriptionId}.pdf`));
    $('record').hidden = true;
  });
}

/** The live queue: in line first, by place; the called and finished after, by token. */
function renderQueue(rows: QueueRow[], act: (action: QueueAction, row: QueueRow) => void) {
  const list = $('queue');
  if (rows.length === 0) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: t('queue.empty') }));
    return;
  }
  list.replaceChildren(...rows.map(row => {
    const item = document.createElement('li');
    item.dataset.token = String(row.token);
    item.dataset.state = row.state;
    const stateKey = `queue.state.${row.state}`;
    const state = isMessageKey(stateKey) ? t(stateKey) : row.state;
    const notes = [
      row.position != null ? t('queue.position', { position: row.position }) : undefined,
      row.priority !== 'normal' ? t(`queue.priority.${row.priority}` as MessageKey) : undefined,
      row.online ? undefined : t('queue.offline'),
      row.calledWhileOffline ? t('queue.calledWhileOffline') : undefined,
    ].filter(note => note !== undefined);
    item.textContent = t('queue.row', { token: row.token, name: row.patient.name, age: row.patient.age, state }) + (notes.length ? ` (${notes.join(', ')})` : '');
    if (row.complaint) {
      item.append(Object.assign(document.createElement('div'), { className: 'complaint', textContent: row.complaint }));
    }
    for (const action of actionsFor(row)) {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: t(`queue.action.${action}`) });
      button.dataset.action = action;
      button.addEventListener('click', () => act(action, row));
      item.append(' ', button);
    }
    return item;
  }));
}

function pharmacyHome() {
  show('pharmacy');
  const pharmacy = new Pharmacy(api, $);
  $('rx-form').addEventListener('submit', event => {
    event.preventDefault();
    void failSafely(() => pharmacy.check($<HTMLInputElement>('rx-id').value));
  });
  $<HTMLInputElement>('rx-qr').addEventListener('change', event => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void failSafely(() => pharmacy.scan(file));
  });
  $('rx-dispense').addEventListener('click', () => void failSafely(() => pharmacy.dispense()));
}

async function joinCall(consultationId: string, isOfferer: boolean) {
  $('call').hidden = false;
  $('call-status').textContent = t('call.connecting');
  const servers = await api.get<{ servers: ServerIceServer[] }>(`/api/consultations/${consultationId}/ice-servers`);
  call = new Call(hub!, consultationId, isOfferer, toRtcIceServers(servers.servers), relayOnly, {
    local: $<HTMLVideoElement>('local'), remote: $<HTMLVideoElement>('remote'), status: $('call-status'), chatLog: $('chat-log'),
  });
  await call.start();
  $('audio-only').onclick = () => void call!.switchToAudioOnly();
  $('hangup').onclick = () => void call!.hangUp();
  $('chat-send').onclick = () => {
    const input = $<HTMLInputElement>('chat-text');
    if (input.value.trim()) void call!.sendChat(input.value.trim()).then(() => { input.value = ''; });
  };
}

// A reload keeps the session (tab-scoped storage): the patient lands back in the waiting room or the call.
const saved = sessionStorage.getItem('telemed.tokens');
if (saved) void failSafely(() => signedIn(JSON.parse(saved) as Tokens));
