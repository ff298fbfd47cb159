import './doctor-page';
import { $, api, failSafely } from '../shared/app';
import { formatDate, formatTime, onLanguageChange, t } from '../shared/i18n';
import { fillList } from '../shared/lists';

interface Addendum { id: string; text: string; at: string }
interface VisitRecord { consultationId: string; status: string; addenda: Addendum[]; prescriptionId?: string | null }
interface PrescriptionStatus { id: string; status: 'valid' | 'revoked'; revocationReason?: string | null; revokedAt?: string | null }

/** The visit on screen, kept so a language switch can render it again. */
let shown: { token: number; record: VisitRecord; prescription?: PrescriptionStatus } | undefined;

onLanguageChange(render);

/**
 * A completed visit of the queue: its signed record stays as it was, corrections are added as addenda, and its
 * prescription can be revoked with a reason the pharmacy sees.
 */
export async function openCompletedVisit(consultationId: string, token: number) {
  const record = await api.get<VisitRecord>(`/api/consultations/${consultationId}/record`);
  const prescription = record.prescriptionId ? await api.get<PrescriptionStatus>(`/api/prescriptions/${record.prescriptionId}`) : undefined;
  shown = { token, record, prescription };
  $<HTMLFormElement>('addendum-form').reset();
  $<HTMLFormElement>('revoke-form').reset();
  $('addendum-status').textContent = '';
  $('revoke-status').textContent = '';
  render();
  $('visit-after').hidden = false;
  $('visit-after-heading').focus();
}

function render() {
  if (!shown) return;
  const { token, record, prescription } = shown;
  $('visit-after').dataset.consultation = record.consultationId;
  $('visit-after-heading').textContent = t('visit.heading', { token });
  fillList($('visit-addenda'), record.addenda.map(addendum => {
    const item = document.createElement('li');
    item.textContent = t('visit.addendumAt', { date: formatDate(addendum.at), time: formatTime(addendum.at), text: addendum.text });
    return item;
  }), t('visit.noAddenda'));
  $('revoke-panel').hidden = !prescription;
  if (!prescription) return;
  $('revoke-panel').dataset.status = prescription.status;
  $('revoke-state').textContent = prescription.status === 'revoked'
    ? t('visit.revoked', { reason: prescription.revocationReason ?? '' })
    : t('visit.valid');
  $('revoke-form').hidden = prescription.status === 'revoked';
}

$('addendum-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    if (!shown) return;
    const visit = shown;
    // Chosen here, so a retried request is recorded once.
    const addendumId = crypto.randomUUID();
    visit.record = await api.post<VisitRecord>(`/api/consultations/${visit.record.consultationId}/record/addenda`,
      { addendumId, text: $<HTMLTextAreaElement>('addendum-text').value });
    $<HTMLFormElement>('addendum-form').reset();
    render();
    $('addendum-status').textContent = t('visit.addendumAdded');
  });
});

$('revoke-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    if (!shown?.prescription) return;
    const visit = shown;
    visit.prescription = await api.post<PrescriptionStatus>(`/api/prescriptions/${visit.prescription!.id}/revoke`,
      { reason: $<HTMLTextAreaElement>('revoke-reason').value });
    render();
    $('revoke-status').textContent = t('visit.revokedNow');
  });
});
