import type { HubConnection } from '@microsoft/signalr';
import { t } from './i18n';
import { CandidateBuffer, type CandidateInit } from './negotiation';

interface HubReply<T> { ok: boolean; value?: T; error?: { code: string; message: string } }
interface SdpMessage { consultationId: string; from: string; type: string; sdp: string; negotiation: number }
interface CandidateMessage extends CandidateInit { consultationId: string; from: string }
interface RoomPeer { consultationId: string; accountId: string; role: 'doctor' | 'patient' | 'staff' }
interface RoomState { present: RoomPeer[]; rejoined: boolean; mode: 'video' | 'audioOnly' }

export interface CallElements {
  local: HTMLVideoElement;
  remote: HTMLVideoElement;
  status: HTMLElement;
  chatLog: HTMLElement;
}

/**
 * One side of a consultation call. The doctor always makes the offers (so the two sides never offer at once);
 * when the patient (re)joins, the doctor starts a fresh peer connection and offers again — which is also how a
 * reloaded page gets its call back. Offers are numbered and answers echo the number, so an answer to an
 * offer that has since been replaced is ignored instead of being applied to the wrong connection.
 */
export class Call {
  pc?: RTCPeerConnection;
  local?: MediaStream;
  mode: 'video' | 'audioOnly' = 'video';
  private negotiation = 0;
  private peerPresent = false;
  private readonly candidates = new CandidateBuffer();

  constructor(
    private readonly hub: HubConnection,
    private readonly consultationId: string,
    private readonly isOfferer: boolean,
    private readonly iceServers: RTCIceServer[],
    private readonly relayOnly: boolean,
    private readonly elements: CallElements,
  ) {}

  async start(): Promise<void> {
    this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    this.elements.local.srcObject = this.local;
    this.hub.on('Offer', (m: SdpMessage) => this.matches(m) && void this.onOffer(m));
    this.hub.on('Answer', (m: SdpMessage) => this.matches(m) && void this.onAnswer(m));
    this.hub.on('IceCandidate', (m: CandidateMessage) => this.matches(m) && void this.onCandidate(m));
    // Staff the doctor invited (an interpreter) are in the room for chat; the call's peer is the doctor or the patient.
    this.hub.on('PeerJoined', (m: RoomPeer) => this.isCallPeer(m) && this.peerJoined());
    this.hub.on('IceRestartRequested', (m: { consultationId: string }) => this.matches(m) && this.isOfferer && void this.negotiate());
    this.hub.on('PeerDisconnected', (m: RoomPeer) => this.isCallPeer(m) && this.peerGone(t('call.peerDisconnected')));
    this.hub.on('PeerLeft', (m: RoomPeer) => this.isCallPeer(m) && this.peerGone(t('call.peerLeft')));
    this.hub.on('CallModeChanged', (m: { consultationId: string; mode: 'video' | 'audioOnly' }) => this.matches(m) && this.applyMode(m.mode));
    this.hub.on('ChatMessage', (m: { consultationId: string; messageId: string; text: string }) => {
      if (!this.matches(m)) return;
      this.appendChat(t('call.them', { text: m.text }));
      void this.hub.invoke('AcknowledgeChat', this.consultationId, m.messageId, true);
    });

    const room = await this.invoke<RoomState>('JoinRoom', this.consultationId);
    this.applyMode(room.mode);
    // The other side may have joined (and a PeerJoined started the negotiation) while this reply was on its way.
    if (this.pc) return;
    this.peerPresent = room.present.filter(peer => peer.role !== 'staff').length > 1;
    if (this.isOfferer && this.peerPresent) await this.negotiate();
    else this.newPeer();
  }

  /**
   * The server may tell of one arrival twice — in the JoinRoom reply and as a PeerJoined, when both joined at once —
   * and a second offer would tear down a call that just connected. A peer is new only after it was gone.
   */
  private peerJoined(): void {
    if (this.peerPresent && this.pc) return;
    this.peerPresent = true;
    if (this.isOfferer) void this.negotiate();
  }

  private peerGone(status: string): void {
    this.peerPresent = false;
    this.status(status);
  }

  async switchToAudioOnly(): Promise<void> {
    await this.invoke('SetCallMode', this.consultationId, 'audioOnly');
  }

  async sendChat(text: string): Promise<void> {
    await this.invoke('SendChat', this.consultationId, crypto.randomUUID(), text);
    this.appendChat(t('call.you', { text }));
  }

