/**
 * The network quality of a call, from RTCPeerConnection.getStats(): what the numbers mean for the people talking.
 * Pure, so the thresholds are tested without a browser; call.ts feeds it a stats report every few seconds.
 */
export type QualityLevel = 'good' | 'fair' | 'poor';
export type QualityReason = 'delay' | 'loss' | 'jitter' | 'bandwidth';

/** One measurement; a figure the browser did not report yet is left out and judged on the others. */
export interface NetworkSample {
  roundTripMs?: number;
  lossPercent?: number;
  jitterMs?: number;
  outgoingKbps?: number;
}

export interface Quality {
  level: QualityLevel;
  /** The figures that set the level (empty when good). */
  reasons: QualityReason[];
}

interface Limit { fair: number; poor: number }

// Delay: ITU-T G.114 finds one-way delay under 150 ms unnoticed, so a round trip under 300 ms is good; beyond 600 ms
// people talk over each other. Loss: audio codecs hide about 2 %, video freezes beyond about 8 %. Jitter: beyond the
// 30–75 ms the jitter buffer absorbs, speech breaks up. Bandwidth: a talking head needs about 500 kbps to look clear
// and is a slide show under 150 kbps; speech needs 64 kbps for good Opus and breaks up under about 24 kbps.
const higherIsWorse: Record<'delay' | 'loss' | 'jitter', Limit> = {
  delay: { fair: 300, poor: 600 },
  loss: { fair: 2, poor: 8 },
  jitter: { fair: 30, poor: 75 },
};
const outgoingBandwidth: Record<'video' | 'audioOnly', Limit> = {
  video: { fair: 500, poor: 150 },
  audioOnly: { fair: 64, poor: 24 },
};

const rank: Record<QualityLevel, number> = { good: 0, fair: 1, poor: 2 };

/** The worst of the figures decides; undefined until at least one figure was measured. */
export function classifyQuality(sample: NetworkSample, mode: 'video' | 'audioOnly'): Quality | undefined {
  const judged: [QualityReason, QualityLevel][] = [];
  const above = (value: number, limit: Limit): QualityLevel => (value >= limit.poor ? 'poor' : value >= limit.fair ? 'fair' : 'good');
  if (sample.roundTripMs !== undefined) judged.push(['delay', above(sample.roundTripMs, higherIsWorse.delay)]);
  if (sample.lossPercent !== undefined) judged.push(['loss', above(sample.lossPercent, higherIsWorse.loss)]);
  if (sample.jitterMs !== undefined) judged.push(['jitter', above(sample.jitterMs, higherIsWorse.jitter)]);
  if (sample.outgoingKbps !== undefined) {
    const limit = outgoingBandwidth[mode];
    judged.push(['bandwidth', sample.outgoingKbps < limit.poor ? 'poor' : sample.outgoingKbps < limit.fair ? 'fair' : 'good']);
  }
  if (judged.length === 0) return undefined;
  const level = judged.reduce<QualityLevel>((worst, [, level]) => (rank[level] > rank[worst] ? level : worst), 'good');
  return { level, reasons: level === 'good' ? [] : judged.filter(([, l]) => l === level).map(([reason]) => reason) };
}

/** The fields of RTCStats entries this reads (a plain object stands in for one in tests). */
export interface StatsEntry {
  type: string;
  id?: string;
  kind?: string;
  state?: string;
  nominated?: boolean;
  selectedCandidatePairId?: string;
  currentRoundTripTime?: number;
  availableOutgoingBitrate?: number;
  packetsLost?: number;
  packetsReceived?: number;
  jitter?: number;
  fractionLost?: number;
  roundTripTime?: number;
}

/** Running totals kept between two reports: loss is judged over the last interval, not since the call began. */
export interface LossCounters { lost: number; received: number }

/**
 * A sample from one stats report. Delay and available bandwidth come from the candidate pair in use; loss is what this
 * side did not receive since the previous report, or what the other side reports losing of ours, whichever is worse;
 * jitter is the worst incoming stream's.
 */
export function sampleFromStats(entries: Iterable<StatsEntry>, previous?: LossCounters): { sample: NetworkSample; counters: LossCounters } {
  const all = [...entries];
  const selectedId = all.find(e => e.type === 'transport' && e.selectedCandidatePairId)?.selectedCandidatePairId;
  const pair = all.find(e => e.type === 'candidate-pair' && (selectedId ? e.id === selectedId : e.nominated && e.state === 'succeeded'));
  const sample: NetworkSample = {};
  if (pair?.currentRoundTripTime !== undefined) sample.roundTripMs = pair.currentRoundTripTime * 1000;
  if (pair?.availableOutgoingBitrate !== undefined) sample.outgoingKbps = pair.availableOutgoingBitrate / 1000;

  const inbound = all.filter(e => e.type === 'inbound-rtp');
  const counters = {
    lost: inbound.reduce((sum, e) => sum + Math.max(0, e.packetsLost ?? 0), 0),
    received: inbound.reduce((sum, e) => sum + (e.packetsReceived ?? 0), 0),
  };
  const losses: number[] = [];
  if (previous) {
    const lost = counters.lost - previous.lost;
    const expected = lost + counters.received - previous.received;
    if (expected > 0) losses.push((100 * Math.max(0, lost)) / expected);
  }
  for (const remote of all.filter(e => e.type === 'remote-inbound-rtp' && e.fractionLost !== undefined)) losses.push(remote.fractionLost! * 100);
  if (losses.length > 0) sample.lossPercent = Math.max(...losses);

  const jitters = inbound.filter(e => e.jitter !== undefined).map(e => e.jitter! * 1000);
  if (jitters.length > 0) sample.jitterMs = Math.max(...jitters);
  return { sample, counters };
}
