import type { Api } from './api';

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The prescription id in what the pharmacist typed or scanned: a bare id, or the verification link of the QR code. */
export function prescriptionIdFrom(text: string): string | undefined {
  return guid.exec(text.trim())?.[0].toLowerCase();
}

/** Reads the QR code in a photo or screenshot of a prescription. The decoder (50 KB) loads only when a pharmacist scans. */
export async function decodeQr(file: Blob): Promise<string | undefined> {
  const { default: jsQR } = await import('jsqr');
  const bitmap = await createImageBitmap(file);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return jsQR(pixels.data, pixels.width, pixels.height)?.data;
}

interface Medicine { generic: string; strength: string; form: string; dose: string; frequency: string; quantity: number; instructions?: string }
interface Line { line: number; medicine: Medicine; dispensed: number; remaining: number }
export interface PharmacyView {
  prescriptionId: string;
  verdict: 'valid' | 'invalidSignature' | 'revoked' | 'expired' | 'fullyDispensed';
  explanation: string;
  validUntil: string;
  revocationReason?: string;
  content: {
    issuedAt: string;
    doctor: { name: string; qualification: string; registrationNumber: string; stateCouncil: string; hprId: string };
    patient: { name: string; ageYears: number; sex: string };
    facility: { name: string };
  };
  lines: Line[];
}

/** What one row of the dispensing table asks for; empty quantity means nothing handed out for that line. */
export interface DispenseRow { line: number; quantity: string; brand: string; batch: string }

export function dispenseLines(rows: DispenseRow[]) {
  return rows
    .filter(row => row.quantity.trim() !== '')
    .map(row => ({ line: row.line, quantity: Number(row.quantity), brand: row.brand.trim() || undefined, batch: row.batch.trim() || undefined }));
}

/** The pharmacist's screen: check a prescription, then record what was handed out (one request id per attempt, kept on retry). */
export class Pharmacy {
  private view?: PharmacyView;
  private requestId = crypto.randomUUID();

  constructor(private readonly api: Api, private readonly $: (id: string) => HTMLElement) {}

  async check(text: string) {
    const id = prescriptionIdFrom(text);
    if (!id) throw new Error('That is not a prescription id or verification link.');
    this.show(await this.api.get<PharmacyView>(`/api/pharmacy/prescriptions/${id}`));
  }

  async scan(file: Blob) {
    const text = await decodeQr(file);
    if (!text) throw new Error('No QR code found in that image; try a sharper photo or type the id.');
    (this.$('rx-id') as HTMLInputElement).value = text;
    await this.check(text);
  }

  async dispense() {
    const rows = [...this.$('rx-lines').querySelectorAll<HTMLTableRowElement>('tbody tr')].map(row => ({
      line: Number(row.dataset.line),
      quantity: row.querySelector<HTMLInputElement>('.qty')!.value,
      brand: row.querySelector<HTMLInputElement>('.brand')!.value,
      batch: row.querySelector<HTMLInputElement>('.batch')!.value,
    }));
    const lines = dispenseLines(rows);
    if (lines.length === 0) throw new Error('Enter the quantity handed out for at least one medicine.');
    const view = await this.api.post<PharmacyView>(`/api/pharmacy/prescriptions/${this.view!.prescriptionId}/dispensations`, { requestId: this.requestId, lines });
    this.requestId = crypto.randomUUID();
    this.show(view);
    this.$('rx-result').textContent = 'Dispensing recorded.';
  }

  private show(view: PharmacyView) {
    this.view = view;
    this.$('rx').hidden = false;
    this.$('rx-result').textContent = '';
    const verdict = this.$('rx-verdict');
    verdict.textContent = view.explanation + (view.revocationReason ? ` Reason: ${view.revocationReason}` : '');
    verdict.dataset.verdict = view.verdict;
    const { doctor, patient, facility } = view.content;
    this.$('rx-prescriber').textContent =
      `${doctor.name}, ${doctor.qualification} · Reg. ${doctor.registrationNumber} (${doctor.stateCouncil}) · HPR ${doctor.hprId} · ${facility.name}`;
    this.$('rx-patient').textContent = `${patient.name}, ${patient.ageYears} y, ${patient.sex} · valid until ${view.validUntil}`;
    const canDispense = view.verdict === 'valid';
    this.$('rx-lines').querySelector('tbody')!.replaceChildren(...view.lines.map(line => {
      const row = document.createElement('tr');
      row.dataset.line = String(line.line);
      const m = line.medicine;
      const cells = [String(line.line + 1), `${m.generic} ${m.strength} ${m.form} — ${m.dose}, ${m.frequency}${m.instructions ? ` (${m.instructions})` : ''}`,
        String(m.quantity), String(line.dispensed)];
      row.append(...cells.map(text => Object.assign(document.createElement('td'), { textContent: text })));
      for (const [name, label] of [['qty', 'Quantity handed out'], ['brand', 'Brand'], ['batch', 'Batch']]) {
        const input = Object.assign(document.createElement('input'), { className: name, disabled: !canDispense || line.remaining === 0 });
        input.setAttribute('aria-label', `${label}, ${m.generic}`);
        if (name === 'qty') Object.assign(input, { type: 'number', min: '1', max: String(line.remaining), placeholder: `≤ ${line.remaining}` });
        const cell = document.createElement('td');
        cell.append(input);
        row.append(cell);
      }
      return row;
    }));
    (this.$('rx-dispense') as HTMLButtonElement).disabled = !canDispense;
  }
}
