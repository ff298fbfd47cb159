import { describe, expect, it } from 'vitest';
import { checkInBody, checkInProblems, checkInRules, isOlder } from './checkin';

const file = (name: string, size: number, type = '') => ({ name, size, type });

describe('what check-in accepts', () => {
  it('takes a complaint with up to three images or PDFs of at most 5 MB', () => {
    expect(checkInProblems('Fever for three days', [file('report.pdf', 1000, 'application/pdf'), file('rash.jpg', checkInRules.maxBytes, 'image/jpeg')])).toEqual([]);
    expect(checkInProblems('', [])).toEqual([]);
  });

  it('knows a PDF or photo by its name when the phone reports no type', () => {
    expect(checkInProblems('', [file('scan.PDF', 10), file('x.webp', 10)])).toEqual([]);
    expect(checkInProblems('', [file('notes.docx', 10)])).toEqual([{ key: 'patient.checkin.fileType', params: { name: 'notes.docx' } }]);
  });

  it('names each file that is too large, empty or of another kind', () => {
    const problems = checkInProblems('', [file('big.png', checkInRules.maxBytes + 1, 'image/png'), file('empty.pdf', 0, 'application/pdf'), file('a.gif', 5, 'image/gif')]);
    expect(problems.map(p => p.key)).toEqual(['patient.checkin.fileTooLarge', 'patient.checkin.emptyFile', 'patient.checkin.fileType']);
    expect(problems[0].params).toEqual({ name: 'big.png', max: 5 });
  });

  it('refuses a fourth file and an over-long complaint', () => {
    const four = [1, 2, 3, 4].map(n => file(`${n}.jpg`, 10, 'image/jpeg'));
    expect(checkInProblems('x'.repeat(2001), four).map(p => p.key)).toEqual(['patient.checkin.complaintTooLong', 'patient.checkin.tooManyFiles']);
  });
});

describe('the check-in request', () => {
  it('is JSON without files, multipart with them', () => {
    expect(checkInBody('  ', [])).toEqual({ complaint: undefined });
    expect(checkInBody(' Cough ', [])).toEqual({ complaint: 'Cough' });
    const form = checkInBody('Cough', [new File(['%PDF-1.4'], 'report.pdf', { type: 'application/pdf' })]) as FormData;
    expect(form.get('complaint')).toBe('Cough');
    expect((form.getAll('attachments')[0] as File).name).toBe('report.pdf');
  });
});

describe('the adult who comes with a minor', () => {
  const named = { needed: true, name: ' Nisha Shah ', relation: 'parent' };

  it('must be named, with how they are related, when needed', () => {
    expect(checkInProblems('', [], { needed: true, name: '', relation: 'parent' }).map(p => p.key)).toEqual(['patient.companion.required']);
    expect(checkInProblems('', [], { needed: true, name: 'Nisha Shah', relation: '' }).map(p => p.key)).toEqual(['patient.companion.required']);
    expect(checkInProblems('', [], named)).toEqual([]);
    expect(checkInProblems('', [], { needed: false, name: '', relation: '' })).toEqual([]);
  });

  it('goes with the check-in only when needed, in JSON and in multipart', () => {
    expect(checkInBody('', [], named)).toEqual({ complaint: undefined, accompaniedBy: { name: 'Nisha Shah', relation: 'parent' } });
    expect(checkInBody('', [], { ...named, needed: false })).toEqual({ complaint: undefined });
    const form = checkInBody('', [new File(['%PDF-1.4'], 'report.pdf', { type: 'application/pdf' })], named) as FormData;
    expect(form.get('accompaniedBy.name')).toBe('Nisha Shah');
    expect(form.get('accompaniedBy.relation')).toBe('parent');
  });
});

describe('news of the waiting token', () => {
  const shown = { sessionId: 's', token: 4, version: 12 };

  it('is older only for the same token of the same session at a lower version', () => {
    expect(isOlder({ ...shown, version: 11 }, shown)).toBe(true);
    expect(isOlder({ ...shown, version: 12 }, shown)).toBe(false);
    expect(isOlder({ ...shown, version: 13 }, shown)).toBe(false);
    expect(isOlder({ ...shown, token: 5, version: 1 }, shown)).toBe(false);
    expect(isOlder({ ...shown, sessionId: 't', version: 1 }, shown)).toBe(false);
    expect(isOlder(shown, undefined)).toBe(false);
  });
});
