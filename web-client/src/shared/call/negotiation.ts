/**
 * Pieces of WebRTC negotiation that do not need a browser: remote ICE candidates that arrive before the remote
 * description is set must wait (addIceCandidate would fail), and the server's ICE server list maps to RTCIceServer.
 */
export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

export class CandidateBuffer {
  private pending: CandidateInit[] = [];
  private ready = false;

  /** Returns the candidate to apply now, or undefined when it was kept for later. */
  offer(candidate: CandidateInit): CandidateInit | undefined {
    if (this.ready) return candidate;
    this.pending.push(candidate);
    return undefined;
  }

  /** The remote description is set: everything kept is to be applied, in arrival order. */
  release(): CandidateInit[] {
    this.ready = true;
    const released = this.pending;
    this.pending = [];
    return released;
  }

  /** A new peer connection starts over: nothing is applied until its remote description is set. */
  reset(): void {
    this.ready = false;
    this.pending = [];
  }
}

export interface ServerIceServer {
  urls: string[];
  username?: string | null;
  credential?: string | null;
}

/** The server's ICE servers and when their TURN credentials expire (none without TURN). */
export interface ServerIceServers {
  servers: ServerIceServer[];
  expiresAt?: string | null;
}

/**
 * How long until fresh TURN credentials are fetched: halfway to the expiry, so a slow answer or a skewed clock still
 * lands before it, and never more often than every 30 s.
 */
export function iceServerRenewalMs(expiresAt: string, now: number): number {
  return Math.max((Date.parse(expiresAt) - now) / 2, 30_000);
}

export function toRtcIceServers(servers: ServerIceServer[]): RTCIceServer[] {
  return servers.map(s => (s.username ? { urls: s.urls, username: s.username, credential: s.credential ?? '' } : { urls: s.urls }));
}

/**
 * healthWorker: a spoke's health worker, sitting with the patient on one device, so on the patient's side of the call.
 * guest: a family member or an interpreter the patient's side let in with a one-time link.
 */
export type Role = 'doctor' | 'patient' | 'staff' | 'healthWorker' | 'guest';

/** The patient's side of the call: the patient, or the health worker at whose device the patient sits. */
export function onPatientSide(role: Role | undefined): boolean {
  return role === 'patient' || role === 'healthWorker';
}

export interface Participant {
  accountId: string;
  role: Role;
}

/**
 * Whether `me` makes the offers on the peer connection with `peer` (every pair in the room has its own). Fixed per
 * pair, so the two never offer at once: the doctor offers to everyone, invited staff offer to the patient's side, the
 * health worker to the patient should they join from a device of their own, and between two staff the lower account id
 * offers. The patient only answers.
 */
export function offersTo(me: Participant, peer: Participant): boolean {
  if (me.role === 'doctor') return true;
  if (me.role === 'patient' || peer.role === 'doctor') return false;
  if (me.role === 'healthWorker') return peer.role === 'patient';
  if (onPatientSide(peer.role)) return true;
  return me.accountId.toLowerCase() < peer.accountId.toLowerCase();
}

/**
 * Whose link is the call's main one (the large video, the status line, `call.pc`): the doctor and the patient see each
 * other; invited staff see the doctor. Everyone else present shows in a small tile.
 */
export function mainPeerRole(role: Role): Role {
  return role === 'doctor' ? 'patient' : 'doctor';
}

/** Whether a link to `peer` is the main one for `me`: the doctor's is the patient's side (the patient or their health worker). */
export function isMainPeer(me: Role, peer: Role | undefined): boolean {
  return me === 'doctor' ? onPatientSide(peer) : peer === 'doctor';
}
