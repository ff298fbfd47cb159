/**
 * The structured dose of a prescription line as the doctor types it: a pattern "1-0-1" (morning-afternoon-night) or
 * "1-1-1-1" (with evening) for a scheduled regimen, one amount for as needed or once. The server checks it again
 * (DoseRules); this gives the live reading and the course next to the quantity.
 */
export type Regimen = 'daily' | 'alternateDays' | 'weekly' | 'asNeeded' | 'once';

export const regimens: Regimen[] = ['daily', 'alternateDays', 'weekly', 'asNeeded', 'once'];

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export interface Slots { morning: number; afternoon: number; evening: number; night: number }

/** The units a form is dosed in, the first offered first (the server's DoseUnits.ForForm). */
export function unitsFor(form: string): string[] {
  switch (form) {
    case 'tablet': return ['tablet', 'mg'];
    case 'capsule': return ['capsule', 'mg'];
    case 'syrup': case 'suspension': case 'solution': return ['ml', 'mg', 'sachet'];
    case 'drops': return ['drop', 'ml', 'mg'];
    case 'injection': return ['ml', 'unit', 'mg'];
    case 'inhaler': return ['puff'];
    case 'spray': return ['spray', 'puff'];
    case 'powder': case 'granules': return ['sachet', 'mg'];
    case 'suppository': return ['suppository'];
    case 'lozenge': return ['lozenge'];
    case 'patch': return ['patch'];
    default: return ['application'];
  }
}

const fractions: Record<string, number> = { '½': 0.5, '¼': 0.25, '¾': 0.75 };

/** One amount: "1", "0.5", "2,5", "½", "1½", "1/2"; undefined when it is not one. */
export function parseAmount(text: string): number | undefined {
  const trimmed = text.trim();
  const mixed = /^(\d*)([½¼¾])$/.exec(trimmed);
  if (mixed) return Number(mixed[1] || '0') + fractions[mixed[2]];
  const ratio = /^(\d+)\/(\d+)$/.exec(trimmed);
  if (ratio) return Number(ratio[2]) === 0 ? undefined : Number(ratio[1]) / Number(ratio[2]);
  return /^\d+([.,]\d+)?$/.test(trimmed) ? Number(trimmed.replace(',', '.')) : undefined;
}

/** "1-0-1" as morning, afternoon, night; "1-1-1-1" with the evening; undefined when it does not read or gives nothing. */
export function parsePattern(text: string): Slots | undefined {
  const parts = text.split(/[-–]/).map(parseAmount);
  if (parts.some(p => p === undefined) || (parts.length !== 3 && parts.length !== 4)) return undefined;
  const [morning, afternoon, third, fourth] = parts as number[];
  const slots = parts.length === 3 ? { morning, afternoon, evening: 0, night: third } : { morning, afternoon, evening: third, night: fourth };
  return Object.values(slots).some(v => v > 0) ? slots : undefined;
}

/** What the doctor typed for one line's dose (strings, straight from the inputs). */
export interface DoseRow { amounts: string; unit: string; regimen: Regimen; weekday: string; maxPerDay: string; minHours: string }

const scheduled = (regimen: Regimen) => regimen === 'daily' || regimen === 'alternateDays' || regimen === 'weekly';

const optionalNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));

/**
 * The dose as the prescription PUT takes it. What does not read is sent without amounts, so the server names the field.
 */
export function dosePayload(row: DoseRow) {
  const base = { unit: row.unit, regimen: row.regimen };
  if (scheduled(row.regimen)) {
    return { ...base, ...parsePattern(row.amounts), ...(row.regimen === 'weekly' ? { weekday: row.weekday } : {}) };
  }
  return {
    ...base, amount: parseAmount(row.amounts),
    ...(row.regimen === 'asNeeded' ? { maxPerDay: optionalNumber(row.maxPerDay), minHoursBetween: optionalNumber(row.minHours) } : {}),
  };
}

/** Whether the quantity of this form counts doses of this unit (tablets of tablets, sachets of a powder): the server's DoseUnits.Counts. */
export function counts(form: string, unit: string): boolean {
  return (form === unit && ['tablet', 'capsule', 'suppository', 'lozenge', 'patch'].includes(form))
    || ((form === 'powder' || form === 'granules') && unit === 'sachet');
}

/**
 * The units a course of this many days takes, rounded up (as needed: the most it can take); undefined when the quantity is
 * not counted in the dose's unit or the dose does not read yet.
 */
export function courseQuantity(form: string, row: DoseRow, days: number): number | undefined {
  if (!counts(form, row.unit) || !(days >= 1)) return undefined;
  let perDay: number | undefined;
  let dosingDays = days;
  if (scheduled(row.regimen)) {
    const slots = parsePattern(row.amounts);
    perDay = slots && slots.morning + slots.afternoon + slots.evening + slots.night;
    if (row.regimen === 'alternateDays') dosingDays = Math.ceil(days / 2);
    if (row.regimen === 'weekly') dosingDays = Math.ceil(days / 7);
  } else {
    const amount = parseAmount(row.amounts);
    const most = Number(row.maxPerDay);
    perDay = row.regimen === 'once' ? amount : amount !== undefined && most >= 1 ? amount * most : undefined;
    if (row.regimen === 'once') dosingDays = 1;
  }
  // Amounts are in steps of 0.01: rounding before the ceiling keeps 0.1 × 3 at 0.3, not 0.30000000000000004.
  return perDay === undefined ? undefined : Math.ceil(Math.round(perDay * dosingDays * 100) / 100);
}
