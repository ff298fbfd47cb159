import { describe, expect, it } from 'vitest';
import { documentLines, provenance, requestLine, type ElsewhereDocument } from './records-elsewhere';

const prescription = JSON.stringify({
  resourceType: 'Bundle', type: 'document',
  entry: [
    { resource: { resourceType: 'Composition', title: 'Prescription record' } },
    { resource: { resourceType: 'MedicationRequest', medicationCodeableConcept: { text: 'Metformin 500 mg tablet' }, dosageInstruction: [{ text: '1 tablet twice a day' }] } },
    { resource: { resourceType: 'Condition', code: { coding: [{ display: 'Diabetes mellitus type 2' }] } } },
  ],
});

const received: ElsewhereDocument = {
  id: 'd1', hipId: 'IN2710000999', hipName: 'Sunrise Hospital, Pune', hiType: 'Prescription', date: '2026-11-20T10:00:00Z',
  receivedAt: '2026-12-04T10:00:00Z', eraseAt: '2027-01-03T10:00:00Z', content: prescription,
};

describe('records from other facilities', () => {
  it('name the facility, the date and the type of each document', () => {
    expect(provenance(received)).toBe('Prescriptions from Sunrise Hospital, Pune, 20 Nov 2026');
    expect(provenance({ ...received, hiType: 'DischargeSummary', hipName: null, date: null })).toBe('DischargeSummary from IN2710000999, 4 Dec 2026');
  });

  it('read the medicines with their dosage and the conditions out of the document', () => {
    expect(documentLines(prescription)).toEqual(['Metformin 500 mg tablet — 1 tablet twice a day', 'Diabetes mellitus type 2']);
    expect(documentLines('not json')).toEqual([]);
  });

  it('say where a consent request stands', () => {
    const request = { id: 'r1', doctorName: 'Dr. Asha Verma', purposeCode: 'CAREMGT', hiTypes: ['Prescription'], requestedAt: '2026-12-04T10:00:00Z', expiresAt: '2027-01-03T10:00:00Z' };
    expect(requestLine({ ...request, status: 'requested' })).toBe('Asked on 4 Dec 2026 by Dr. Asha Verma: waiting for the patient');
    expect(requestLine({ ...request, status: 'denied', problem: 'ABDM-1132 Kindly enter valid linked ABHA Address' }))
      .toBe('Asked on 4 Dec 2026 by Dr. Asha Verma: denied (ABDM-1132 Kindly enter valid linked ABHA Address)');
  });
});
