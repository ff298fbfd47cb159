import { $, api, failSafely, hub, sessionButton, show, type Session } from './app';
import { inCall, joinCall } from './call-view';
import { formatDate, formatNumber, onLanguageChange, t } from './i18n';
import { runPreCallCheck } from './precheck';

type TokenState = 'waiting' | 'called' | 'inConsultation' | 'completed' | 'skipped' | 'noShow' | 'recalled' | 'cancelled' | 'left' | 'awaitingPayment';
interface Position { sessionId: string; token: number; state: TokenState; position?: number; estimatedWaitMinutes?: number; consultationId?: string }
interface CareContext { consultationId: string; startedAt: string; status: 'open' | 'completed' | 'abandoned'; doctorName: string; prescriptionId?: string }

// What the page shows from data, kept so a language switch can render it again.
let openSessions: Session[] = [];
let records: CareContext[] | undefined;
let position: Position | undefined;

onLanguageChange(() => {
  renderOpenSessions();
  renderRecords();
  renderPosition();
});

export async function patientHome() {
  show('patient');
  openSessions = await api.get<Session[]>('/api/sessions');
  renderOpenSessions();
  const resume = sessionStorage.getItem('telemed.session');
  if (resume) await watchToken(resume);
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

function renderOpenSessions() {
  $('sessions').replaceChildren(...openSessions.map(session => sessionButton(session, t('patient.checkIn', {
    doctors: session.doctors.map(d => d.name).join(', '), specialty: session.specialty ?? t('opd'), waiting: session.waiting,
  }), () => checkIn(session.id))));
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
    if (p.state === 'inConsultation' && p.consultationId && !inCall()) void failSafely(() => joinCall(p.consultationId!, false));
  };
  hub().on('PositionChanged', (p: Position) => p.sessionId === sessionId && render(p));
  const reply = await hub().invoke<{ ok: boolean; value: Position }>('WatchMyToken', sessionId);
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
