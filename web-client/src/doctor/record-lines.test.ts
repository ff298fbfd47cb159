import { describe, expect, it } from 'vitest';
import { medicineLineErrors } from './record-lines';

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
