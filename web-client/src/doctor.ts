import { $, api, failSafely, hub, sessionButton, show, type Session } from './app';
import { hangUp, joinCall } from './call-view';
import { actionsFor, DoctorQueue, hubCalls, type PresenceChange, type QueueAction, type QueueDelta, type QueueRow, type QueueView } from './doctor-queue';
import { isMessageKey, onLanguageChange, t, type MessageKey } from './i18n';
import { RecordForm } from './record';

let doctorSessions: Session[] = [];

onLanguageChange(renderDoctorSessions);

export async function doctorHome() {
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
    const reply = await hub().invoke<{ ok: boolean; value?: { token: number; consultationId?: string }; error?: { message: string } }>(method, sessionId, ...args);
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
  hub().off('QueueUpdated');
  hub().off('PatientPresenceChanged');
  hub().on('QueueUpdated', (delta: QueueDelta) => queue.apply(delta) && render());
  hub().on('PatientPresenceChanged', (change: PresenceChange) => queue.presence(change) && render());
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
    await hangUp();
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
