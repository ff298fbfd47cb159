import { describe, expect, it } from 'vitest';
import { formatAbha, recordsView, sexKey, type PastRecord } from './doctor-patient';

const record = (consultationId: string, startedAt: string): PastRecord => ({ consultationId, startedAt, status: 'completed', doctorName: 'Dr. Asha Verma' });

describe('the patient panel', () => {
  it('lists past records newest first, without the consultation being written now', () => {
    const view = recordsView({ records: [record('a', '2026-01-01T10:00:00Z'), record('now', '2026-11-25T10:00:00Z'), record('b', '2026-06-01T10:00:00Z')] }, 'now');
    expect(view.kind === 'list' && view.records.map(r => r.consultationId)).toEqual(['b', 'a']);
  });

  it('says there is nothing on record rather than showing an empty list', () => {
    expect(recordsView({ records: [record('now', '2026-11-25T10:00:00Z')] }, 'now')).toEqual({ kind: 'empty' });
  });

  it('tells a refusal (no consent) apart from a failure', () => {
    expect(recordsView({ status: 404, message: 'You may read…' })).toEqual({ kind: 'noConsent' });
    expect(recordsView({ status: 0, message: 'Failed to fetch' })).toEqual({ kind: 'error', message: 'Failed to fetch' });
  });

  it('prints ABHA numbers with hyphens and names the sex', () => {
    expect(formatAbha('91234567890123')).toBe('91-2345-6789-0123');
    expect(formatAbha('91-2345-6789-0123')).toBe('91-2345-6789-0123');
    expect(formatAbha('priya.sharma@abdm')).toBe('priya.sharma@abdm');
    expect(sexKey('female')).toBe('doctor.sex.female');
    expect(sexKey('unknown')).toBe('doctor.sex.unknown');
  });
});
