import { describe, expect, it } from 'vitest';
import { kilobytes, SharedFiles, type SharedFile } from './shared-files';

const file = (id: string, at: string): SharedFile => ({
  id, consultationId: 'c', fileName: `${id}.pdf`, contentType: 'application/pdf', size: 10, sharedBy: 'a', role: 'doctor', at,
});

describe('shared files', () => {
  it('keeps each file once, in the order it was shared', () => {
    const files = new SharedFiles();
    expect(files.add(file('b', '2026-12-07T10:00:02Z'))).toBe(true);
    expect(files.add(file('a', '2026-12-07T10:00:01Z'))).toBe(true);
    expect(files.add(file('b', '2026-12-07T10:00:02Z'))).toBe(false);
    expect(files.entries.map(f => f.id)).toEqual(['a', 'b']);
  });

  it('shows sizes in kilobytes, at least one', () => {
    expect(kilobytes(10)).toBe(1);
    expect(kilobytes(5 * 1024 * 1024)).toBe(5120);
  });
});
