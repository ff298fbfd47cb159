import { $, api, failSafely } from '../shared/app';
import { formatDate, formatTime, isMessageKey, onLanguageChange, t } from '../shared/i18n';
import type { DoctorListing } from './opd-finder';
import { offerFollowUp } from './booking';
import { accessedWhat, medicineRows, prescriptionFacts, sharedInWords, type AbdmShare, type PatientPrescription } from './prescription-view';
import { fillList } from '../shared/lists';
import type { Patient } from './person';
import { askFeedback } from './feedback';
import { allergyLine, type PatientAllergy } from '../shared/allergies';

interface CareContext {
  consultationId: string; startedAt: string; status: 'open' | 'completed' | 'abandoned'; doctorName: string; prescriptionId?: string | null;
  /** The patient's own rating of the visit, once given. */
  rating?: number | null;
}
/** A grant or a withdrawal of a doctor's access, newest first. */
interface ConsentChange { change: 'granted' | 'withdrawn'; doctorId: string; doctorName: string; at: string; until?: string | null }
interface Consent { doctorId: string; doctorName: string; grantedAt: string; until: string }
/** A read by someone at Telemed, or (with shared) records sent to another provider under the patient's ABDM consent. */
interface AccessLogEntry { readerId: string; readerName: string; basis: string; resource: string; at: string; reason?: string | null; shared?: AbdmShare | null }

// What the page shows from data, kept so a language switch can render it again.
let records: CareContext[] | undefined;
let prescription: PatientPrescription | undefined;
let consents: Consent[] | undefined;
let doctors: DoctorListing[] = [];
let accessLog: AccessLogEntry[] | undefined;
let consentHistory: ConsentChange[] | undefined;
let profile: Patient | undefined;
let allergies: PatientAllergy[] | undefined;
/** Consent requests doctors made through ABDM for this patient's records held elsewhere (Abdm/HiuEndpoints.cs). */
let abdmConsents: AbdmConsentRequest[] | undefined;

interface AbdmConsentRequest { id: string; doctorName: string; purposeCode: string; requestedAt: string; status: string }

onLanguageChange(() => {
  renderRecords();
  renderPrescription();
  renderConsents();
  renderAccessLog();
  renderConsentHistory();
  renderProfile();
  renderAllergies();
  renderAbdmConsents();
});

$('consent-history-show').addEventListener('click', () => void failSafely(loadConsentHistory));

$('records-open').addEventListener('click', () => void failSafely(openRecords));
$('my-allergy-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    const value = (id: string) => $<HTMLInputElement>(id).value;
    await api.post(`/api/patients/${profile!.id}/allergies`, {
      substance: value('my-allergy-substance'), reaction: value('my-allergy-reaction'), severity: value('my-allergy-severity'),
    });
    $<HTMLFormElement>('my-allergy-form').reset();
    await loadAllergies();
  });
});
$('consent-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    const doctorId = $<HTMLSelectElement>('consent-doctor').value;
    const days = Number($<HTMLInputElement>('consent-days').value);
    await api.post('/api/records/consents', { doctorId, days });
    $('consent-status').textContent = t('patient.consents.granted', { doctor: doctors.find(d => d.id === doctorId)?.name ?? '', days });
    await Promise.all([loadConsents(), refreshConsentHistory()]);
  });
});

/** The records, the doctors who may read them and who did: one button, since they are one question ("who sees what about me"). */
async function openRecords() {
  $('records-status').textContent = t('patient.loading');
  let loaded: CareContext[];
  let listed: DoctorListing[];
  try {
    [loaded, listed] = await Promise.all([api.get<CareContext[]>('/api/records'), api.get<DoctorListing[]>('/api/doctors')]);
  } catch (error) {
    $('records-status').textContent = t('patient.recordsFailed');
    throw error;
  }
  records = loaded;
  doctors = listed;
  $('records-status').textContent = '';
  renderRecords();
  renderDoctorChoice();
  await Promise.all([loadConsents(), loadAccessLog(), loadAllergies(), loadAbdmConsents()]);
  $('record-access').hidden = false;
}

/** The patient's allergies (theirs, reported here unverified, and those their doctors recorded), checked at every prescription. */
async function loadAllergies() {
  if (!profile) return;
  allergies = await api.get<PatientAllergy[]>(`/api/patients/${profile.id}/allergies`);
  $('my-allergies-block').hidden = false;
  renderAllergies();
}

function renderAllergies() {
  if (!allergies) return;
  $('my-allergies-state').textContent = allergies.length === 0 ? t('allergy.none') : '';
  $('my-allergies').replaceChildren(...allergies.map(allergy => {
    const item = Object.assign(document.createElement('li'), { textContent: allergyLine(allergy) });
    item.dataset.allergy = allergy.id;
    return item;
  }));
}

