import { formatDate, isMessageKey, t } from '../shared/i18n';

/** A consent request for a patient's records held elsewhere, as the server lists it (Abdm/HiuEndpoints.cs). */
export interface ElsewhereRequest {
  id: string;
  doctorName: string;
  purposeCode: string;
  hiTypes: string[];
  requestedAt: string;
  expiresAt: string;
  status: 'requested' | 'granted' | 'denied' | 'expired' | 'revoked';
  problem?: string | null;
}

/** A document another facility sent under the patient's consent: read-only, with where it came from. */
export interface ElsewhereDocument {
  id: string;
  hipId?: string | null;
  hipName?: string | null;
  hiType: string;
  title?: string | null;
  date?: string | null;
  receivedAt: string;
  eraseAt: string;
  content: string;
}

export interface RecordsFromElsewhere { requests: ElsewhereRequest[]; documents: ElsewhereDocument[] }

/** A request in words: when, by whom, and where it stands (with the reason when it failed). */
export function requestLine(request: ElsewhereRequest): string {
  const status = t(`doctor.elsewhere.status.${request.status}`);
  return t('doctor.elsewhere.request', { date: formatDate(request.requestedAt), doctor: request.doctorName, status })
    + (request.problem ? ` (${request.problem})` : '');
}

/** A document's provenance: its type, the facility that holds it, and its date. */
export function provenance(document: ElsewhereDocument): string {
  const typeKey = `doctor.elsewhere.type.${document.hiType}`;
  return t('doctor.elsewhere.document', {
    type: isMessageKey(typeKey) ? t(typeKey) : document.hiType,
    facility: document.hipName || document.hipId || '',
    date: formatDate(document.date ?? document.receivedAt),
  });
}

interface FhirResource {
  resourceType?: string;
  medicationCodeableConcept?: { text?: string; coding?: { display?: string }[] };
  dosageInstruction?: { text?: string }[];
  code?: { text?: string; coding?: { display?: string }[] };
}

/** What a received FHIR document says that a doctor reads: each medicine with its dosage, each condition. */
export function documentLines(content: string): string[] {
  let bundle: { entry?: { resource?: FhirResource }[] };
  try {
    bundle = JSON.parse(content) as typeof bundle;
  } catch {
    return [];
  }
  return (bundle.entry ?? []).flatMap(({ resource }) => {
    if (resource?.resourceType === 'MedicationRequest') {
      const medicine = resource.medicationCodeableConcept?.text ?? resource.medicationCodeableConcept?.coding?.[0]?.display;
      const dosage = resource.dosageInstruction?.[0]?.text;
      return medicine ? [dosage ? `${medicine} — ${dosage}` : medicine] : [];
    }
    if (resource?.resourceType === 'Condition') {
      const condition = resource.code?.text ?? resource.code?.coding?.[0]?.display;
      return condition ? [condition] : [];
    }
    return [];
  });
}
