import { describe, expect, it } from 'vitest';
import { readingValues } from './device-lines';

describe('device reading lines', () => {
  it('list blood pressure, pulse and glucose in the record order', () => {
    expect(readingValues({
      consultationId: 'c', readingId: 'r', device: 'Cuff', status: [], at: '2026-12-07T04:00:00Z',
      vitals: { systolicMmHg: 128, diastolicMmHg: 82, pulsePerMinute: 76 }, glucoseMgPerDl: 99.1,
    })).toEqual([
      { key: 'devices.bloodPressure', params: { systolic: 128, diastolic: 82 } },
      { key: 'devices.pulse', params: { value: 76 } },
      { key: 'devices.glucose', params: { value: 99.1 } },
    ]);
  });

  it('say nothing of values the reading does not hold', () => {
    expect(readingValues({ consultationId: 'c', readingId: 'r', device: 'Scale', status: [], at: '', vitals: { weightKg: 70.25 } }))
      .toEqual([{ key: 'devices.weight', params: { value: 70.25 } }]);
  });
});
