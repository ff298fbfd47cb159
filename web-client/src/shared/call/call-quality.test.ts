import { describe, expect, it } from 'vitest';
import { classifyQuality, sampleFromStats, type StatsEntry } from './call-quality';

describe('classifyQuality', () => {
  it('is good when every figure is within its limit', () => {
    expect(classifyQuality({ roundTripMs: 80, lossPercent: 0.5, jitterMs: 10, outgoingKbps: 1500 }, 'video')).toEqual({ level: 'good', reasons: [] });
  });

  it('is as bad as its worst figure and names it', () => {
    expect(classifyQuality({ roundTripMs: 80, lossPercent: 12, jitterMs: 40, outgoingKbps: 1500 }, 'video')).toEqual({ level: 'poor', reasons: ['loss'] });
  });

  it('names every figure at the worst level', () => {
    expect(classifyQuality({ roundTripMs: 350, lossPercent: 3, jitterMs: 10, outgoingKbps: 300 }, 'video'))
      .toEqual({ level: 'fair', reasons: ['delay', 'loss', 'bandwidth'] });
  });

  it('takes each limit itself as the worse side', () => {
    expect(classifyQuality({ roundTripMs: 300 }, 'video')?.level).toBe('fair');
    expect(classifyQuality({ roundTripMs: 600 }, 'video')?.level).toBe('poor');
    expect(classifyQuality({ jitterMs: 75 }, 'video')).toEqual({ level: 'poor', reasons: ['jitter'] });
    expect(classifyQuality({ outgoingKbps: 499 }, 'video')?.level).toBe('fair');
    expect(classifyQuality({ outgoingKbps: 149 }, 'video')?.level).toBe('poor');
  });

  it('asks less bandwidth of an audio-only call', () => {
    expect(classifyQuality({ outgoingKbps: 100 }, 'audioOnly')?.level).toBe('good');
    expect(classifyQuality({ outgoingKbps: 100 }, 'video')?.level).toBe('poor');
    expect(classifyQuality({ outgoingKbps: 20 }, 'audioOnly')).toEqual({ level: 'poor', reasons: ['bandwidth'] });
  });

  it('says nothing before anything was measured', () => {
    expect(classifyQuality({}, 'video')).toBeUndefined();
  });
});

describe('sampleFromStats', () => {
  const pair: StatsEntry = { type: 'candidate-pair', id: 'p1', state: 'succeeded', nominated: true, currentRoundTripTime: 0.12, availableOutgoingBitrate: 800_000 };
  const inbound = (lost: number, received: number, jitter = 0.004): StatsEntry[] => [
    { type: 'inbound-rtp', kind: 'audio', packetsLost: lost, packetsReceived: received, jitter },
    { type: 'inbound-rtp', kind: 'video', packetsLost: 0, packetsReceived: 1000, jitter: 0.02 },
  ];

  it('reads delay and bandwidth from the pair in use, and the worst jitter', () => {
    const { sample } = sampleFromStats([pair, ...inbound(0, 100)]);
    expect(sample).toEqual({ roundTripMs: 120, outgoingKbps: 800, jitterMs: 20 });
  });

  it('prefers the pair the transport selected over another nominated one', () => {
    const other: StatsEntry = { ...pair, id: 'p2', currentRoundTripTime: 0.9 };
    const { sample } = sampleFromStats([{ type: 'transport', selectedCandidatePairId: 'p2' }, pair, other]);
    expect(sample.roundTripMs).toBe(900);
  });

  it('measures loss over the interval since the previous report', () => {
    const first = sampleFromStats([pair, ...inbound(50, 900)]);
    expect(first.sample.lossPercent).toBeUndefined();
    // 10 lost and 90 received since: 10 % of what was sent in the interval, though the call's total is lower.
    const second = sampleFromStats([pair, ...inbound(60, 990)], first.counters);
    expect(second.sample.lossPercent).toBeCloseTo(10);
  });

  it('takes the loss the other side reports of our stream when it is worse', () => {
    const { sample } = sampleFromStats([pair, ...inbound(0, 100), { type: 'remote-inbound-rtp', fractionLost: 0.05 }], { lost: 0, received: 50 });
    expect(sample.lossPercent).toBeCloseTo(5);
  });

  it('leaves out what a report without a connected pair cannot tell', () => {
    expect(sampleFromStats([{ type: 'candidate-pair', state: 'in-progress', currentRoundTripTime: 0.1 }]).sample).toEqual({});
  });
});
