import type { MessageKey } from '../shared/i18n';

/**
 * A person's details as the registration and family forms take them, checked here first the way the server checks them
 * (Domain/Identity/People.cs, Family.cs), so a patient on a slow line hears at once what is missing.
 */
export type Sex = 'female' | 'male' | 'other' | 'unknown';
export const sexes: Sex[] = ['female', 'male', 'other', 'unknown'];

/** How the guardian is related to the family member: "I am their …". */
export type Relation = 'parent' | 'child' | 'spouse' | 'sibling' | 'grandparent' | 'grandchild' | 'legalGuardian' | 'other';
export const relations: Relation[] = ['parent', 'child', 'spouse', 'sibling', 'grandparent', 'grandchild', 'legalGuardian', 'other'];

/** Below this age a patient consults only with an adult who comes along (TPG 2020). */
export const adultAge = 18;
export const maxNameLength = 100;

/** What the form's fields hold: the date of birth (yyyy-mm-dd) or only the year. */
export interface PersonInput { name: string; dateOfBirth: string; yearOfBirth: string; sex: string }

/** A person as the API takes them. */
export interface PersonBody { name: string; dateOfBirth?: string; yearOfBirth?: number; sex: Sex }

export interface FieldProblem { field: 'name' | 'dateOfBirth' | 'yearOfBirth' | 'sex' | 'email' | 'relation'; key: MessageKey; params?: Record<string, string | number> }

/** A patient as the API describes them (PatientView). */
export interface Patient {
  id: string; name: string; yearOfBirth: number; dateOfBirth?: string | null; sex: Sex; mobile: string; language: 'en' | 'hi';
  email?: string | null; abhaNumber?: string | null; abhaAddress?: string | null; guardianId?: string | null; guardianRelation?: Relation | null;
}

/** Today as yyyy-mm-dd in this device's time zone (dates of birth are calendar days). */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole years on a day; with only the year known, the age reached that year. */
export function ageOn(yearOfBirth: number, dateOfBirth: string | null | undefined, day: string): number {
  const year = Number(day.slice(0, 4));
  if (!dateOfBirth) return year - yearOfBirth;
  const age = year - Number(dateOfBirth.slice(0, 4));
  return day.slice(5) < dateOfBirth.slice(5) ? age - 1 : age;
}

export function isMinor(person: Pick<Patient, 'yearOfBirth' | 'dateOfBirth'>, day: string): boolean {
  return ageOn(person.yearOfBirth, person.dateOfBirth, day) < adultAge;
}

/** Everything wrong with the details, field by field; empty when they may be sent. */
export function personProblems(input: PersonInput, day: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  if (!name) problems.push({ field: 'name', key: 'person.problem.name' });
  else if (name.length > maxNameLength) problems.push({ field: 'name', key: 'person.problem.nameLong', params: { max: maxNameLength } });
  const date = input.dateOfBirth.trim();
  const year = input.yearOfBirth.trim();
  if (date) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date < '1900-01-01') problems.push({ field: 'dateOfBirth', key: 'person.problem.born' });
    else if (date > day) problems.push({ field: 'dateOfBirth', key: 'person.problem.bornFuture' });
    else if (year && Number(year) !== Number(date.slice(0, 4))) problems.push({ field: 'yearOfBirth', key: 'person.problem.yearMismatch' });
  } else if (!year) {
    problems.push({ field: 'dateOfBirth', key: 'person.problem.bornMissing' });
  } else if (!/^\d{4}$/.test(year) || Number(year) < 1900) {
    problems.push({ field: 'yearOfBirth', key: 'person.problem.born' });
  } else if (Number(year) > Number(day.slice(0, 4))) {
    problems.push({ field: 'yearOfBirth', key: 'person.problem.bornFuture' });
  }
  if (!sexes.includes(input.sex as Sex)) problems.push({ field: 'sex', key: 'person.problem.sex' });
  return problems;
}

/** The details as the API takes them (run personProblems first): the date when given, else the year. */
export function personBody(input: PersonInput): PersonBody {
  const date = input.dateOfBirth.trim();
  return { name: input.name.trim().replace(/\s+/g, ' '), ...(date ? { dateOfBirth: date } : { yearOfBirth: Number(input.yearOfBirth.trim()) }), sex: input.sex as Sex };
}

/** An optional e-mail: blank is fine, anything else must look like name@example.org (the server checks it again). */
export function emailProblem(email: string): FieldProblem | undefined {
  const value = email.trim();
  if (!value) return undefined;
  const at = value.indexOf('@');
  const valid = at > 0 && at === value.lastIndexOf('@') && value.indexOf('.', at) > at + 1 && !value.endsWith('.') && !/\s/.test(value);
  return valid ? undefined : { field: 'email', key: 'person.problem.email' };
}

export function relationProblem(relation: string): FieldProblem | undefined {
  return relations.includes(relation as Relation) ? undefined : { field: 'relation', key: 'person.problem.relation' };
}
