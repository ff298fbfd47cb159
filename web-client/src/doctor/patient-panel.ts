import { $, api, failSafely } from '../shared/app';
import { ApiError } from '../shared/api';
import { formatAbha, recordsView, sexKey, type PastRecord, type PatientFacts, type RecordsView } from './doctor-patient';
import { formatDate, onLanguageChange, t, type MessageKey } from '../shared/i18n';
import { allergyLine, type PatientAllergy } from '../shared/allergies';
import { documentLines, provenance, requestLine, type RecordsFromElsewhere } from './records-elsewhere';

/** How often the panel asks again while a consent request waits for the patient or its records: the status shown live. */
const ElsewherePollMs = 3000;

/** A date input's value (yyyy-mm-dd) as the start or the end of that day, UTC. */
const dayStart = (day: string) => new Date(`${day}T00:00:00Z`).toISOString();
const dayEnd = (day: string) => new Date(`${day}T23:59:59Z`).toISOString();
const inputDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The doctor's view of one patient: who they are, and their past records when the server lets this doctor read them
 * (during their consultation, or with the patient's consent); otherwise it says so and what the patient can do.
 */
export class PatientPanel {
  private patientId?: string;
  private consultationId?: string;
  private facts?: PatientFacts;
  private view: RecordsView = { kind: 'loading' };
  /** The patient's allergies, or why they could not be read (no consultation or consent: the same rule as records). */
  private allergies: PatientAllergy[] | { error: string } = [];
  /** Records from other facilities through ABDM, or null when this doctor may not ask for them. */
  private elsewhere: RecordsFromElsewhere | null = null;
  private elsewhereTimer?: ReturnType<typeof setTimeout>;

  constructor() {
    onLanguageChange(() => this.render());
    $('allergy-form').addEventListener('submit', event => {
      event.preventDefault();
      void failSafely(() => this.addAllergy());
    });
    $('elsewhere-form').addEventListener('submit', event => {
      event.preventDefault();
      void failSafely(() => this.askElsewhere());
    });
  }

  async open(patientId: string, facts: PatientFacts, consultationId?: string) {
    Object.assign(this, { patientId, facts, consultationId, view: { kind: 'loading' }, elsewhere: null });
    const today = new Date();
    ($('elsewhere-from') as HTMLInputElement).value = inputDay(new Date(today.getTime() - 365 * 86_400_000));
    ($('elsewhere-to') as HTMLInputElement).value = inputDay(today);
    ($('elsewhere-expires') as HTMLInputElement).value = inputDay(new Date(today.getTime() + 30 * 86_400_000));
    $('patient-panel').hidden = false;
    this.render();
    await this.load();
  }

  private async load() {
    const patientId = this.patientId;
    let view: RecordsView;
    let abha: string | null | undefined;
    try {
      const records = await api.get<PastRecord[]>(`/api/patients/${patientId}/records`);
      view = recordsView({ records }, this.consultationId);
      abha = records.find(record => record.patientAbha)?.patientAbha;
    } catch (error) {
      view = recordsView({ status: error instanceof ApiError ? error.status : 0, message: (error as Error).message });
    }
    const allergies = await api.get<PatientAllergy[]>(`/api/patients/${patientId}/allergies`)
      .catch((error: Error) => ({ error: error instanceof ApiError && error.status === 404 ? t('doctor.recordsNoConsent') : error.message }));
    // Another patient may have been opened while this one loaded.
    if (patientId !== this.patientId) return;
    this.view = view;
    this.allergies = allergies;
    if (this.facts && !this.facts.abha && abha) this.facts = { ...this.facts, abha };
    this.render();
    await this.loadElsewhere();
  }

  /** The consent requests and records from elsewhere; asked again while a request waits, so its status is live. */
  private async loadElsewhere() {
    const patientId = this.patientId;
    clearTimeout(this.elsewhereTimer);
    const elsewhere = await api.get<RecordsFromElsewhere>(`/api/patients/${patientId}/records-from-elsewhere`).catch(() => null);
    if (patientId !== this.patientId) return;
    this.elsewhere = elsewhere;
    this.renderElsewhere();
    const waiting = elsewhere?.requests.some(r => r.status === 'requested') || (elsewhere?.requests.some(r => r.status === 'granted') && elsewhere.documents.length === 0);
    if (waiting) this.elsewhereTimer = setTimeout(() => void failSafely(() => this.loadElsewhere()), ElsewherePollMs);
  }

  private async askElsewhere() {
    const value = (id: string) => ($(id) as HTMLInputElement).value;
    const hiTypes = [...document.querySelectorAll<HTMLInputElement>('input[name="elsewhere-type"]:checked')].map(input => input.value);
    await api.post(`/api/patients/${this.patientId}/records-from-elsewhere/consents`, {
      purpose: value('elsewhere-purpose'), hiTypes, from: dayStart(value('elsewhere-from')), to: dayEnd(value('elsewhere-to')),
      expiresAt: dayEnd(value('elsewhere-expires')),
    });
    await this.loadElsewhere();
  }

  /** Read-only: each document with its provenance and what it says, apart from this patient's own records. */
  private renderElsewhere() {
    $('elsewhere').hidden = this.elsewhere === null;
    if (!this.elsewhere) return;
    $('elsewhere-requests').replaceChildren(...this.elsewhere.requests.map(request => {
      const item = document.createElement('li');
      item.dataset.status = request.status;
      item.textContent = requestLine(request);
      return item;
    }));
    $('elsewhere-state').textContent = this.elsewhere.documents.length === 0 ? t('doctor.elsewhere.none') : '';
    $('elsewhere-documents').replaceChildren(...this.elsewhere.documents.map(received => {
      const item = document.createElement('li');
      item.dataset.hiType = received.hiType;
      item.append(Object.assign(document.createElement('strong'), { textContent: provenance(received) }));
      const lines = document.createElement('ul');
      lines.replaceChildren(...documentLines(received.content).map(line => Object.assign(document.createElement('li'), { textContent: line })));
      item.append(lines, Object.assign(document.createElement('small'), { textContent: t('doctor.elsewhere.readOnly', { date: formatDate(received.eraseAt) }) }));
      return item;
    }));
  }

  private render() {
    if (!this.facts) return;
    const facts: [MessageKey, string][] = [
      ['doctor.patientName', this.facts.name],
      ['doctor.patientAge', t('doctor.ageYears', { age: this.facts.age })],
      ['doctor.patientSex', t(sexKey(this.facts.sex))],
      ['doctor.patientAbha', this.facts.abha ? formatAbha(this.facts.abha) : t('doctor.noAbha')],
      ['doctor.patientComplaint', this.facts.complaint || t('doctor.noComplaint')],
    ];
    $('patient-summary').replaceChildren(...facts.flatMap(([label, value]) => [
      Object.assign(document.createElement('dt'), { textContent: t(label) }),
      Object.assign(document.createElement('dd'), { textContent: value }),
    ]));
    const state = $('past-records-state');
    const list = $('past-records');
    $('patient-panel').dataset.records = this.view.kind;
    list.replaceChildren();
    switch (this.view.kind) {
      case 'loading':
        state.textContent = t('doctor.recordsLoading');
        break;
      case 'empty':
        state.textContent = t('doctor.recordsEmpty');
        break;
      case 'noConsent':
        state.textContent = t('doctor.recordsNoConsent');
        break;
      case 'error': {
        state.textContent = t('doctor.recordsError', { message: this.view.message });
        const retry = Object.assign(document.createElement('button'), { type: 'button', textContent: t('doctor.retry') });
        retry.addEventListener('click', () => void failSafely(() => this.load()));
        state.append(' ', retry);
        break;
      }
      case 'list':
        state.textContent = '';
        list.replaceChildren(...this.view.records.map(record => this.item(record)));
        break;
    }
    this.renderAllergies();
    this.renderElsewhere();
  }

  /** The allergies, each with a button to mark it resolved while the patient is in this doctor's consultation. */
  private renderAllergies() {
    const list = $('patient-allergies');
    const state = $('allergies-state');
    $('allergy-form').hidden = !this.consultationId;
    if ('error' in this.allergies) {
      state.textContent = this.allergies.error;
      list.replaceChildren();
      return;
    }
    state.textContent = this.allergies.length === 0 ? t('allergy.none') : '';
    list.replaceChildren(...this.allergies.map(allergy => {
      const item = document.createElement('li');
      item.dataset.allergy = allergy.id;
      item.dataset.resolved = String(Boolean(allergy.resolvedAt));
      item.append(allergyLine(allergy));
      if (this.consultationId && !allergy.resolvedAt) {
        const resolve = Object.assign(document.createElement('button'), { type: 'button', textContent: t('allergy.resolve') });
        resolve.addEventListener('click', () => void failSafely(async () => {
          await api.post(`/api/patients/${this.patientId}/allergies/${allergy.id}/resolve`, undefined);
          await this.load();
        }));
        item.append(' ', resolve);
      }
      return item;
    }));
  }

  private async addAllergy() {
    const value = (id: string) => ($(id) as HTMLInputElement).value;
    await api.post(`/api/patients/${this.patientId}/allergies`, {
      substance: value('allergy-substance'), reaction: value('allergy-reaction'), severity: value('allergy-severity'),
      verified: ($('allergy-verified') as HTMLInputElement).checked,
    });
    ($('allergy-form') as HTMLFormElement).reset();
    await this.load();
  }

  private item(record: PastRecord) {
    const item = document.createElement('li');
    item.dataset.consultation = record.consultationId;
    item.append(t('doctor.pastRecord', { date: formatDate(record.startedAt), doctor: record.doctorName, status: t(`consultation.${record.status}`) }));
    if (record.prescriptionId) {
      const id = record.prescriptionId;
      const pdf = Object.assign(document.createElement('button'), { type: 'button', textContent: t('patient.prescriptionPdf') });
      pdf.addEventListener('click', () => void failSafely(() => api.download(`/api/prescriptions/${id}/pdf`, `prescription-${id}.pdf`)));
      item.append(' ', pdf);
    }
    return item;
  }

  close() {
    this.patientId = undefined;
    this.facts = undefined;
    clearTimeout(this.elsewhereTimer);
    $('patient-panel').hidden = true;
  }
}
