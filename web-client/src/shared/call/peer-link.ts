import type { HubConnection } from '@microsoft/signalr';
import type { LossCounters } from './call-quality';
import { tuneOpus, type VideoSending } from './link-adaptation';
import { CandidateBuffer, offersTo, type CandidateInit, type Participant, type Role } from './negotiation';
import { replyValue, type HubReply } from '../server-errors';

/** What a participant told the room they have on. */
export interface PeerMedia { microphone: boolean; camera: boolean }

// Whoever (re)joins starts with microphone and camera on, until they say otherwise.
export const allOn = (): PeerMedia => ({ microphone: true, camera: true });

// Long enough for a few audio packets (one every 20 ms) and video frames to arrive, if they still flow.
const mediaCheckMs = 1500;

/** What the links of one call share, and how a link tells its call what happened. */
export interface LinkContext {
  readonly hub: HubConnection;
  readonly consultationId: string;
  readonly me: Participant;
  /** Replaced when fresh TURN credentials arrive; each new peer connection takes the current one. */
  configuration: RTCConfiguration;
  /** The camera and microphone. The same tracks go on every link, so muting, the camera and audio only act on all of them at once. */
  local(): MediaStream;
  /** Their media arrived. */
  streamArrived(link: PeerLink): void;
  /** The link's peer connection changed state, or a new one started. */
  stateChanged(link: PeerLink, state: RTCPeerConnectionState): void;
}

/**
 * The peer connection with one other participant, and its negotiation. Every (re)negotiation starts a fresh peer
 * connection. Offers are numbered and answers echo the number, so an answer to an offer that has since been replaced
 * is ignored instead of being applied to the wrong connection. Their candidates wait until the remote description is
 * set. A failed connection is restarted by the side that offers; the other side asks it to.
 */
export class PeerLink {
  /** Unknown while only their offer or candidates have arrived (they can come before JoinRoom's reply names them). */
  role?: Role;
  present = false;
  pc?: RTCPeerConnection;
  stream?: MediaStream;
  lossCounters?: LossCounters;
  /** As they last told it. */
  media = allOn();
  /** Whether they told that their video paused by itself on a weak link. */
  videoPaused = false;
  /** The number of our latest offer on this link; an answer must echo it. */
  private negotiation = 0;
  private readonly candidates = new CandidateBuffer();

  constructor(readonly accountId: string, private readonly call: LinkContext) {}

  /** Whether we make the offers on this link (one side of each pair always does, so the two never offer at once). */
  get offers(): boolean {
    return this.role !== undefined && offersTo(this.call.me, { accountId: this.accountId, role: this.role });
  }

  async negotiate(): Promise<void> {
    const negotiation = ++this.negotiation;
    const pc = this.open();
    await pc.setLocalDescription(tuned(await pc.createOffer()));
    if (negotiation === this.negotiation) await this.invoke('SendOffer', pc.localDescription!.sdp, negotiation);
  }

  /**
   * A peer back after a drop either reloaded (its peer connection is gone, a new offer is needed) or only lost its hub
   * connection (the media flowed peer to peer all along, and a new offer would only interrupt it). Media still arriving
   * a moment later tells the second case.
   */
  async offerUnlessFlowing(): Promise<void> {
    const pc = this.pc;
    if (pc?.connectionState === 'connected') {
      const before = await bytesReceived(pc);
      await new Promise(resolve => setTimeout(resolve, mediaCheckMs));
      if (pc === this.pc && pc.connectionState === 'connected' && (await bytesReceived(pc)) > before) return;
    }
    if (pc === this.pc) await this.negotiate();
  }

  /** Their offer, on a link where they are the side that offers. */
  async answer(sdp: string, negotiation: number): Promise<void> {
    if (this.offers) return;
    const pc = this.open();
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await this.flushCandidates();
    await pc.setLocalDescription(tuned(await pc.createAnswer()));
    if (pc === this.pc) await this.invoke('SendAnswer', pc.localDescription!.sdp, negotiation);
  }

  /** Their answer, applied only if it answers our latest offer. */
  async accept(sdp: string, negotiation: number): Promise<void> {
    if (!this.offers || negotiation !== this.negotiation || this.pc?.signalingState !== 'have-local-offer') return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.flushCandidates();
  }

  async addCandidate(candidate: CandidateInit): Promise<void> {
    const now = this.candidates.offer(candidate);
    if (now) await this.pc?.addIceCandidate(now).catch(() => undefined);
  }

  close(): void {
    this.pc?.close();
  }

  /** Whether and how much video goes on this link; the encodings exist once the link is negotiated. */
  async sendVideo(sending: VideoSending): Promise<void> {
    const sender = this.pc?.getSenders().find(s => s.track?.kind === 'video');
    const parameters = sender?.getParameters();
    if (!sender || !parameters?.encodings?.length) return;
    for (const encoding of parameters.encodings) {
      encoding.active = sending.active;
      if (sending.active) Object.assign(encoding, { maxBitrate: sending.maxBitrateKbps * 1000, scaleResolutionDownBy: sending.scaleResolutionDownBy });
    }
    await sender.setParameters(parameters).catch(() => undefined);
  }

  private open(): RTCPeerConnection {
    this.pc?.close();
    this.candidates.reset();
    this.lossCounters = undefined;
    const pc = new RTCPeerConnection(this.call.configuration);
    const local = this.call.local();
    local.getTracks().forEach(track => pc.addTrack(track, local));
    pc.ontrack = event => {
      this.stream = event.streams[0];
      this.call.streamArrived(this);
    };
    pc.onicecandidate = event => {
      if (pc !== this.pc) return;
      // Candidates go without asking for a reply: nothing here would act on one.
      void (event.candidate
        ? this.call.hub.send('SendIceCandidate', this.call.consultationId, this.accountId, event.candidate.candidate, event.candidate.sdpMid, event.candidate.sdpMLineIndex)
        : this.call.hub.invoke('SendEndOfCandidates', this.call.consultationId, this.accountId));
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      this.call.stateChanged(this, pc.connectionState);
      if (pc.connectionState === 'failed') void (this.offers ? this.negotiate() : this.call.hub.invoke('RequestIceRestart', this.call.consultationId, this.accountId));
    };
    this.pc = pc;
    this.call.stateChanged(this, pc.connectionState);
    return pc;
  }

  private async flushCandidates(): Promise<void> {
    for (const candidate of this.candidates.release()) await this.pc?.addIceCandidate(candidate).catch(() => undefined);
  }

  private async invoke(method: string, ...args: unknown[]): Promise<void> {
    replyValue(await this.call.hub.invoke<HubReply<unknown>>(method, this.call.consultationId, this.accountId, ...args), method);
  }
}

function tuned(description: RTCSessionDescriptionInit): RTCSessionDescriptionInit {
  return { type: description.type, sdp: tuneOpus(description.sdp ?? '') };
}

async function bytesReceived(pc: RTCPeerConnection): Promise<number> {
  let total = 0;
  (await pc.getStats()).forEach(report => { if (report.type === 'inbound-rtp') total += report.bytesReceived ?? 0; });
  return total;
}
