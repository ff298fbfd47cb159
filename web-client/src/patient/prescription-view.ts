import { formatDate, formatNumber, isMessageKey, t, type MessageKey } from '../shared/i18n';

/** A signed prescription as its patient reads it (Prescriptions/PrescriptionEndpoints.cs, PrescriptionView). */
export interface PrescribedMedicine {
  generic: string; strength: string; form: string; dose: string; frequency: string; route: string;
  durationDays: number; quantity: number; instructions?: string | null;
}

export interface PatientPrescription {
  id: string;
  status: 'valid' | 'revoked';
  revocationReason?: string | null;
  content: {
    issuedAt: string;
    validUntil: string;
    doctor: { id: string; name: string; qualification: string; registrationNumber: string; stateCouncil: string };
    facility: { name: string };
    chiefComplaints?: string | null;
    diagnosis: { text: string };
    medicines: PrescribedMedicine[];
    investigationsAdvised?: string | null;
    advice?: string | null;
    followUpOn?: string | null;
  };
}

/** One line of the medicines table, every cell already in the page's language. */
export interface MedicineRow { medicine: string; dose: string; frequency: string; duration: string; quantity: string; instructions: string }

const doses = /^(\d+(?:\.\d+)?|½|¼)-(\d+(?:\.\d+)?|½|¼)-(\d+(?:\.\d+)?|½|¼)$/;

/** "1-0-1" is how Indian prescriptions write morning-noon-night; spelt out, so nobody takes it for "once". Other wording stays as written. */
export function frequencyText(frequency: string): string {
  const match = doses.exec(frequency.replace(/\s+/g, ''));
  if (!match) return frequency;
  const [, morning, noon, night] = match;
  return `${frequency} (${t('patient.rx.pattern', { morning, noon, night })})`;
}

export function medicineRows(medicines: readonly PrescribedMedicine[]): MedicineRow[] {
  return medicines.map(m => ({
    medicine: `${m.generic} ${m.strength} ${m.form}`,
    dose: m.dose,
    frequency: frequencyText(m.frequency),
    duration: t('patient.rx.days', { days: m.durationDays }),
    quantity: formatNumber(m.quantity),
    instructions: m.instructions ?? '',
  }));
}

/** The lines above the table: who signed it and when, until when a pharmacy may dispense it, and whether it still stands. */
export function prescriptionFacts(prescription: PatientPrescription): string[] {
  const c = prescription.content;
  const facts = [
    t('patient.rx.signedBy', { doctor: c.doctor.name, qualification: c.doctor.qualification, registration: c.doctor.registrationNumber, council: c.doctor.stateCouncil }),
    t('patient.rx.issued', { date: formatDate(c.issuedAt), facility: c.facility.name, until: formatDate(c.validUntil) }),
    t('patient.rx.diagnosis', { diagnosis: c.diagnosis.text }),
  ];
  if (c.investigationsAdvised) facts.push(t('patient.rx.investigations', { text: c.investigationsAdvised }));
  if (c.advice) facts.push(t('patient.rx.advice', { text: c.advice }));
  if (c.followUpOn) facts.push(t('patient.rx.followUp', { date: formatDate(c.followUpOn) }));
  if (prescription.status === 'revoked') facts.unshift(t('patient.rx.revoked', { reason: prescription.revocationReason ?? '' }));
  return facts;
}

/** The access log's resource ("prescription/{id}/pdf") as what the patient would call it. */
export function accessedWhat(resource: string): string {
  const [kind, , part] = resource.split('/');
  if (kind === 'prescription') return part === 'fhir' ? t('patient.log.prescriptionFhir') : part === 'pdf' ? t('patient.log.prescriptionPdf') : t('patient.log.prescription');
  if (kind === 'consultation') {
    if (part === 'fhir') return t('patient.log.consultationFhir');
    return part === 'record' ? t('patient.log.consultationNotes') : t('patient.log.consultationHistory');
  }
  if (kind === 'opd-session') return part === 'attachment' ? t('patient.log.attachment') : t('patient.log.queue');
  if (kind === 'payment') return part === 'receipt' ? t('patient.log.receipt') : t('patient.log.payment');
  if (kind === 'abdm-record') return t('patient.log.recordFromElsewhere');
  if (kind === 'patient') return part === 'records-from-elsewhere' ? t('patient.log.recordsFromElsewhere') : t('patient.log.recordList');
  return resource;
}

/** A care context sent to another provider (an ABDM health information user) under the patient's consent (Records/RecordEndpoints.cs, AbdmShare). */
export interface AbdmShare { consentId: string; hiuId?: string | null; purposeCode: string; purposeText?: string | null; hiTypes: string[] }

/** An access-log entry for records sent through ABDM, in words: to whom, which documents, and under which consent's purpose. */
export function sharedInWords(hiuName: string, share: AbdmShare): { who: string; what: string; basis: string } {
  const types: Record<string, MessageKey> = { OPConsultation: 'patient.log.consultationFhir', Prescription: 'patient.log.prescriptionFhir' };
  const purposeKey = `patient.log.purpose.${share.purposeCode}`;
  const purpose = isMessageKey(purposeKey) ? t(purposeKey) : share.purposeText || share.purposeCode;
  return {
    who: t('patient.log.sentTo', { hiu: hiuName || share.hiuId || '' }),
    what: share.hiTypes.map(type => (types[type] ? t(types[type]) : type)).join(', '),
    basis: t('patient.log.basis.AbdmConsent', { purpose }),
  };
}
