import { describe, expect, it } from 'vitest';
import { CandidateBuffer, iceServerRenewalMs, isMainPeer, mainPeerRole, offersTo, toRtcIceServers } from './negotiation';

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

describe('offersTo', () => {
  const doctor = { accountId: '0193a000-0000-7000-8000-000000000011', role: 'doctor' as const };
  const patient = { accountId: '0193a000-0000-7000-8000-000000000001', role: 'patient' as const };
  const staffA = { accountId: '0193a000-0000-7000-8000-00000000000a', role: 'staff' as const };
  const staffB = { accountId: '0193A000-0000-7000-8000-00000000000B', role: 'staff' as const };
  const healthWorker = { accountId: '0193a000-0000-7000-8000-000000000021', role: 'healthWorker' as const };
  const guest = { accountId: '0193a000-0000-7000-8000-000000000031', role: 'guest' as const };
  const otherGuest = { accountId: '0193a000-0000-7000-8000-000000000032', role: 'guest' as const };

  it('makes exactly one side of every pair the offerer', () => {
    const everyone = [doctor, patient, staffA, staffB, healthWorker, guest, otherGuest];
    for (const me of everyone) {
      for (const peer of everyone.filter(p => p !== me)) expect(offersTo(me, peer)).not.toBe(offersTo(peer, me));
    }
  });

  it('has the doctor offer to everyone, staff to the patient, and the patient never', () => {
    expect(offersTo(doctor, patient)).toBe(true);
    expect(offersTo(doctor, staffA)).toBe(true);
    expect(offersTo(staffA, patient)).toBe(true);
    expect(offersTo(staffA, doctor)).toBe(false);
    expect(offersTo(patient, doctor)).toBe(false);
    expect(offersTo(patient, staffA)).toBe(false);
  });

  it('has a guest answer the doctor and offer to the patient, who never offers', () => {
    expect(offersTo(doctor, guest)).toBe(true);
    expect(offersTo(guest, patient)).toBe(true);
    expect(offersTo(patient, guest)).toBe(false);
  });

  it('has the lower account id offer between two staff, whatever the letter case', () => {
    expect(offersTo(staffA, staffB)).toBe(true);
    expect(offersTo(staffB, staffA)).toBe(false);
  });
});

describe('isMainPeer', () => {
  it("shows the doctor the patient's side, whoever sits at its device, and everyone else the doctor", () => {
    expect(isMainPeer('doctor', 'patient')).toBe(true);
    expect(isMainPeer('doctor', 'healthWorker')).toBe(true);
    expect(isMainPeer('doctor', 'staff')).toBe(false);
    expect(isMainPeer('healthWorker', 'doctor')).toBe(true);
    expect(isMainPeer('healthWorker', 'staff')).toBe(false);
    expect(isMainPeer('staff', 'healthWorker')).toBe(false);
  });
});

describe('mainPeerRole', () => {
  it('pairs the doctor with the patient and staff with the doctor', () => {
    expect(mainPeerRole('doctor')).toBe('patient');
    expect(mainPeerRole('patient')).toBe('doctor');
    expect(mainPeerRole('staff')).toBe('doctor');
  });
});

describe('iceServerRenewalMs', () => {
  const now = Date.parse('2026-01-05T10:00:00Z');

  it('renews halfway to the expiry', () => {
    expect(iceServerRenewalMs('2026-01-05T10:10:00Z', now)).toBe(5 * 60_000);
  });

  it('waits at least 30 seconds, even for credentials that (by this clock) expired', () => {
    expect(iceServerRenewalMs('2026-01-05T09:55:00Z', now)).toBe(30_000);
  });
});
