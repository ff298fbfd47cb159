import { ApiError, type Api } from '../shared/api';
import { formatAgo, formatDate, formatNumber, onLanguageChange, t, type MessageKey } from '../shared/i18n';
import { fillList } from '../shared/lists';
import { cachedVerification, carriesSignature, refreshVerification, verifyOffline, type OfflineVerdict } from './offline-verify';

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The prescription id in what the pharmacist typed or scanned: a bare id, or the verification link of the QR code. */
export function prescriptionIdFrom(text: string): string | undefined {
  return guid.exec(text.trim())?.[0].toLowerCase();
}

/** Reads the QR code in a photo or screenshot of a prescription. The decoder (50 KB) loads only on the pharmacist's page. */
export async function decodeQr(file: Blob): Promise<string | undefined> {
  const bitmap = await createImageBitmap(file);
  return decodeFrame(bitmap, bitmap.width, bitmap.height);
}

/** The text of a QR code in one image or video frame, if there is one. */
async function decodeFrame(source: CanvasImageSource, width: number, height: number): Promise<string | undefined> {
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(source, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height);
  return jsQR(pixels.data, pixels.width, pixels.height)?.data;
}

/** Why the camera could not be opened, in words that say what to do instead. */
export function cameraProblem(error: unknown): MessageKey {
  const name = (error as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'pharmacy.cameraDenied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'pharmacy.noCamera';
  return 'pharmacy.cameraFailed';
}

interface Medicine { generic: string; strength: string; form: string; dose: string; frequency: string; quantity: number; instructions?: string }
interface Line { line: number; medicine: Medicine; dispensed: number; remaining: number }
export interface PharmacyView {
  prescriptionId: string;
  verdict: 'valid' | 'invalidSignature' | 'revoked' | 'expired' | 'fullyDispensed';
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

/** One medicine in a facility pharmacy's stock (StockLine). */
export interface StockLine { medicine: { generic: string; strength: string; form: string }; quantity: number }

/** A medicine with fewer unexpired units than the pharmacy's threshold for it (LowStockLine). */
export interface LowStockLine { medicine: { generic: string; strength: string; form: string }; usable: number; minimum: number }

/** A threshold as the pharmacist types it. */
export interface ThresholdInput { generic: string; strength: string; form: string; minimum: string }

/** A threshold as the server takes it: trimmed, the minimum a number (a blank one is left out, for the server to name). */
export function thresholdBody(input: ThresholdInput) {
  const minimum = input.minimum.trim();
  return { generic: input.generic.trim(), strength: input.strength.trim(), form: input.form.trim(), minimum: minimum === '' ? undefined : Number(minimum) };
}

/** A receipt as the pharmacist types it. */
export interface StockReceipt { generic: string; strength: string; form: string; quantity: string; batch: string; expiresOn: string }

/** A receipt as the server takes it: trimmed, the quantity a number, blank batch and expiry left out. */
export function receiptBody(receipt: StockReceipt, receiptId: string) {
  return {
    receiptId, generic: receipt.generic.trim(), strength: receipt.strength.trim(), form: receipt.form.trim(), quantity: Number(receipt.quantity),
    batch: receipt.batch.trim() || undefined, expiresOn: receipt.expiresOn || undefined,
  };
}

/** The pharmacist's screen: check a prescription, then record what was handed out (one request id per attempt, kept on retry). */
/** A prescription from a spoke's assisted consultation, for the spoke's own pharmacy (SpokePrescriptionView). */
interface SpokePrescription { prescriptionId: string; issuedAt: string; patientName: string; doctorName: string; hubName: string; revoked: boolean; fullyDispensed: boolean }

export class Pharmacy {
  private view?: PharmacyView;
  private recent?: PharmacyView[];
  private camera?: MediaStream;
  private requestId = crypto.randomUUID();
  private receiptId = crypto.randomUUID();
  private stockLines?: StockLine[];
  private lowLines?: LowStockLine[];
  private verification = cachedVerification();
  private offline?: OfflineVerdict;

  constructor(private readonly api: Api, private readonly $: (id: string) => HTMLElement) {
    onLanguageChange(() => {
      this.describe();
      this.describeOffline();
      this.renderHistory();
      this.renderStock();
      this.renderLow();
    });
  }

  /** A facility's own pharmacy dispenses from its stock, kept here (asked only of such a pharmacy). */
  async stock() {
    const stock = await this.api.get<{ medicines: StockLine[] }>('/api/pharmacy/stock');
    this.$('rx-stock-panel').hidden = false;
    this.stockLines = stock.medicines;
    this.renderStock();
    await this.low();
  }

  /** The medicines below their threshold, as the server counts them today (expired batches do not count). */
  private async low() {
    this.lowLines = await this.api.get<LowStockLine[]>('/api/pharmacy/stock/low');
    this.renderLow();
  }

  /** Sets the least of a medicine to hold before it is listed as low; 0 stops watching it. */
  async setThreshold() {
    const field = (id: string) => (this.$(id) as HTMLInputElement).value;
    const { value: stock } = await this.api.put<{ medicines: StockLine[] }>('/api/pharmacy/stock/thresholds', thresholdBody({
      generic: field('rx-th-generic'), strength: field('rx-th-strength'), form: field('rx-th-form'), minimum: field('rx-th-minimum'),
    }));
    (this.$('rx-threshold') as HTMLFormElement).reset();
    this.stockLines = stock.medicines;
    this.renderStock();
    await this.low();
    this.$('rx-threshold-status').textContent = t('pharmacy.thresholdSaved');
  }

  private renderLow() {
    if (!this.lowLines) return;
    fillList(this.$('rx-low'), this.lowLines.map(line => {
      const item = document.createElement('li');
      const { generic, strength, form } = line.medicine;
      item.dataset.medicine = `${generic} ${strength} ${form}`;
      item.textContent = t('pharmacy.lowLine', { medicine: `${generic} ${strength} ${form}`, usable: formatNumber(line.usable), minimum: formatNumber(line.minimum) });
      return item;
    }), t('pharmacy.noLow'));
  }

  /** Records medicines received into stock (one receipt id per receipt, kept on retry). */
  async receive() {
    const field = (id: string) => (this.$(id) as HTMLInputElement).value;
    const stock = await this.api.post<{ medicines: StockLine[] }>('/api/pharmacy/stock/receipts', receiptBody({
      generic: field('rx-rc-generic'), strength: field('rx-rc-strength'), form: field('rx-rc-form'), quantity: field('rx-rc-quantity'),
      batch: field('rx-rc-batch'), expiresOn: field('rx-rc-expiry'),
    }, this.receiptId));
    this.receiptId = crypto.randomUUID();
    (this.$('rx-receive') as HTMLFormElement).reset();
    this.stockLines = stock.medicines;
    this.renderStock();
    await this.low();
    this.$('rx-receive-status').textContent = t('pharmacy.received');
  }

  private renderStock() {
    if (!this.stockLines) return;
    fillList(this.$('rx-stock'), this.stockLines.map(line => {
      const item = document.createElement('li');
      const { generic, strength, form } = line.medicine;
      item.textContent = t('pharmacy.stockLine', { medicine: `${generic} ${strength} ${form}`, quantity: formatNumber(line.quantity) });
      return item;
    }), t('pharmacy.noStock'));
  }

  /** Keeps the server's keys and revocation list on this device for checking codes without the network (kept as they were when it does not answer). */
  async keepVerificationKeys() {
    // The QR decoder too, loaded now rather than at the first scan: that scan may come with the network gone.
    void import('jsqr').catch(() => undefined);
    this.verification = await refreshVerification();
  }

  /**
   * A code carrying the signed prescription is verified here first, with the kept keys and revocation list; then, as
   * for a bare id or link, the server gives the prescription's status and what was dispensed. Without the server the
   * verdict found here stands alone.
   */
  async check(text: string) {
    const verify = () => verifyOffline(text, this.verification.keys, this.verification.revocations, new Date());
    this.offline = carriesSignature(text) ? await verify() : undefined;
    if (this.offline?.verdict === 'unknownKey') {
      // A key made since the keys were kept (a rotation): fetch them again if the server answers.
      await this.keepVerificationKeys();
      this.offline = await verify();
    }
    this.describeOffline();
    const id = prescriptionIdFrom(text);
    if (!id) throw new Error(t('pharmacy.notAnId'));
    try {
      this.remember(await this.api.get<PharmacyView>(`/api/pharmacy/prescriptions/${id}`));
    } catch (error) {
      if (!this.offline || !(error instanceof ApiError) || error.status !== 0) throw error;
      this.$('rx').hidden = true;
      this.$('rx-offline-online').hidden = false;
    }
  }

  /** The verdict reached on this device, with the signed content behind it and the age of the revocation list it used. */
  private describeOffline() {
    const panel = this.$('rx-offline');
    panel.hidden = !this.offline;
    this.$('rx-offline-online').hidden = true;
    if (!this.offline) return;
    const result = this.offline;
    this.$('rx-offline-verdict').dataset.verdict = result.verdict;
    this.$('rx-offline-verdict').textContent = t(`pharmacy.offline.${result.verdict}`);
    const details = ['rx-offline-revocations', 'rx-offline-prescriber', 'rx-offline-signer', 'rx-offline-patient', 'rx-offline-medicines'];
    details.forEach(id => { this.$(id).hidden = !('prescription' in result); });
    if (!('prescription' in result)) return;
    const { doctor, patient, facility, medicines, validUntil } = result.prescription;
    this.$('rx-offline-revocations').textContent = result.revocations
      ? t('pharmacy.offline.revocationsAge', { age: formatAgo(result.revocations.issuedAt) })
      : t('pharmacy.offline.noRevocations');
    this.$('rx-offline-prescriber').textContent = t('pharmacy.prescriber', {
      name: doctor.name, qualification: doctor.qualification, registration: doctor.registrationNumber, council: doctor.stateCouncil,
      hpr: doctor.hprId, facility: facility.name,
    });
    this.$('rx-offline-signer').textContent = result.signer.by === 'doctor'
      ? t('pharmacy.offline.signedByDoctor', { hpr: result.signer.hprId })
      : t('pharmacy.offline.signedByFacility');
    this.$('rx-offline-patient').textContent = t('pharmacy.patient', { name: patient.name, age: patient.ageYears, sex: patient.sex, date: formatDate(validUntil) });
    this.$('rx-offline-medicines').replaceChildren(...medicines.map(m => Object.assign(document.createElement('li'), {
      textContent: t('pharmacy.offline.line', { medicine: `${m.generic} ${m.strength} ${m.form}`, dose: m.dose, frequency: m.frequency, quantity: formatNumber(m.quantity) }),
    })));
  }

  async scan(file: Blob) {
    const text = await decodeQr(file);
    if (!text) throw new Error(t('pharmacy.noQr'));
    (this.$('rx-id') as HTMLInputElement).value = text;
    await this.check(text);
  }

  /**
   * Reads QR codes from the camera (the back one on a phone) a few times a second until one holds a prescription id,
   * then checks it. Codes that are not Telemed prescriptions are named and scanning goes on.
   */
  async scanWithCamera() {
    this.stopCamera();
    const status = this.$('rx-scan-status');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (error) {
      throw new Error(t(cameraProblem(error)));
    }
    this.camera = stream;
    const video = this.$('rx-video') as HTMLVideoElement;
    video.srcObject = stream;
    this.$('rx-scanner').hidden = false;
    status.textContent = t('pharmacy.scanning');
    await video.play();
    while (this.camera === stream) {
      const text = video.videoWidth > 0 ? await decodeFrame(video, video.videoWidth, video.videoHeight) : undefined;
      if (this.camera !== stream) return;
      if (text && prescriptionIdFrom(text)) {
        this.stopCamera();
        (this.$('rx-id') as HTMLInputElement).value = text;
        await this.check(text);
        return;
      }
      if (text) status.textContent = t('pharmacy.notPrescriptionQr');
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  stopCamera() {
    this.camera?.getTracks().forEach(track => track.stop());
    this.camera = undefined;
    this.$('rx-scanner').hidden = true;
  }

  /** Prescriptions this pharmacist checked or dispensed, latest first; each opens again in the dispensing screen. */
  /** A facility's own pharmacy: the prescriptions of its centre's assisted consultations (asked only of such a pharmacy). */
  async spokePrescriptions() {
    const listed = await this.api.get<SpokePrescription[]>('/api/pharmacy/spoke-prescriptions');
    this.$('rx-spoke-panel').hidden = false;
    fillList(this.$('rx-spoke'), listed.map(prescription => {
      const item = document.createElement('li');
      item.dataset.prescription = prescription.prescriptionId;
      item.textContent = t('pharmacy.spokeLine', {
        patient: prescription.patientName, doctor: prescription.doctorName, hub: prescription.hubName, date: formatDate(prescription.issuedAt),
      }) + (prescription.fullyDispensed ? ` (${t('pharmacy.spokeDone')})` : '') + ' ';
      const open = Object.assign(document.createElement('button'), { type: 'button', textContent: t('pharmacy.open') });
      open.addEventListener('click', () => void this.check(prescription.prescriptionId));
      item.append(open);
      return item;
    }), t('pharmacy.noHistory'));
  }

  async history() {
    this.recent = await this.api.get<PharmacyView[]>('/api/pharmacy/prescriptions');
    this.renderHistory();
  }

  private renderHistory() {
    if (!this.recent) return;
    fillList(this.$('rx-history'), this.recent.map(view => {
      const item = document.createElement('li');
      item.dataset.prescription = view.prescriptionId;
      const dispensed = view.lines.reduce((sum, line) => sum + line.dispensed, 0);
      const prescribed = view.lines.reduce((sum, line) => sum + line.medicine.quantity, 0);
      item.textContent = t('pharmacy.historyRow', {
        date: formatDate(view.content.issuedAt), patient: view.content.patient.name, doctor: view.content.doctor.name,
        verdict: t(`verdictShort.${view.verdict}`), dispensed, prescribed,
      }) + ' ';
      const open = Object.assign(document.createElement('button'), { type: 'button', textContent: t('pharmacy.open') });
      open.addEventListener('click', () => this.show(view));
      item.append(open);
      return item;
    }), t('pharmacy.noHistory'));
  }

  async dispense() {
    const rows = [...this.$('rx-lines').querySelectorAll<HTMLTableRowElement>('tbody tr')].map(row => ({
      line: Number(row.dataset.line),
      quantity: row.querySelector<HTMLInputElement>('.qty')!.value,
      brand: row.querySelector<HTMLInputElement>('.brand')!.value,
      batch: row.querySelector<HTMLInputElement>('.batch')!.value,
    }));
    const lines = dispenseLines(rows);
    if (lines.length === 0) throw new Error(t('pharmacy.noQuantity'));
    const view = await this.api.post<PharmacyView>(`/api/pharmacy/prescriptions/${this.view!.prescriptionId}/dispensations`, { requestId: this.requestId, lines });
    this.requestId = crypto.randomUUID();
    this.remember(view);
    this.$('rx-result').textContent = t('pharmacy.recorded');
    if (this.stockLines) await this.stock();
  }

  /** Shows a prescription just checked or dispensed and puts it first in the history, as the server now lists it. */
  private remember(view: PharmacyView) {
    this.show(view);
    if (!this.recent) return;
    this.recent = [view, ...this.recent.filter(seen => seen.prescriptionId !== view.prescriptionId)];
    this.renderHistory();
  }

  private show(view: PharmacyView) {
    this.view = view;
    this.$('rx').hidden = false;
    this.$('rx-result').textContent = '';
    this.$('rx-verdict').dataset.verdict = view.verdict;
    this.describe();
    const canDispense = view.verdict === 'valid';
    this.$('rx-lines').querySelector('tbody')!.replaceChildren(...view.lines.map(line => {
      const row = document.createElement('tr');
      row.dataset.line = String(line.line);
      const m = line.medicine;
      const cells = [formatNumber(line.line + 1), `${m.generic} ${m.strength} ${m.form} — ${m.dose}, ${m.frequency}${m.instructions ? ` (${m.instructions})` : ''}`,
        formatNumber(m.quantity), formatNumber(line.dispensed)];
      row.append(...cells.map(text => Object.assign(document.createElement('td'), { textContent: text })));
      for (const [name, label] of [['qty', t('pharmacy.quantityHandedOut')], ['brand', t('pharmacy.brand')], ['batch', t('pharmacy.batch')]]) {
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

  /** The verdict, prescriber and patient lines, in the current language; the verdict is explained from its code, like the server's English explanation. */
  private describe() {
    if (!this.view) return;
    const view = this.view;
    const { doctor, patient, facility } = view.content;
    // The verdict in a few words, big enough to read across the counter, then why in a sentence.
    this.$('rx-verdict').replaceChildren(
      Object.assign(document.createElement('span'), { className: 'verdict-title', textContent: t(`pharmacy.verdictTitle.${view.verdict}`) }),
      t(`verdict.${view.verdict}`) + (view.revocationReason ? ` ${t('pharmacy.reason', { reason: view.revocationReason })}` : ''));
    this.$('rx-prescriber').textContent = t('pharmacy.prescriber', {
      name: doctor.name, qualification: doctor.qualification, registration: doctor.registrationNumber, council: doctor.stateCouncil,
      hpr: doctor.hprId, facility: facility.name,
    });
    this.$('rx-patient').textContent = t('pharmacy.patient', { name: patient.name, age: patient.ageYears, sex: patient.sex, date: formatDate(view.validUntil) });
  }
}