/** The signed-in patient (or the family member consulted for), shown in the profile and returned for the rest of the page. */
export async function loadProfile(): Promise<Patient> {
  const loaded = await api.get<Patient>('/api/me');
  profile = loaded;
  renderProfile();
  return loaded;
}

/** The prescription of a consultation, in the page (after the call, or picked from the history). */
export async function showPrescription(prescriptionId: string) {
  prescription = await api.get<PatientPrescription>(`/api/prescriptions/${prescriptionId}`);
  renderPrescription();
  $('prescription').focus();
}

async function loadConsents() {
  consents = await api.get<Consent[]>('/api/records/consents');
  renderConsents();
}

async function loadConsentHistory() {
  consentHistory = await api.get<ConsentChange[]>('/api/records/consents/history');
  renderConsentHistory();
  $('consent-history').hidden = false;
}

/** A history already on screen follows the grants and withdrawals made here. */
async function refreshConsentHistory() {
  if (consentHistory) await loadConsentHistory();
}

async function loadAbdmConsents() {
  abdmConsents = await api.get<AbdmConsentRequest[]>('/api/records/abdm-consents');
  renderAbdmConsents();
}

/** Each doctor's request for records held elsewhere: granted, denied, revoked or expired, or waiting for the patient. */
function renderAbdmConsents() {
  if (!abdmConsents) return;
  fillList($('abdm-consents'), abdmConsents.map(request => {
    const item = document.createElement('li');
    item.dataset.status = request.status;
    const purposeKey = `patient.log.purpose.${request.purposeCode}`;
    const statusKey = `patient.abdmConsents.status.${request.status}`;
    item.textContent = t('patient.abdmConsents.line', {
      doctor: request.doctorName, date: formatDate(request.requestedAt), purpose: isMessageKey(purposeKey) ? t(purposeKey) : request.purposeCode,
      status: isMessageKey(statusKey) ? t(statusKey) : request.status,
    });
    return item;
  }), t('patient.abdmConsents.none'));
}

async function loadAccessLog() {
  accessLog = await api.get<AccessLogEntry[]>('/api/records/access-log');
  renderAccessLog();
}

function button(label: string, action: () => Promise<void>, data: Record<string, string> = {}) {
  const element = Object.assign(document.createElement('button'), { type: 'button', textContent: label });
  Object.assign(element.dataset, data);
  element.addEventListener('click', () => void failSafely(action));
  return element;
}

function renderRecords() {
  if (!records) return;
  fillList($('records'), records.map(record => {
    const item = document.createElement('li');
    item.dataset.consultation = record.consultationId;
    item.append(`${formatDate(record.startedAt)} — ${record.doctorName} (${t(`consultation.${record.status}`)}) `);
    if (record.prescriptionId) {
      const id = record.prescriptionId;
      item.append(button(t('patient.rx.show'), () => showPrescription(id), { action: 'show-prescription' }), ' ',
        button(t('patient.prescriptionPdf'), () => api.download(`/api/prescriptions/${id}/pdf`, `prescription-${id}.pdf`)));
    }
    if (record.status === 'completed') {
      item.append(' ', button(t('patient.recordFhir'), () => api.download(`/api/consultations/${record.consultationId}/fhir`, `consultation-${record.consultationId}.json`)));
      item.append(' ', record.rating
        ? Object.assign(document.createElement('span'), { className: 'rated', textContent: t('feedback.given', { rating: record.rating }) })
        : button(t('feedback.give'), async () => offerFeedback(record), { action: 'feedback' }));
    }
    return item;
  }), t('patient.noRecords'));
}

/** The feedback form for a completed visit; once sent, the list shows the rating instead of the offer. */
export function offerFeedback(record: Pick<CareContext, 'consultationId' | 'doctorName'>, options = { focus: true }) {
  askFeedback(record.consultationId, record.doctorName, options.focus, rating => {
    const rated = records?.find(r => r.consultationId === record.consultationId);
    if (rated) rated.rating = rating;
    renderRecords();
  });
}

function renderConsentHistory() {
  if (!consentHistory) return;
  fillList($('consent-history'), consentHistory.map(change => {
    const item = document.createElement('li');
    item.dataset.change = change.change;
    item.dataset.doctor = change.doctorId;
    const when = { date: formatDate(change.at), time: formatTime(change.at), doctor: change.doctorName };
    item.textContent = change.change === 'granted'
      ? t('patient.consents.historyGranted', { ...when, until: change.until ? formatDate(change.until) : '' })
      : t('patient.consents.historyWithdrawn', when);
    return item;
  }), t('patient.consents.historyNone'));
}

