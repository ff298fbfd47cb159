import { describe, expect, it } from 'vitest';
import { CandidateBuffer, toRtcIceServers } from './negotiation';

const candidate = (n: number) => ({ candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${5000 + n} typ host`, sdpMid: '0', sdpMLineIndex: 0 });

describe('CandidateBuffer', () => {
  it('keeps candidates until the remote description is set, then releases them in order', () => {
    const buffer = new CandidateBuffer();
    expect(buffer.offer(candidate(1))).toBeUndefined();
    expect(buffer.offer(candidate(2))).toBeUndefined();
    expect(buffer.release()).toEqual([candidate(1), candidate(2)]);
  });

  it('passes candidates straight through once released', () => {
    const buffer = new CandidateBuffer();
    buffer.release();
    expect(buffer.offer(candidate(3))).toEqual(candidate(3));
  });

  it('starts over for a new peer connection', () => {
    const buffer = new CandidateBuffer();
    buffer.release();
    buffer.reset();
    expect(buffer.offer(candidate(4))).toBeUndefined();
    expect(buffer.release()).toEqual([candidate(4)]);
  });
});

describe('toRtcIceServers', () => {
  it('keeps STUN entries bare and TURN entries with their credentials', () => {
    expect(toRtcIceServers([
      { urls: ['stun:127.0.0.1:3478'] },
      { urls: ['turn:127.0.0.1:3478?transport=udp'], username: '1700000000:abc', credential: 'c2VjcmV0' },
    ])).toEqual([
      { urls: ['stun:127.0.0.1:3478'] },
      { urls: ['turn:127.0.0.1:3478?transport=udp'], username: '1700000000:abc', credential: 'c2VjcmV0' },
    ]);
  });
});
