import { $, api, failSafely, show } from '../shared/app';
import { inCall, joinCall } from '../shared/call/call-view';
import { formatTime, isMessageKey, onLanguageChange, t } from '../shared/i18n';
import { fillList } from '../shared/lists';

/** The health worker's spoke and the hubs it may ask (GET /api/spoke). */
interface Spoke { facilityId: string; facilityName: string; cadre: 'communityHealthOfficer' | 'anm'; hubs: { id: string; name: string }[] }

/** A patient the health worker brought in (SpokePatientView). */
export interface SpokePatient { id: string; name: string; age: number; sex: string; guardianId?: string | null; guardianRelation?: string | null }

/** A hub doctor's roster open to this spoke (RosterView). */
export interface Roster { id: string; doctorName: string; hubName: string; specialty: string; days: string[]; from: string; to: string }

interface Slot { slot: number; startsAt: string; free: boolean }

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
let polling: ReturnType<typeof setInterval> | undefined;

onLanguageChange(render);

/**
 * The health worker's page at a spoke: find a family by its number (with the code the patient reads out) or register a
 * patient, ask a hub doctor of a specialty, book a slot of their roster and check the patient in with complaint and
 * vitals, then join the call with the patient when the doctor starts it.
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
  await loadPatients();
  await loadRequests();
  clearInterval(polling);
  polling = setInterval(() => void loadRequests().catch(() => undefined), refreshMs);
}

const value = (id: string) => $<HTMLInputElement>(id).value.trim();

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

async function choose(roster: Roster) {
  chosen = roster;
  const slots = await api.get<{ slots: Slot[] }>(`/api/spoke/rosters/${roster.id}/slots`);
  const free = slots.slots.filter(s => s.free);
  $('hw-book-doctor').textContent = t('hw.bookWith', { doctor: roster.doctorName, hub: roster.hubName });
  $<HTMLSelectElement>('hw-slot').replaceChildren(...free.slice(0, 48).map(s =>
    Object.assign(document.createElement('option'), { value: String(s.slot), textContent: formatTime(s.startsAt) })));
  $('hw-book').hidden = false;
  if (free.length === 0) throw new Error(t('hw.noSlots'));
}

/** Books the chosen slot for the chosen patient and checks them in at once, with the complaint and vitals taken here. */
async function book() {
  if (!chosen) return;
  const patientId = $<HTMLSelectElement>('hw-patient').value;
  if (!patientId) throw new Error(t('hw.choosePatient'));
  const booked = await api.post<{ sessionId: string }>(`/api/spoke/rosters/${chosen.id}/bookings`, { patientId, slot: Number($<HTMLSelectElement>('hw-slot').value) });
  const measured = (id: string, unit: string) => (value(id) ? { value: Number(value(id)), unit } : undefined);
  const vitals = {
    systolic: measured('hw-v-systolic', 'mmHg'), diastolic: measured('hw-v-diastolic', 'mmHg'), pulse: measured('hw-v-pulse', '/min'),
    temperature: measured('hw-v-temperature', 'Cel'), spO2: measured('hw-v-spo2', '%'), weight: measured('hw-v-weight', 'kg'),
  };
  const anyVitals = Object.values(vitals).some(v => v !== undefined);
  // A child consults only with an adult who comes with them (TPG 2020): named here, refused by the server when missing.
  const accompaniedBy = value('hw-companion-name') ? { name: value('hw-companion-name'), relation: value('hw-companion-relation') } : undefined;
  await api.post(`/api/spoke/sessions/${booked.sessionId}/check-in`, {
    patientId, complaint: value('hw-complaint') || undefined, vitals: anyVitals ? vitals : undefined, accompaniedBy,
  });
  $<HTMLFormElement>('hw-book').reset();
  $('hw-book').hidden = true;
  await loadRequests();
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
