import { describe, expect, it } from 'vitest';
import { lastDays, syndromeSeries } from './analytics';

describe('syndromeSeries', () => {
  it('lines up counts by day, leaves suppressed and missing days as gaps, keeps the flags', () => {
    const series = syndromeSeries([
      { day: '2026-11-24', syndrome: 'fever', count: 6, flagged: false, expected: 5 },
      { day: '2026-11-25', syndrome: 'fever', count: null, flagged: true, expected: 5 },
    ], ['2026-11-23', '2026-11-24', '2026-11-25']);
    expect(series).toEqual([{ syndrome: 'fever', counts: [null, 6, null], flagged: [false, false, true] }]);
  });
});

describe('lastDays', () => {
  it('counts back in Indian time', () => expect(lastDays(2, new Date('2026-11-25T19:00:00Z'))).toEqual(['2026-11-25', '2026-11-26']));
});
