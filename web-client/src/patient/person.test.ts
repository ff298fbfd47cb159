import { describe, expect, it } from 'vitest';
import { ageOn, emailProblem, isMinor, personBody, personProblems, relationProblem, today } from './person';

const day = '2026-11-25';
const person = (overrides: Partial<{ name: string; dateOfBirth: string; yearOfBirth: string; sex: string }> = {}) =>
  ({ name: 'Anita Desai', dateOfBirth: '', yearOfBirth: '1990', sex: 'female', ...overrides });

describe('a person\'s details', () => {
  it('need a name, a date or a year of birth and a sex', () => {
    expect(personProblems(person(), day)).toEqual([]);
    expect(personProblems(person({ dateOfBirth: '1990-03-04', yearOfBirth: '' }), day)).toEqual([]);
    expect(personProblems({ name: ' ', dateOfBirth: '', yearOfBirth: '', sex: '' }, day).map(p => [p.field, p.key])).toEqual([
      ['name', 'person.problem.name'], ['dateOfBirth', 'person.problem.bornMissing'], ['sex', 'person.problem.sex'],
    ]);
  });

  it('refuse a birth before 1900, in the future, or a year that contradicts the date', () => {
    expect(personProblems(person({ yearOfBirth: '1899' }), day).map(p => p.key)).toEqual(['person.problem.born']);
    expect(personProblems(person({ yearOfBirth: '2027' }), day).map(p => p.key)).toEqual(['person.problem.bornFuture']);
    expect(personProblems(person({ yearOfBirth: '90' }), day).map(p => p.key)).toEqual(['person.problem.born']);
    expect(personProblems(person({ dateOfBirth: '2026-11-26', yearOfBirth: '' }), day).map(p => p.key)).toEqual(['person.problem.bornFuture']);
    expect(personProblems(person({ dateOfBirth: '1990-03-04', yearOfBirth: '1991' }), day).map(p => p.key)).toEqual(['person.problem.yearMismatch']);
  });

  it('refuse a name longer than the server keeps', () => {
    expect(personProblems(person({ name: 'a'.repeat(101) }), day)).toEqual([{ field: 'name', key: 'person.problem.nameLong', params: { max: 100 } }]);
  });

  it('go to the API with the date when there is one, else the year, and the name tidied', () => {
    expect(personBody(person({ name: '  Anita   Desai ' }))).toEqual({ name: 'Anita Desai', yearOfBirth: 1990, sex: 'female' });
    expect(personBody(person({ dateOfBirth: '1990-03-04' }))).toEqual({ name: 'Anita Desai', dateOfBirth: '1990-03-04', sex: 'female' });
  });

  it('take an optional e-mail that must look like one', () => {
    expect(emailProblem('')).toBeUndefined();
    expect(emailProblem(' anita@example.org ')).toBeUndefined();
    expect(emailProblem('anita@')?.key).toBe('person.problem.email');
    expect(emailProblem('a b@example.org')?.key).toBe('person.problem.email');
  });

  it('name a relation from the list', () => {
    expect(relationProblem('legalGuardian')).toBeUndefined();
    expect(relationProblem('')?.field).toBe('relation');
    expect(relationProblem('uncle')?.key).toBe('person.problem.relation');
  });
});

describe('age', () => {
  it('counts whole years from the date of birth, as the server does', () => {
    expect(ageOn(2008, '2008-11-25', day)).toBe(18);
    expect(ageOn(2008, '2008-11-26', day)).toBe(17);
    expect(ageOn(2010, null, day)).toBe(16);
  });

  it('makes someone under 18 a minor', () => {
    expect(isMinor({ yearOfBirth: 2008, dateOfBirth: '2008-11-26' }, day)).toBe(true);
    expect(isMinor({ yearOfBirth: 2008, dateOfBirth: '2008-11-25' }, day)).toBe(false);
    expect(isMinor({ yearOfBirth: 1950 }, day)).toBe(false);
  });

  it('is counted on this device\'s calendar day', () => {
    expect(today(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});
