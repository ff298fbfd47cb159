/**
 * How a call adapts its video to the link it has, from the samples call-quality.ts takes every few seconds. Pure, so the
 * thresholds and the hysteresis are tested without a browser; call.ts applies the verdicts to its video senders.
 *
 * Below what a talking head needs the video is paused and the call carries on as audio only. A paused video sends
 * nothing, so the browser's bandwidth estimate cannot show the link has recovered: after a wait (longer after each
 * failed try) the video is tried again at a low rate, and kept only if the link carries it for a few samples running.
 */
import type { NetworkSample } from './call-quality';

export type VideoLevel = 'full' | 'trial' | 'paused';

/** What the video senders are told: whether they send, the most they may send, and how far they scale down. */
export interface VideoSending {
  level: VideoLevel;
  active: boolean;
  maxBitrateKbps: number;
  scaleResolutionDownBy: number;
}

// A talking head is a slide show under about 150 kbps (call-quality.ts); the pause keeps a margin below it and the
// return asks for a margin above it, so a link hovering at one figure does not flap between the two.
const pauseBelowKbps = 120;
const resumeFromKbps = 200;
const pauseFromLossPercent = 10;
const resumeBelowLossPercent = 5;
// Samples come every 2 s: two bad ones running (4 s) pause, three good ones running (6 s) of a trial resume.
const badSamplesToPause = 2;
const goodSamplesToResume = 3;
const firstRetryMs = 10_000;
const longestRetryMs = 60_000;

const sending: Record<VideoLevel, VideoSending> = {
  // A consultation needs a clear face, not broadcast quality: the ceiling leaves the rest of a shared link to others.
  full: { level: 'full', active: true, maxBitrateKbps: 800, scaleResolutionDownBy: 1 },
  trial: { level: 'trial', active: true, maxBitrateKbps: 200, scaleResolutionDownBy: 2 },
  paused: { level: 'paused', active: false, maxBitrateKbps: 0, scaleResolutionDownBy: 1 },
};

export class LinkAdapter {
  private level: VideoLevel = 'full';
  private bad = 0;
  private good = 0;
  private retryMs = firstRetryMs;
  private retryAt = 0;

  get current(): VideoSending {
    return sending[this.level];
  }

  /** Takes one sample taken at `now` (ms); returns the new sending when it changes, otherwise undefined. */
  next(sample: NetworkSample, now: number): VideoSending | undefined {
    const weak = (sample.outgoingKbps !== undefined && sample.outgoingKbps < pauseBelowKbps)
      || (sample.lossPercent !== undefined && sample.lossPercent >= pauseFromLossPercent);
    const strong = sample.outgoingKbps !== undefined && sample.outgoingKbps >= resumeFromKbps
      && (sample.lossPercent ?? 0) < resumeBelowLossPercent;
    this.bad = weak ? this.bad + 1 : 0;
    this.good = strong ? this.good + 1 : 0;
    switch (this.level) {
      case 'full':
        return this.bad >= badSamplesToPause ? this.pause(now) : undefined;
      case 'trial':
        if (weak) {
          this.retryMs = Math.min(this.retryMs * 2, longestRetryMs);
          return this.pause(now);
        }
        if (this.good >= goodSamplesToResume) {
          this.retryMs = firstRetryMs;
          return this.move('full');
        }
        return undefined;
      case 'paused':
        return now >= this.retryAt ? this.move('trial') : undefined;
    }
  }

  private pause(now: number): VideoSending {
    this.retryAt = now + this.retryMs;
    return this.move('paused');
  }

  private move(level: VideoLevel): VideoSending {
    this.level = level;
    this.bad = 0;
    this.good = 0;
    return sending[level];
  }
}

/**
 * Opus as a weak link needs it: in-band forward error correction (a lost packet is rebuilt from the next) and
 * discontinuous transmission (silence costs almost nothing), on every Opus payload type of the description.
 */
export function tuneOpus(sdp: string): string {
  const opus = [...sdp.matchAll(/^a=rtpmap:(\d+) opus\/48000/gim)].map(match => match[1]);
  return opus.reduce((tuned, payloadType) => {
    const fmtp = new RegExp(`^(a=fmtp:${payloadType} )(.*)$`, 'm');
    if (!fmtp.test(tuned)) return tuned.replace(new RegExp(`^(a=rtpmap:${payloadType} opus/48000.*)$`, 'im'), `$1\r\na=fmtp:${payloadType} useinbandfec=1;usedtx=1`);
    return tuned.replace(fmtp, (_, head: string, parameters: string) => {
      const kept = parameters.split(';').map(p => p.trim()).filter(p => p && !/^(useinbandfec|usedtx)=/i.test(p));
      return head + [...kept, 'useinbandfec=1', 'usedtx=1'].join(';');
    });
  }, sdp);
}