  async hangUp(): Promise<void> {
    await this.invoke('HangUp', this.consultationId);
    this.pc?.close();
    this.local?.getTracks().forEach(t => t.stop());
    this.status(t('call.ended'));
  }

  /** Frames decoded from the remote video so far (rises while video flows). */
  async framesDecoded(): Promise<number> {
    return this.inbound('video', 'framesDecoded');
  }

  /** Audio packets received so far (rises while audio flows). */
  async audioPacketsReceived(): Promise<number> {
    return this.inbound('audio', 'packetsReceived');
  }

  private async inbound(kind: string, field: string): Promise<number> {
    let total = 0;
    (await this.pc?.getStats())?.forEach(report => {
      if (report.type === 'inbound-rtp' && report.kind === kind) total += report[field] ?? 0;
    });
    return total;
  }

  private matches(message: { consultationId: string }): boolean {
    return message.consultationId === this.consultationId;
  }

  private isCallPeer(peer: RoomPeer): boolean {
    return this.matches(peer) && peer.role !== 'staff';
  }

  private newPeer(): void {
    this.pc?.close();
    this.candidates.reset();
    const pc = new RTCPeerConnection({ iceServers: this.iceServers, iceTransportPolicy: this.relayOnly ? 'relay' : 'all' });
    this.local!.getTracks().forEach(track => pc.addTrack(track, this.local!));
    pc.ontrack = event => { this.elements.remote.srcObject = event.streams[0]; };
    pc.onicecandidate = event => {
      if (pc !== this.pc) return;
      void (event.candidate
        ? this.hub.invoke('SendIceCandidate', this.consultationId, event.candidate.candidate, event.candidate.sdpMid, event.candidate.sdpMLineIndex)
        : this.hub.invoke('SendEndOfCandidates', this.consultationId));
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      this.status(pc.connectionState === 'connected' ? t('call.connected') : t('call.connection', { state: pc.connectionState }));
      if (pc.connectionState === 'connected') void this.hub.invoke('ReportConnected', this.consultationId);
      if (pc.connectionState === 'failed') void (this.isOfferer ? this.negotiate() : this.hub.invoke('RequestIceRestart', this.consultationId));
    };
    this.pc = pc;
  }

  private async negotiate(): Promise<void> {
    const negotiation = ++this.negotiation;
    this.newPeer();
    const pc = this.pc!;
    await pc.setLocalDescription(await pc.createOffer());
    if (negotiation === this.negotiation) await this.invoke('SendOffer', this.consultationId, pc.localDescription!.sdp, negotiation);
  }

  private async onOffer(message: SdpMessage): Promise<void> {
    if (this.isOfferer) return;
    this.newPeer();
    const pc = this.pc!;
    await pc.setRemoteDescription({ type: 'offer', sdp: message.sdp });
    await this.flushCandidates();
    await pc.setLocalDescription(await pc.createAnswer());
    if (pc === this.pc) await this.invoke('SendAnswer', this.consultationId, pc.localDescription!.sdp, message.negotiation);
  }

  private async onAnswer(message: SdpMessage): Promise<void> {
    if (!this.isOfferer || message.negotiation !== this.negotiation || this.pc?.signalingState !== 'have-local-offer') return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
    await this.flushCandidates();
  }

  private async onCandidate(message: CandidateMessage): Promise<void> {
    const now = this.candidates.offer(message);
    if (now) await this.pc?.addIceCandidate(now).catch(() => undefined);
  }

  private async flushCandidates(): Promise<void> {
    for (const candidate of this.candidates.release()) await this.pc?.addIceCandidate(candidate).catch(() => undefined);
  }

  /** Audio only: the camera is switched off (its track stops) and the microphone carries on. */
  private applyMode(mode: 'video' | 'audioOnly'): void {
    this.mode = mode;
    if (mode === 'audioOnly') this.local?.getVideoTracks().forEach(track => track.stop());
    this.status(mode === 'audioOnly' ? t('call.audioOnlyMode') : this.elements.status.textContent ?? '');
  }

  private appendChat(text: string): void {
    const item = document.createElement('li');
    item.textContent = text;
    this.elements.chatLog.append(item);
  }

  private status(text: string): void {
    this.elements.status.textContent = text;
  }

  private async invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    const reply = await this.hub.invoke<HubReply<T>>(method, ...args);
    if (!reply.ok) throw new Error(reply.error?.message ?? `${method} failed`);
    return reply.value as T;
  }
}
