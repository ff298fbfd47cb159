import type { MessageKey } from '../shared/i18n';

/** A past consultation as GET /api/patients/{id}/records lists it (CareContextView). */
export interface PastRecord {
  consultationId: string;
  startedAt: string;
  status: 'open' | 'completed' | 'abandoned';
  doctorName: string;
  prescriptionId?: string | null;
  patientAbha?: string | null;
}

/** Who the patient is (the consultation's PatientDetails, or what the queue row knows before the consultation). */
export interface PatientFacts { name: string; age: number; sex: string; abha?: string | null; complaint?: string | null }

export type RecordsView =
  | { kind: 'loading' }
  | { kind: 'empty' }
  | { kind: 'list'; records: PastRecord[] }
  | { kind: 'noConsent' }
  | { kind: 'error'; message: string };

/**
 * What the past-records panel shows after the request: the records other than the one being written now, newest first;
 * a 404 means the records are not open to this doctor (the server answers alike for a patient who has not let them
 * read and one it does not know, so ids cannot be probed).
 */
export function recordsView(result: { records: PastRecord[] } | { status: number; message: string }, currentConsultationId?: string): RecordsView {
  if ('status' in result) return result.status === 404 ? { kind: 'noConsent' } : { kind: 'error', message: result.message };
  const past = result.records
    .filter(record => record.consultationId !== currentConsultationId)
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  return past.length === 0 ? { kind: 'empty' } : { kind: 'list', records: past };
}

export function sexKey(sex: string): MessageKey {
  switch (sex.toLowerCase()) {
    case 'female': return 'doctor.sex.female';
    case 'male': return 'doctor.sex.male';
    case 'other': return 'doctor.sex.other';
    default: return 'doctor.sex.unknown';
  }
}

/** An ABHA number in its printed form XX-XXXX-XXXX-XXXX (an address, name@abdm, is shown as it is). */
export function formatAbha(abha: string): string {
  const digits = abha.replace(/-/g, '');
  return /^\d{14}$/.test(digits) ? `${digits.slice(0, 2)}-${digits.slice(2, 6)}-${digits.slice(6, 10)}-${digits.slice(10)}` : abha;
}