function renderPrescription() {
  if (!prescription) return;
  const shown = prescription;
  $('prescription').hidden = false;
  $('prescription').dataset.prescription = shown.id;
  $('prescription').dataset.status = shown.status;
  $('prescription-facts').replaceChildren(...prescriptionFacts(shown).map(text => Object.assign(document.createElement('li'), { textContent: text })));
  $('prescription-medicines').querySelector('tbody')!.replaceChildren(...medicineRows(shown.content.medicines).map(row => {
    const tr = document.createElement('tr');
    const cells = [row.medicine, row.dose, row.frequency, row.duration, row.quantity, row.instructions];
    const [medicine, ...rest] = cells;
    tr.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: medicine }),
      ...rest.map(text => Object.assign(document.createElement('td'), { textContent: text })));
    return tr;
  }));
  const followUpOn = shown.status === 'valid' ? shown.content.followUpOn : undefined;
  const followUp = $<HTMLButtonElement>('prescription-follow-up');
  followUp.hidden = !followUpOn;
  followUp.textContent = followUpOn ? t('patient.rx.bookFollowUp', { doctor: shown.content.doctor.name, date: formatDate(followUpOn) }) : '';
  followUp.onclick = () => followUpOn && offerFollowUp({
    prescriptionId: shown.id, doctorId: shown.content.doctor.id, doctorName: shown.content.doctor.name, on: followUpOn,
  });
  $('prescription-pdf').onclick = () => void failSafely(() => api.download(`/api/prescriptions/${shown.id}/pdf`, `prescription-${shown.id}.pdf`));
  $('prescription-fhir').onclick = () => void failSafely(() => api.download(`/api/prescriptions/${shown.id}/fhir`, `prescription-${shown.id}.json`));
}

function renderDoctorChoice() {
  const select = $<HTMLSelectElement>('consent-doctor');
  const chosen = select.value;
  select.replaceChildren(...doctors.map(d => Object.assign(document.createElement('option'), { value: d.id, textContent: d.specialty ? `${d.name} (${d.specialty})` : d.name })));
  if (chosen) select.value = chosen;
}

function renderConsents() {
  if (!consents) return;
  fillList($('consents'), consents.map(consent => {
    const item = document.createElement('li');
    item.dataset.doctor = consent.doctorId;
    item.append(t('patient.consents.until', { doctor: consent.doctorName, date: formatDate(consent.until), time: formatTime(consent.until) }), ' ');
    item.append(button(t('patient.consents.withdraw'), async () => {
      await api.send('DELETE', `/api/records/consents/${consent.doctorId}`);
      $('consent-status').textContent = t('patient.consents.withdrawn', { doctor: consent.doctorName });
      await Promise.all([loadConsents(), refreshConsentHistory()]);
    }, { action: 'withdraw' }));
    return item;
  }), t('patient.consents.none'));
}

function renderAccessLog() {
  if (!accessLog) return;
  const body = $('access-log').querySelector('tbody')!;
  if (accessLog.length === 0) {
    const row = document.createElement('tr');
    row.append(Object.assign(document.createElement('td'), { colSpan: 4, textContent: t('patient.log.none') }));
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(...accessLog.map(entry => {
    const row = document.createElement('tr');
    const when = `${formatDate(entry.at)} ${formatTime(entry.at)}`;
    let cells: string[];
    if (entry.shared) {
      const { who, what, basis } = sharedInWords(entry.readerName, entry.shared);
      cells = [when, who, what, basis];
    } else {
      const basisKey = `patient.log.basis.${entry.basis}`;
      const who = entry.readerId === api.tokens?.accountId ? t('patient.log.you') : entry.readerName;
      const basis = isMessageKey(basisKey) ? t(basisKey) : entry.basis;
      cells = [when, who, accessedWhat(entry.resource), entry.reason ? `${basis}: ${entry.reason}` : basis];
    }
    for (const text of cells) {
      row.append(Object.assign(document.createElement('td'), { textContent: text }));
    }
    return row;
  }));
}

function renderProfile() {
  if (!profile) return;
  const sexKey = `patient.profile.sex.${profile.sex}`;
  const facts: [string, string][] = [
    [t('patient.profile.name'), profile.name],
    [t('patient.profile.mobile'), profile.mobile],
    [t('patient.profile.born'), String(profile.yearOfBirth)],
    [t('patient.profile.sex'), isMessageKey(sexKey) ? t(sexKey) : profile.sex],
    [t('patient.profile.language'), t(`language.${profile.language}`)],
    [t('patient.profile.email'), profile.email ?? t('patient.profile.noEmail')],
    [t('patient.profile.abhaNumber'), profile.abhaNumber ?? t('patient.profile.notLinked')],
    [t('patient.profile.abhaAddress'), profile.abhaAddress ?? t('patient.profile.notLinked')],
  ];
  $('profile-facts').replaceChildren(...facts.flatMap(([term, value]) => [
    Object.assign(document.createElement('dt'), { textContent: term }),
    Object.assign(document.createElement('dd'), { textContent: value }),
  ]));
}
