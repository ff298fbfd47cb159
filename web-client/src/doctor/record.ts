import { ApiError, type Api, type SafetyWarning } from '../shared/api';
import { applyTranslations, formatNumber, t, weekdayName } from '../shared/i18n';
import { courseQuantity, dosePayload, parseAmount, parsePattern, unitsFor, weekdays, type DoseRow, type Regimen } from './dose';
import { asksPregnancy, isMinor, medicineLineErrors, overridesFor, safetyWarnings, warningKey, type SafetyOverride } from './record-lines';

/** A catalogue row: its TPG 2020 group, which with a line's purpose gives the line's list. */
export interface CatalogueMedicine { generic: string; forms: string[]; group: 'o' | 'a' | 'chronic' | 'prohibited'; source: string }

export type Purpose = 'start' | 'refill' | 'addOn';

/** One medicine row as the doctor types it (strings, straight from the inputs). */
export interface MedicineRow {
  generic: string; strength: string; form: string; dose: DoseRow; route: string;
  durationDays: string; quantity: string; instructions: string; purpose: Purpose;
}

export const routes = ['oral', 'sublingual', 'topical', 'ophthalmic', 'otic', 'nasal', 'inhalation', 'rectal', 'vaginal', 'transdermal',
  'subcutaneous', 'intramuscular', 'intravenous'];

const optionalNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** The vitals PUT body: only what was measured, each with its unit. */
export function vitalsPayload(values: Record<'systolic' | 'diastolic' | 'pulse' | 'temperature' | 'spO2' | 'weight', string>, temperatureUnit: 'Cel' | '[degF]') {
  const units = { systolic: 'mmHg', diastolic: 'mmHg', pulse: '/min', temperature: temperatureUnit, spO2: '%', weight: 'kg' } as const;
  return Object.fromEntries(Object.entries(values)
    .filter(([, value]) => value.trim() !== '')
    .map(([name, value]) => [name, { value: Number(value), unit: units[name as keyof typeof units] }]));
}

/** The adult a minor's prescription names, as the doctor typed them. */
export interface AccompanyingAdult { name: string; relation: string }

/**
 * The prescription PUT body; blank optional fields are left out so the server sees exactly what the doctor wrote.
 * Overrides answer the safety warnings of the last attempt; the adult is sent when the doctor named one.
 */
export function prescriptionPayload(kind: string, rows: MedicineRow[], overrides: SafetyOverride[] = [], adult?: AccompanyingAdult) {
  return {
    kind,
    medicines: rows.filter(row => row.generic.trim() !== '').map(row => ({
      generic: row.generic.trim(), strength: row.strength.trim(), form: row.form, dose: dosePayload(row.dose),
      route: row.route, durationDays: optionalNumber(row.durationDays), quantity: optionalNumber(row.quantity),
      instructions: row.instructions.trim() || undefined, purpose: row.purpose,
    })),
    ...(overrides.length > 0 ? { overrides } : {}),
    ...(adult && adult.name.trim() !== '' ? { accompaniedBy: { name: adult.name.trim(), relation: adult.relation } } : {}),
  };
}

/**
 * What the row's course takes, for the note next to its quantity ("Course: 6"), or how to write the dose when it does
 * not read; empty when the quantity is not counted in the dose's unit (a bottle of syrup) or nothing is typed yet.
 */
export function courseHint(form: string, dose: DoseRow, days: string): string {
  if (dose.amounts.trim() === '') return '';
  const scheduled = dose.regimen === 'daily' || dose.regimen === 'alternateDays' || dose.regimen === 'weekly';
  if (scheduled ? !parsePattern(dose.amounts) : parseAmount(dose.amounts) === undefined) {
    return t(scheduled ? 'record.doseUnreadable' : 'record.doseAmountUnreadable');
  }
  const course = courseQuantity(form, dose, Number(days));
  if (course === undefined) return '';
  return t(dose.regimen === 'asNeeded' ? 'record.courseAtMost' : 'record.course', { count: formatNumber(course) });
}

/** TPG 2020 group of a medicine in words, for the hint next to its row. */
export function listHint(group: CatalogueMedicine['group'] | undefined): string {
  return group ? t(`list.${group}`) : '';
}

