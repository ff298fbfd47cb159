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

export function toRtcIceServers(servers: ServerIceServer[]): RTCIceServer[] {
  return servers.map(s => (s.username ? { urls: s.urls, username: s.username, credential: s.credential ?? '' } : { urls: s.urls }));
}
