import { ApiError, type Api } from '../shared/api';
import { applyTranslations, t } from '../shared/i18n';
import { medicineLineErrors } from './record-lines';

/** A catalogue row: its TPG 2020 group, which with a line's purpose gives the line's list. */
export interface CatalogueMedicine { generic: string; forms: string[]; group: 'o' | 'a' | 'chronic' | 'prohibited'; source: string }

export type Purpose = 'start' | 'refill' | 'addOn';

/** One medicine row as the doctor types it (strings, straight from the inputs). */
export interface MedicineRow {
  generic: string; strength: string; form: string; dose: string; frequency: string; route: string;
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

/** The prescription PUT body; blank optional fields are left out so the server sees exactly what the doctor wrote. */
export function prescriptionPayload(kind: string, rows: MedicineRow[]) {
  return {
    kind,
    medicines: rows.filter(row => row.generic.trim() !== '').map(row => ({
      generic: row.generic.trim(), strength: row.strength.trim(), form: row.form, dose: row.dose.trim(), frequency: row.frequency.trim(),
      route: row.route, durationDays: optionalNumber(row.durationDays), quantity: optionalNumber(row.quantity),
      instructions: row.instructions.trim() || undefined, purpose: row.purpose,
    })),
  };
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
  /** Something was typed since the last save: signing saves it first, so nothing the doctor wrote is left out. */
  changed = false;

  constructor(private readonly api: Api, private readonly consultationId: string, private readonly $: (id: string) => HTMLElement) {}

  private get base() { return `/api/consultations/${this.consultationId}/record`; }

  async open() {
    this.$('record').hidden = false;
    this.$('record-status').textContent = '';
    const loaded = await this.api.versioned<{ kind?: string }>('GET', this.base);
    this.etag = loaded.etag;
    // A visit booked as the follow-up of this doctor's prescription opens as a follow-up (the doctor may still change it).
    if (loaded.value.kind) (this.$('p-kind') as HTMLSelectElement).value = loaded.value.kind;
    if (this.$('medicines').childElementCount === 0) this.addMedicine();
    this.$('record').oninput = () => { this.changed = true; };
  }

  addMedicine() {
    const row = (this.$('medicine-template') as HTMLTemplateElement).content.firstElementChild!.cloneNode(true) as HTMLElement;
    // A template's content is outside the document, so its labels are translated on each copy.
    applyTranslations(row);
    const route = row.querySelector<HTMLSelectElement>('.route')!;
    route.replaceChildren(...routes.map(r => new Option(r, r)));
    const generic = row.querySelector<HTMLInputElement>('.generic')!;
    generic.addEventListener('input', () => void this.suggest(generic, row));
    row.querySelector('.remove')!.addEventListener('click', () => row.remove());
    this.$('medicines').append(row);
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
    this.clearLineErrors();
    const rows = this.medicineRows().map(row => {
      const field = (name: string) => row.querySelector<HTMLInputElement>(`.${name}`)!.value;
      return {
        generic: field('generic'), strength: field('strength'), form: field('form'), dose: field('dose'), frequency: field('frequency'),
        route: field('route'), durationDays: field('days'), quantity: field('quantity'), instructions: field('instructions'),
        purpose: field('purpose') as Purpose,
      };
    });
    const prescription = prescriptionPayload(value('p-kind'), rows);
    if (prescription.medicines.length > 0) sections.push(['prescription', prescription]);
    try {
      for (const [part, body] of sections) {
        this.etag = (await this.api.put<unknown>(`${this.base}/${part}`, body, this.etag)).etag;
      }
    } catch (error) {
      if (error instanceof ApiError) this.markLines(medicineLineErrors(error.problem));
      throw error;
    }
    this.changed = false;
    this.$('record-status').textContent = t('record.saved');
  }

  /** A refusal to sign that names medicine lines (TPG 2020) marks them too; true when it did. */
  markSigningRefusal(message: string): boolean {
    this.clearLineErrors();
    return this.markLines(medicineLineErrors(undefined, message));
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
