import { describe, expect, it } from 'vitest';
import { counts, courseQuantity, dosePayload, parseAmount, parsePattern, unitsFor, type DoseRow } from './dose';

const row = (amounts: string, more: Partial<DoseRow> = {}): DoseRow =>
  ({ amounts, unit: 'tablet', regimen: 'daily', weekday: 'monday', maxPerDay: '', minHours: '', ...more });

describe('parseAmount', () => {
  it('reads whole numbers, decimals, fractions and ½ ¼ ¾', () => {
    expect(['1', '0.5', '2,5', '½', '1½', '¾', '1/4'].map(parseAmount)).toEqual([1, 0.5, 2.5, 0.5, 1.5, 0.75, 0.25]);
    expect(['', 'one', '1 tablet', '1/0', '-1'].map(parseAmount)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('parsePattern', () => {
  it('reads three slots as morning-afternoon-night and four with the evening', () => {
    expect(parsePattern('1-0-1')).toEqual({ morning: 1, afternoon: 0, evening: 0, night: 1 });
    expect(parsePattern('½-0-½')).toEqual({ morning: 0.5, afternoon: 0, evening: 0, night: 0.5 });
    expect(parsePattern('1-1-1-1')).toEqual({ morning: 1, afternoon: 1, evening: 1, night: 1 });
  });

  it('refuses what is not a pattern, or gives nothing', () => {
    expect(['1', '1-0', '1-0-1-0-1', '0-0-0', 'BD', '1-x-1'].map(parsePattern)).toEqual(Array(6).fill(undefined));
  });
});

describe('unitsFor', () => {
  it('offers the units of the form, its own first', () => {
    expect(unitsFor('tablet')[0]).toBe('tablet');
    expect(unitsFor('syrup')[0]).toBe('ml');
    expect(unitsFor('inhaler')).toEqual(['puff']);
    expect(unitsFor('cream')).toEqual(['application']);
  });
});

describe('dosePayload', () => {
  it('sends a scheduled dose by slot, with the day for weekly', () => {
    expect(dosePayload(row('1-0-½'))).toEqual({ unit: 'tablet', regimen: 'daily', morning: 1, afternoon: 0, evening: 0, night: 0.5 });
    expect(dosePayload(row('3-0-0', { regimen: 'weekly', weekday: 'sunday' })))
      .toEqual({ unit: 'tablet', regimen: 'weekly', morning: 3, afternoon: 0, evening: 0, night: 0, weekday: 'sunday' });
  });

  it('sends as needed with its limits and once with its amount', () => {
    expect(dosePayload(row('1', { regimen: 'asNeeded', maxPerDay: '4', minHours: '6' })))
      .toEqual({ unit: 'tablet', regimen: 'asNeeded', amount: 1, maxPerDay: 4, minHoursBetween: 6 });
    expect(dosePayload(row('2', { regimen: 'once' }))).toEqual({ unit: 'tablet', regimen: 'once', amount: 2 });
  });

  it('sends a dose that does not read without amounts, for the server to name the field', () => {
    expect(dosePayload(row('1 tablet'))).toEqual({ unit: 'tablet', regimen: 'daily' });
  });
});

describe('courseQuantity', () => {
  it('is what the days take, rounded up to whole units', () => {
    expect(courseQuantity('tablet', row('1-0-1'), 5)).toBe(10);
    expect(courseQuantity('tablet', row('½-0-0'), 5)).toBe(3);
    expect(courseQuantity('tablet', row('1-0-0', { regimen: 'alternateDays' }), 7)).toBe(4);
    expect(courseQuantity('tablet', row('3-0-0', { regimen: 'weekly' }), 30)).toBe(15);
    expect(courseQuantity('tablet', row('1', { regimen: 'asNeeded', maxPerDay: '3' }), 5)).toBe(15);
    expect(courseQuantity('tablet', row('2', { regimen: 'once' }), 5)).toBe(2);
  });

  it('is not given for a quantity not counted in the dose unit, or a dose that does not read', () => {
    expect(counts('syrup', 'ml')).toBe(false);
    expect(counts('granules', 'sachet')).toBe(true);
    expect(courseQuantity('syrup', row('5-5-5', { unit: 'ml' }), 5)).toBeUndefined();
    expect(courseQuantity('tablet', row('BD'), 5)).toBeUndefined();
    expect(courseQuantity('tablet', row('1', { regimen: 'asNeeded' }), 5)).toBeUndefined();
  });
});
