import { describe, expect, it } from 'vitest';
import type { DoseRow } from './dose';
import { courseHint, listHint, prescriptionPayload, vitalsPayload } from './record';

describe('vitalsPayload', () => {
  it('sends only what was measured, each with its unit', () =>
    expect(vitalsPayload({ systolic: '128', diastolic: '82', pulse: '', temperature: '100.4', spO2: ' ', weight: '' }, '[degF]')).toEqual({
      systolic: { value: 128, unit: 'mmHg' }, diastolic: { value: 82, unit: 'mmHg' }, temperature: { value: 100.4, unit: '[degF]' },
    }));
});

const twiceDaily: DoseRow = { amounts: '1-0-1', unit: 'tablet', regimen: 'daily', weekday: 'monday', maxPerDay: '', minHours: '' };

describe('prescriptionPayload', () => {
  it('drops empty rows and blank instructions, keeps numbers as numbers', () =>
    expect(prescriptionPayload('firstConsult', [
      { generic: ' paracetamol ', strength: '500 mg', form: 'tablet', dose: twiceDaily, route: 'oral', durationDays: '3', quantity: '6', instructions: ' ', purpose: 'start' },
      { generic: '', strength: '', form: '', dose: { ...twiceDaily, amounts: '' }, route: 'oral', durationDays: '', quantity: '', instructions: '', purpose: 'start' },
    ])).toEqual({
      kind: 'firstConsult',
      medicines: [{
        generic: 'paracetamol', strength: '500 mg', form: 'tablet', dose: { unit: 'tablet', regimen: 'daily', morning: 1, afternoon: 0, evening: 0, night: 1 },
        route: 'oral', durationDays: 3, quantity: 6, instructions: undefined, purpose: 'start',
      }],
    }));
});

describe('prescriptionPayload with safety answers', () => {
  const row = { generic: 'amoxicillin', strength: '500 mg', form: 'capsule', dose: { ...twiceDaily, amounts: '1-1-1', unit: 'capsule' }, route: 'oral', durationDays: '5', quantity: '15', instructions: '', purpose: 'start' as const };

  it('sends the overrides and a named adult', () => {
    const body = prescriptionPayload('firstConsult', [row], [{ code: 'Allergy', line: 0, reason: 'Tolerated it.' }], { name: ' Lakshmi Devi ', relation: 'parent' });
    expect(body.overrides).toEqual([{ code: 'Allergy', line: 0, reason: 'Tolerated it.' }]);
    expect(body.accompaniedBy).toEqual({ name: 'Lakshmi Devi', relation: 'parent' });
  });

  it('leaves both out when there are none', () => {
    const body = prescriptionPayload('firstConsult', [row], [], { name: ' ', relation: 'parent' });
    expect('overrides' in body).toBe(false);
    expect('accompaniedBy' in body).toBe(false);
  });
});

describe('listHint', () => {
  it('names the TPG rule of each list', () => {
    expect(listHint('a')).toContain('video');
    expect(listHint('chronic')).toContain('refill');
    expect(listHint('prohibited')).toContain('Prohibited');
    expect(listHint(undefined)).toBe('');
  });
});

describe('courseHint', () => {
  it('shows the course next to a counted quantity, at most for as needed, and how to write a dose that does not read', () => {
    expect(courseHint('tablet', twiceDaily, '3')).toBe('Course: 6');
    expect(courseHint('tablet', { ...twiceDaily, amounts: '1', regimen: 'asNeeded', maxPerDay: '4' }, '5')).toBe('Course: at most 20');
    expect(courseHint('tablet', { ...twiceDaily, amounts: '1 tablet' }, '3')).toBe('Dose as morning-afternoon-night, e.g. 1-0-1 or ½-0-½');
    expect(courseHint('tablet', { ...twiceDaily, amounts: '1-0-1', regimen: 'once' }, '1')).toBe('Dose as one amount, e.g. 1 or ½');
    expect(courseHint('syrup', { ...twiceDaily, amounts: '5-5-5', unit: 'ml' }, '3')).toBe('');
    expect(courseHint('tablet', { ...twiceDaily, amounts: '' }, '3')).toBe('');
  });
});