/**
 * The doctor's record of the open consultation. Each section is saved with If-Match on the version the previous save
 * returned, so a second tab cannot silently overwrite it; the server's refusal (a TPG rule, a field) is shown as is.
 */
export class RecordForm {
  private etag?: string;
  private saving: Promise<void> = Promise.resolve();
  private readonly catalogue = new Map<string, CatalogueMedicine>();
  /** The safety warnings of the last refused save, each shown with a box for the reason to prescribe anyway. */
  private warnings: SafetyWarning[] = [];
  /** The reasons typed so far, by warning: kept when the same warning comes back after another save. */
  private readonly reasons = new Map<string, string>();
  /** The adult the record names already (the check-in's): sent again only when the doctor names someone else. */
  private knownAdult?: AccompanyingAdult;
  /** Something was typed since the last save: signing saves it first, so nothing the doctor wrote is left out. */
  changed = false;

  constructor(private readonly api: Api, private readonly consultationId: string, private readonly $: (id: string) => HTMLElement) {}

  private get base() { return `/api/consultations/${this.consultationId}/record`; }

  async open() {
    this.$('record').hidden = false;
    this.$('record-status').textContent = '';
    const loaded = await this.api.versioned<{ kind?: string; pregnancy?: string | null; accompaniedBy?: AccompanyingAdult | null }>('GET', this.base);
    this.etag = loaded.etag;
    // A visit booked as the follow-up of this doctor's prescription opens as a follow-up (the doctor may still change it).
    if (loaded.value.kind) (this.$('p-kind') as HTMLSelectElement).value = loaded.value.kind;
    (this.$('p-pregnancy') as HTMLSelectElement).value = loaded.value.pregnancy ?? '';
    if (loaded.value.accompaniedBy) {
      this.knownAdult = { name: loaded.value.accompaniedBy.name, relation: loaded.value.accompaniedBy.relation };
      (this.$('p-adult-name') as HTMLInputElement).value = this.knownAdult.name;
      (this.$('p-adult-relation') as HTMLSelectElement).value = this.knownAdult.relation;
    }
    if (this.$('medicines').childElementCount === 0) this.addMedicine();
    this.$('record').oninput = () => { this.changed = true; };
  }

  /** Shows what the safety checks ask of this patient: the pregnancy question for women 12–50, the accompanying adult for a minor. */
  showPatient(age: number, sex: string) {
    this.$('p-pregnancy-field').hidden = !asksPregnancy(age, sex);
    this.$('p-adult').hidden = !isMinor(age);
  }

  addMedicine() {
    const row = (this.$('medicine-template') as HTMLTemplateElement).content.firstElementChild!.cloneNode(true) as HTMLElement;
    // A template's content is outside the document, so its labels are translated on each copy.
    applyTranslations(row);
    const route = row.querySelector<HTMLSelectElement>('.route')!;
    route.replaceChildren(...routes.map(r => new Option(r, r)));
    row.querySelector<HTMLSelectElement>('.weekday')!.replaceChildren(...weekdays.map((day, i) => new Option(weekdayName(i), day)));
    this.offerUnits(row);
    const generic = row.querySelector<HTMLInputElement>('.generic')!;
    generic.addEventListener('input', () => void this.suggest(generic, row));
    row.querySelector('.remove')!.addEventListener('click', () => row.remove());
    row.querySelector('.form')!.addEventListener('change', () => this.offerUnits(row));
    row.addEventListener('input', () => this.showDose(row));
    row.addEventListener('change', () => this.showDose(row));
    this.$('medicines').append(row);
  }

  /** The units the row's form is dosed in, keeping the chosen one when the form still allows it. */
  private offerUnits(row: HTMLElement) {
    const unit = row.querySelector<HTMLSelectElement>('.unit')!;
    const chosen = unit.value;
    const units = unitsFor(row.querySelector<HTMLSelectElement>('.form')!.value);
    unit.replaceChildren(...units.map(u => new Option(u, u)));
    if (units.includes(chosen)) unit.value = chosen;
    this.showDose(row);
  }

