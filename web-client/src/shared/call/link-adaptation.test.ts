import { describe, expect, it } from 'vitest';
import { LinkAdapter, tuneOpus } from './link-adaptation';

const every = 2000;

/** Feeds the samples two seconds apart from `start`; returns the levels it moved to, in order. */
function run(adapter: LinkAdapter, kbps: number[], start = 0, lossPercent?: number): string[] {
  return kbps.flatMap((outgoingKbps, i) => adapter.next({ outgoingKbps, lossPercent }, start + i * every)?.level ?? []);
}

describe('LinkAdapter', () => {
  it('keeps full video on a good link and on a single bad sample', () => {
    const adapter = new LinkAdapter();
    expect(run(adapter, [1500, 900, 80, 900, 80, 600])).toEqual([]);
    expect(adapter.current).toMatchObject({ level: 'full', active: true, maxBitrateKbps: 800 });
  });

  it('pauses the video after two weak samples running, on bandwidth or on loss', () => {
    expect(run(new LinkAdapter(), [900, 100, 90])).toEqual(['paused']);
    expect(run(new LinkAdapter(), [900, 900, 900], 0, 12)).toEqual(['paused']);
    expect(new LinkAdapter().next({ outgoingKbps: 90 }, 0)).toBeUndefined();
  });

  it('tries the video again at a low rate after the wait, and keeps it after three strong samples', () => {
    const adapter = new LinkAdapter();
    run(adapter, [100, 100]);
    expect(adapter.next({ outgoingKbps: 900 }, 4000)).toBeUndefined();
    const trial = adapter.next({ outgoingKbps: 900 }, 2000 + 10_000);
    expect(trial).toMatchObject({ level: 'trial', active: true, maxBitrateKbps: 200, scaleResolutionDownBy: 2 });
    expect(run(adapter, [300, 300, 300], 14_000)).toEqual(['full']);
  });

  it('waits twice as long after each failed try, up to a minute', () => {
    const adapter = new LinkAdapter();
    run(adapter, [100, 100]);
    let pausedAt = 2000;
    for (const wait of [10_000, 20_000, 40_000, 60_000, 60_000]) {
      expect(adapter.next({ outgoingKbps: 100 }, pausedAt + wait - 1)).toBeUndefined();
      expect(adapter.next({ outgoingKbps: 100 }, pausedAt + wait)?.level).toBe('trial');
      pausedAt += wait + every;
      expect(adapter.next({ outgoingKbps: 100 }, pausedAt)?.level).toBe('paused');
    }
  });

  it('does not resume on a link between the two thresholds', () => {
    const adapter = new LinkAdapter();
    run(adapter, [100, 100]);
    adapter.next({ outgoingKbps: 150 }, 12_000);
    expect(run(adapter, [150, 150, 150, 150], 14_000)).toEqual([]);
    expect(adapter.current.level).toBe('trial');
  });
});

describe('tuneOpus', () => {
  const sdp = [
    'v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 63', 'a=rtpmap:111 opus/48000/2', 'a=rtcp-fb:111 transport-cc',
    'a=fmtp:111 minptime=10;useinbandfec=0', 'a=rtpmap:63 red/48000/2', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000', '',
  ].join('\r\n');

  it('turns on forward error correction and discontinuous transmission for Opus alone', () => {
    const tuned = tuneOpus(sdp);
    expect(tuned).toContain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n');
    expect(tuned).toContain('a=rtpmap:63 red/48000/2\r\nm=video');
    expect(tuned.match(/usedtx/g)).toHaveLength(1);
    expect(tuneOpus(tuned)).toBe(tuned);
  });

  it('adds the parameters when Opus has none', () => {
    const bare = sdp.replace('a=fmtp:111 minptime=10;useinbandfec=0\r\n', '');
    expect(tuneOpus(bare)).toContain('a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1;usedtx=1\r\n');
  });
});
