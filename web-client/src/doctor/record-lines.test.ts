import { describe, expect, it } from 'vitest';
import { asksPregnancy, isMinor, medicineLineErrors, overridesFor, safetyWarnings, warningKey } from './record-lines';

describe('medicine line errors', () => {
  it('puts field errors on the line they name', () => {
    const lines = medicineLineErrors({ errors: { 'medicines[1].quantity': ['Quantity is 1 to 1000.'], 'medicines[1].dose': ['Required.'], kind: ['Say which.'] } });
    expect([...lines]).toEqual([[1, ['Quantity is 1 to 1000.', 'Required.']]]);
  });

  it('splits the TPG refusal sentences by line, numbered from one', () => {
    const detail = 'Line 1: amlodipine is on List B: it may only be added on a follow-up consultation. Line 3: alprazolam is a Schedule X / NDPS medicine and may never be prescribed by telemedicine.';
    const lines = medicineLineErrors({ code: 'NotAllowedByTpg', detail });
    expect(lines.get(0)).toEqual(['amlodipine is on List B: it may only be added on a follow-up consultation.']);
    expect(lines.get(2)).toEqual(['alprazolam is a Schedule X / NDPS medicine and may never be prescribed by telemedicine.']);
    expect(lines.size).toBe(2);
  });

  it('reads the same sentences from a refusal to sign', () => {
    const lines = medicineLineErrors(undefined, 'Token 1 cannot be completed yet: Line 2: amoxicillin is on List A: it needs a video consultation (an audio-only call is not enough).');
    expect(lines.get(1)).toEqual(['amoxicillin is on List A: it needs a video consultation (an audio-only call is not enough).']);
  });

  it('finds nothing in a refusal about something else', () => {
    expect(medicineLineErrors({ detail: 'Record a provisional diagnosis before completing a consultation with a prescription.' }).size).toBe(0);
  });
});

describe('safety warnings', () => {
  const warnings = [
    { code: 'Allergy', line: 1, message: 'amoxicillin: the patient is allergic to penicillin.' },
    { code: 'WeightMissing', line: null, message: 'Record the child\u2019s weight.' },
  ];

  it('are read from a SafetyWarnings refusal only', () => {
    expect(safetyWarnings({ code: 'SafetyWarnings', warnings })).toEqual(warnings);
    expect(safetyWarnings({ code: 'NotAllowedByTpg', detail: 'Line 1: no.' })).toEqual([]);
    expect(safetyWarnings(undefined)).toEqual([]);
  });

  it('become overrides where the doctor gave a reason, by code and line', () => {
    const reasons = new Map([[warningKey(warnings[0]), ' Tolerated it last year. '], [warningKey(warnings[1]), '  ']]);
    expect(overridesFor(warnings, reasons)).toEqual([{ code: 'Allergy', line: 1, reason: 'Tolerated it last year.' }]);
    expect(warningKey({ code: 'Allergy', line: 0 })).not.toBe(warningKey({ code: 'Allergy', line: 1 }));
  });

  it('ask the pregnancy question of women 12 to 50 and the adult of a minor', () => {
    expect([asksPregnancy(28, 'female'), asksPregnancy(28, 'male'), asksPregnancy(11, 'female'), asksPregnancy(51, 'female')]).toEqual([true, false, false, false]);
    expect([isMinor(17), isMinor(18)]).toEqual([true, false]);
  });
});
