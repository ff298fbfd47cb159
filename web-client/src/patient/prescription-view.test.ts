import { describe, expect, it } from 'vitest';
import { accessedWhat, frequencyText, medicineRows, prescriptionFacts, sharedInWords, type PatientPrescription } from './prescription-view';

const prescription: PatientPrescription = {
  id: 'rx', status: 'valid',
  content: {
    issuedAt: '2026-11-25T06:00:00Z', validUntil: '2026-12-25',
    doctor: { id: 'd1', name: 'Dr. Asha Verma', qualification: 'MBBS, MD', registrationNumber: 'KMC-1', stateCouncil: 'Karnataka Medical Council' },
    facility: { name: 'PHC Hebbal' }, diagnosis: { text: 'Viral fever' },
    medicines: [{ generic: 'paracetamol', strength: '500 mg', form: 'tablet', dose: '1 tablet', frequency: '1-0-1', route: 'oral', durationDays: 3, quantity: 6, instructions: 'After food' }],
    advice: 'Drink fluids', followUpOn: '2026-11-30',
  },
};

describe('the prescription in the page', () => {
  it('spells out morning-noon-night doses and leaves other wording as written', () => {
    expect(frequencyText('1-0-1')).toBe('1-0-1 (1 morning, 0 afternoon, 1 night)');
    expect(frequencyText('½-0-½')).toBe('½-0-½ (½ morning, 0 afternoon, ½ night)');
    expect(frequencyText('SOS')).toBe('SOS');
  });

  it('gives each medicine its dose, frequency, duration, quantity and instructions', () => {
    expect(medicineRows(prescription.content.medicines)).toEqual([{
      medicine: 'paracetamol 500 mg tablet', dose: '1 tablet', frequency: '1-0-1 (1 morning, 0 afternoon, 1 night)', duration: '3 days', quantity: '6', instructions: 'After food',
    }]);
  });

  it('names the signer, the dates, the diagnosis and advice, and puts a withdrawal first', () => {
    const facts = prescriptionFacts(prescription);
    expect(facts[0]).toBe('Signed by Dr. Asha Verma, MBBS, MD (Reg. KMC-1, Karnataka Medical Council)');
    expect(facts[1]).toBe('Issued 25 Nov 2026 at PHC Hebbal; a pharmacy may dispense it until 25 Dec 2026');
    expect(facts).toContain('Follow-up on 30 Nov 2026');
    const revoked = prescriptionFacts({ ...prescription, status: 'revoked', revocationReason: 'Dose corrected' });
    expect(revoked[0]).toBe('Withdrawn by the doctor — do not use it: Dose corrected');
  });
});

describe('the access log', () => {
  it('says what was read in words', () => {
    expect(accessedWhat('prescription/1/pdf')).toBe('Prescription (PDF)');
    expect(accessedWhat('prescription/1/fhir')).toBe('Prescription (FHIR)');
    expect(accessedWhat('abdm-record/1')).toBe('A record from another provider');
    expect(accessedWhat('patient/1/records-from-elsewhere')).toBe('Your records from other providers');
    expect(accessedWhat('prescription/1')).toBe('Prescription');
    expect(accessedWhat('consultation/1/fhir')).toBe('Consultation record (FHIR)');
    expect(accessedWhat('consultation/1/record')).toBe('Consultation notes');
    expect(accessedWhat('consultation/1')).toBe('Consultation history');
    expect(accessedWhat('opd-session/1/attachment/2')).toBe('A file you attached at check-in');
    expect(accessedWhat('opd-session/1')).toBe('Your place in the queue and your complaint');
    expect(accessedWhat('payment/1')).toBe('Your consultation fee');
    expect(accessedWhat('payment/1/receipt')).toBe('Your fee receipt');
    expect(accessedWhat('patient/1/records')).toBe('Your list of records');
  });
});

describe('records sent to another provider under an ABDM consent', () => {
  const share = { consentId: 'c1', hiuId: 'HIU-1', purposeCode: 'CAREMGT', purposeText: 'Care Management', hiTypes: ['OPConsultation', 'Prescription'] };

  it('names the provider, the documents and the consent\'s purpose in words', () => {
    expect(sharedInWords('City Hospital', share)).toEqual({
      who: 'Sent to City Hospital',
      what: 'Consultation record (FHIR), Prescription (FHIR)',
      basis: 'your ABDM consent, for care management',
    });
  });

  it('falls back to the HIU id and ABDM\'s own purpose text for a purpose it has no words for', () => {
    const said = sharedInWords('', { ...share, purposeCode: 'OTHER', purposeText: 'Insurance claim', hiTypes: ['DischargeSummary'] });
    expect(said).toEqual({ who: 'Sent to HIU-1', what: 'DischargeSummary', basis: 'your ABDM consent, for Insurance claim' });
  });
});