  /** Shows the day for a weekly dose and the limits for as needed, and the course next to the quantity. */
  private showDose(row: HTMLElement) {
    const dose = this.doseOf(row);
    row.querySelector<HTMLElement>('.weekday')!.hidden = dose.regimen !== 'weekly';
    row.querySelector<HTMLElement>('.prn')!.hidden = dose.regimen !== 'asNeeded';
    row.querySelector('.course')!.textContent =
      courseHint(row.querySelector<HTMLSelectElement>('.form')!.value, dose, row.querySelector<HTMLInputElement>('.days')!.value);
  }

  private doseOf(row: HTMLElement): DoseRow {
    const field = (name: string) => row.querySelector<HTMLInputElement>(`.${name}`)!.value;
    return {
      amounts: field('dose'), unit: field('unit'), regimen: field('regimen') as Regimen, weekday: field('weekday'),
      maxPerDay: field('max-per-day'), minHours: field('min-hours'),
    };
  }

  private async suggest(input: HTMLInputElement, row: HTMLElement) {
    const text = input.value.trim().toLowerCase();
    const known = this.catalogue.get(text);
    if (known) return this.pick(known, row);
    if (text.length < 2) return;
    const found = await this.api.get<CatalogueMedicine[]>(`/api/medicines?search=${encodeURIComponent(text)}&limit=10`);
    for (const medicine of found) this.catalogue.set(medicine.generic, medicine);
    this.$('medicine-names').replaceChildren(...found.map(m => new Option(m.generic)));
    const exact = this.catalogue.get(text);
    if (exact) this.pick(exact, row);
  }

  private pick(medicine: CatalogueMedicine, row: HTMLElement) {
    const form = row.querySelector<HTMLSelectElement>('.form')!;
    form.replaceChildren(...medicine.forms.map(f => new Option(f, f)));
    this.offerUnits(row);
    row.querySelector('.list')!.textContent = listHint(medicine.group);
    // A chronic-disease medicine is never started by telemedicine: the likely purpose is a refill.
    const purpose = row.querySelector<HTMLSelectElement>('.purpose')!;
    if (medicine.group === 'chronic' && purpose.value === 'start') purpose.value = 'refill';
  }

  /**
   * Saves every section the doctor filled in, in order; stops at the first refusal and shows it. One save at a time:
   * a second click, or signing right after saving, waits for the save in flight and sends with the ETag it got.
   */
  save(): Promise<void> {
    const next = this.saving.catch(() => undefined).then(() => this.saveNow());
    this.saving = next;
    return next;
  }

  private async saveNow() {
    this.$('record-status').textContent = '';
    const value = (id: string) => (this.$(id) as HTMLInputElement).value;
    const sections: [string, unknown][] = [];
    const vitals = vitalsPayload({
      systolic: value('v-systolic'), diastolic: value('v-diastolic'), pulse: value('v-pulse'),
      temperature: value('v-temperature'), spO2: value('v-spo2'), weight: value('v-weight'),
    }, value('v-temperature-unit') as 'Cel' | '[degF]');
    if (Object.keys(vitals).length > 0) sections.push(['vitals', vitals]);
    sections.push(['notes', {
      chiefComplaints: value('n-complaints'), history: value('n-history'), examination: value('n-examination'),
      investigationsAdvised: value('n-investigations'), advice: value('n-advice'), followUpOn: value('n-follow-up') || undefined,
    }]);
    if (value('d-text').trim()) sections.push(['diagnosis', { text: value('d-text'), codeSystem: value('d-system') || undefined, code: value('d-code') || undefined }]);
    if (value('p-pregnancy')) sections.push(['pregnancy', { status: value('p-pregnancy') }]);
    this.clearLineErrors();
    const rows = this.medicineRows().map(row => {
      const field = (name: string) => row.querySelector<HTMLInputElement>(`.${name}`)!.value;
      return {
        generic: field('generic'), strength: field('strength'), form: field('form'), dose: this.doseOf(row),
        route: field('route'), durationDays: field('days'), quantity: field('quantity'), instructions: field('instructions'),
        purpose: field('purpose') as Purpose,
      };
    });
    const adult = { name: value('p-adult-name'), relation: value('p-adult-relation') };
    const namedAdult = this.$('p-adult').hidden || (adult.name.trim() === this.knownAdult?.name && adult.relation === this.knownAdult.relation)
      ? undefined
      : adult;
    const prescription = prescriptionPayload(value('p-kind'), rows, overridesFor(this.warnings, this.reasons), namedAdult);
    if (prescription.medicines.length > 0) sections.push(['prescription', prescription]);
    try {
      for (const [part, body] of sections) {
        this.etag = (await this.api.put<unknown>(`${this.base}/${part}`, body, this.etag)).etag;
      }
    } catch (error) {
      if (error instanceof ApiError) {
        const warnings = safetyWarnings(error.problem);
        if (warnings.length > 0) this.showWarnings(warnings);
        else this.markLines(medicineLineErrors(error.problem));
      }
      throw error;
    }
    this.showWarnings([]);
    this.changed = false;
    this.$('record-status').textContent = t('record.saved');
  }

  /** A refusal to sign that names medicine lines (TPG 2020) marks them too; true when it did. */
  markSigningRefusal(message: string): boolean {
    this.clearLineErrors();
    return this.markLines(medicineLineErrors(undefined, message));
  }

  /**
   * Each warning at its medicine line (or above the medicines when it concerns the whole prescription), with its sentence
   * and a box for the reason to prescribe anyway; the next save sends the reasons given as overrides.
   */
  private showWarnings(warnings: SafetyWarning[]) {
    this.warnings = warnings;
    const sent = this.medicineRows().filter(row => row.querySelector<HTMLInputElement>('.generic')!.value.trim() !== '');
    for (const row of this.medicineRows()) row.querySelector('.safety')!.replaceChildren();
    const general = this.$('safety-general');
    general.replaceChildren();
    let first: HTMLElement | undefined;
    warnings.forEach((warning, index) => {
      const place = warning.line === null ? general : sent[warning.line]?.querySelector<HTMLElement>('.safety') ?? general;
      const box = Object.assign(document.createElement('div'), { className: 'safety-warning' });
      box.dataset.code = warning.code;
      const sentence = Object.assign(document.createElement('p'), { id: `safety-${index}`, textContent: t('record.safetyWarning', { warning: warning.message }) });
      const reason = Object.assign(document.createElement('textarea'), { className: 'override-reason', rows: 2, value: this.reasons.get(warningKey(warning)) ?? '' });
      reason.setAttribute('aria-describedby', sentence.id);
      reason.addEventListener('input', () => this.reasons.set(warningKey(warning), reason.value));
      const label = Object.assign(document.createElement('label'), { textContent: `${t('record.overrideReason')} ` });
      label.append(reason);
      box.append(sentence, label);
      place.append(box);
      first ??= reason;
    });
    general.hidden = general.childElementCount === 0;
    first?.focus();
  }

  private medicineRows() {
    return [...this.$('medicines').querySelectorAll<HTMLElement>('.medicine')];
  }

  /**
   * Shows each problem at its medicine line. The server numbers the lines it was sent, which leaves out rows with no
   * medicine named (prescriptionPayload), so the same rows are skipped here. The first marked line gets the focus.
   */
  private markLines(problems: Map<number, string[]>): boolean {
    const sent = this.medicineRows().filter(row => row.querySelector<HTMLInputElement>('.generic')!.value.trim() !== '');
    let first: HTMLInputElement | undefined;
    for (const [index, messages] of problems) {
      const row = sent[index];
      if (!row) continue;
      const note = row.querySelector<HTMLElement>('.line-error')!;
      note.id = `line-error-${index}`;
      note.textContent = t('record.lineProblem', { problem: messages.join(' ') });
      note.hidden = false;
      row.dataset.invalid = 'true';
      const generic = row.querySelector<HTMLInputElement>('.generic')!;
      generic.setAttribute('aria-invalid', 'true');
      generic.setAttribute('aria-describedby', note.id);
      first ??= generic;
    }
    first?.focus();
    return first !== undefined;
  }

  private clearLineErrors() {
    for (const row of this.medicineRows()) {
      delete row.dataset.invalid;
      const note = row.querySelector<HTMLElement>('.line-error')!;
      note.hidden = true;
      note.textContent = '';
      const generic = row.querySelector<HTMLInputElement>('.generic')!;
      generic.removeAttribute('aria-invalid');
      generic.removeAttribute('aria-describedby');
    }
  }
}
