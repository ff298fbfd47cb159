import type { HubConnection } from '@microsoft/signalr';
import { classifyQuality, sampleFromStats, type LossCounters, type Quality, type StatsEntry } from './call-quality';
import { ChatThread, TypingThrottle } from './chat';
import type { MediaState } from './connection';
import type { MessageKey } from './i18n';
import { CandidateBuffer, type CandidateInit } from './negotiation';
import { replyValue, type HubReply } from './server-errors';

interface SdpMessage { consultationId: string; from: string; type: string; sdp: string; negotiation: number }
interface CandidateMessage extends CandidateInit { consultationId: string; from: string }
interface RoomPeer { consultationId: string; accountId: string; role: 'doctor' | 'patient' | 'staff' }
interface RoomState { present: RoomPeer[]; rejoined: boolean; mode: 'video' | 'audioOnly' }
interface MediaStateMessage { consultationId: string; microphone: boolean; camera: boolean }
interface ChatReceipt { consultationId: string; messageId: string; kind: 'delivered' | 'read' }

/** Someone to call is in the room besides us (invited staff are there for the chat, not the call). */
function callPeerPresent(room: RoomState): boolean {
  return room.present.filter(peer => peer.role !== 'staff').length > 1;
}

export type Role = 'doctor' | 'patient';
export type CallMode = 'video' | 'audioOnly';

/** What the call screen shows; call-view.ts renders it after every change. */
export interface CallView {
  changed(): void;
  /** The peer connection's state, for the reconnecting banner. */
  mediaState(state: MediaState): void;
}

// Their typing shows for this long after the last signal (they send one at most every 3 s while typing).
const typingShownMs = 5000;
const statsEveryMs = 2000;
// Long enough for a few audio packets (one every 20 ms) and video frames to arrive, if they still flow.
const mediaCheckMs = 1500;

/**
 * One side of a consultation call. The doctor always makes the offers (so the two sides never offer at once);
 * when the patient (re)joins, the doctor starts a fresh peer connection and offers again — which is also how a
 * reloaded page gets its call back. Offers are numbered and answers echo the number, so an answer to an
 * offer that has since been replaced is ignored instead of being applied to the wrong connection.
 */
export class Call {
  pc?: RTCPeerConnection;
  local?: MediaStream;
  mode: CallMode = 'video';
  /** Kept as message keys, so a language switch can render them again. */
  status: MessageKey = 'call.connecting';
  microphoneOn = true;
  cameraOn = true;
  /** What the other side last told of its microphone and camera. */
  peerMedia = { microphone: true, camera: true };
  /** The notices from their last media change ("the doctor muted their microphone"), told of the peer's role. */
  notices: MessageKey[] = [];
  peerTyping = false;
  quality?: Quality;
  readonly chat = new ChatThread();
  private negotiation = 0;
  private peerPresent = false;
  private readonly candidates = new CandidateBuffer();
  private readonly typing = new TypingThrottle();
  private typingTimer?: ReturnType<typeof setTimeout>;
  private statsTimer?: ReturnType<typeof setInterval>;
  private lossCounters?: LossCounters;
  private readonly unread = new Set<string>();
  private readonly readWhenVisible = () => this.acknowledgeUnread();

  constructor(
    private readonly hub: HubConnection,
    private readonly consultationId: string,
    readonly role: Role,
    private readonly iceServers: RTCIceServer[],
    private readonly relayOnly: boolean,
    private readonly elements: { local: HTMLVideoElement; remote: HTMLVideoElement },
    private readonly view: CallView,
  ) {}

  /** The doctor makes the offers. */
  private get isOfferer(): boolean {
    return this.role === 'doctor';
  }

  get peerRole(): Role {
    return this.isOfferer ? 'patient' : 'doctor';
  }

  async start(): Promise<void> {
    this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    this.elements.local.srcObject = this.local;
    this.hub.on('Offer', (m: SdpMessage) => this.matches(m) && void this.onOffer(m));
    this.hub.on('Answer', (m: SdpMessage) => this.matches(m) && void this.onAnswer(m));
    this.hub.on('IceCandidate', (m: CandidateMessage) => this.matches(m) && void this.onCandidate(m));
    // Staff the doctor invited (an interpreter) are in the room for chat; the call's peer is the doctor or the patient.
    this.hub.on('PeerJoined', (m: RoomPeer) => this.isCallPeer(m) && this.peerJoined());
    this.hub.on('IceRestartRequested', (m: { consultationId: string }) => this.matches(m) && this.isOfferer && void this.negotiate());
    this.hub.on('PeerDisconnected', (m: RoomPeer) => this.isCallPeer(m) && this.peerGone('call.peerDisconnected'));
    this.hub.on('PeerLeft', (m: RoomPeer) => this.isCallPeer(m) && this.peerGone('call.peerLeft'));
    this.hub.on('CallModeChanged', (m: { consultationId: string; mode: CallMode }) => this.matches(m) && this.applyMode(m.mode));
    this.hub.on('PeerMediaState', (m: MediaStateMessage) => this.matches(m) && this.peerMediaChanged(m));
    this.hub.on('PeerTyping', (m: { consultationId: string }) => this.matches(m) && this.peerIsTyping());
    this.hub.on('ChatMessage', (m: { consultationId: string; messageId: string; text: string }) => this.matches(m) && this.received(m.messageId, m.text));
    this.hub.on('ChatReceipt', (m: ChatReceipt) => this.matches(m) && this.chat.mark(m.messageId, m.kind) && this.view.changed());
    document.addEventListener('visibilitychange', this.readWhenVisible);
    this.statsTimer = setInterval(() => void this.measure(), statsEveryMs);

    const room = await this.invoke<RoomState>('JoinRoom', this.consultationId);
    this.applyMode(room.mode);
    // The other side may have joined (and a PeerJoined started the negotiation) while this reply was on its way.
    if (this.pc) return;
    this.peerPresent = callPeerPresent(room);
    if (this.isOfferer && this.peerPresent) await this.negotiate();
    else this.newPeer();
  }

  /**
   * The hub connection came back (a new connection, so no longer in the room's group): join again. The media may have
   * flowed peer to peer all along; the doctor offers anew only when it did not.
   */
  async rejoin(): Promise<void> {
    const room = await this.invoke<RoomState>('JoinRoom', this.consultationId);
    this.applyMode(room.mode);
    this.peerPresent = callPeerPresent(room);
    if (this.peerPresent) void this.tellMediaState();
    if (this.isOfferer && this.peerPresent && this.pc?.connectionState !== 'connected') await this.negotiate();
  }

  /**
   * The server may tell of one arrival twice — in the JoinRoom reply and as a PeerJoined, when both joined at once —
   * and a second offer would tear down a call that just connected. A peer is new only after it was gone.
   */
  private peerJoined(): void {
    // Whoever joins starts with microphone and camera on, and hears ours again.
    this.peerMedia = { microphone: true, camera: true };
    this.notices = [];
    void this.tellMediaState();
    // Back while the media kept flowing: no renegotiation will say so, the "lost connection" notice must go now.
    if (this.pc?.connectionState === 'connected') this.status = 'call.state.connected';
    this.view.changed();
    if (this.peerPresent && this.pc) return;
    this.peerPresent = true;
    if (this.isOfferer) void this.offerUnlessFlowing();
  }

  /**
   * A peer back after a drop either reloaded (its peer connection is gone, a new offer is needed) or only lost its hub
   * connection (the media flowed peer to peer all along, and a new offer would only interrupt it). Media still arriving
   * a moment later tells the second case.
   */
  private async offerUnlessFlowing(): Promise<void> {
    const pc = this.pc;
    if (pc?.connectionState === 'connected') {
      const before = await this.bytesReceived(pc);
      await new Promise(resolve => setTimeout(resolve, mediaCheckMs));
      if (pc === this.pc && pc.connectionState === 'connected' && (await this.bytesReceived(pc)) > before) return;
    }
    if (pc === this.pc) await this.negotiate();
  }

  private async bytesReceived(pc: RTCPeerConnection): Promise<number> {
    let total = 0;
    (await pc.getStats()).forEach(report => { if (report.type === 'inbound-rtp') total += report.bytesReceived ?? 0; });
    return total;
  }

  private peerGone(status: MessageKey): void {
    this.peerPresent = false;
    this.peerTyping = false;
    this.setStatus(status);
  }

  async switchToAudioOnly(): Promise<void> {
    await this.invoke('SetCallMode', this.consultationId, 'audioOnly');
  }

  /** Mutes or unmutes: the track stays in the call but sends silence, and the other side is told. */
  async setMicrophone(on: boolean): Promise<void> {
    this.microphoneOn = on;
    this.local?.getAudioTracks().forEach(track => { track.enabled = on; });
    this.view.changed();
    await this.tellMediaState(true);
  }

  /** Camera off sends black frames on the same track, so turning it on again needs no renegotiation. */
  async setCamera(on: boolean): Promise<void> {
    this.cameraOn = on;
    this.local?.getVideoTracks().forEach(track => { track.enabled = on; });
    this.view.changed();
    await this.tellMediaState(true);
  }

  /** Our state to the other side: always after a change, otherwise only when it differs from the on/on they assume. */
  private async tellMediaState(always = false): Promise<void> {
    if (!always && this.microphoneOn && this.cameraOn) return;
    await this.invoke('SetMediaState', this.consultationId, this.microphoneOn, this.cameraOn && this.mode === 'video');
  }

  private peerMediaChanged(m: MediaStateMessage): void {
    const notices: MessageKey[] = [];
    if (m.microphone !== this.peerMedia.microphone) notices.push(m.microphone ? 'call.peerMicOn' : 'call.peerMicOff');
    if (m.camera !== this.peerMedia.camera) notices.push(m.camera ? 'call.peerCameraOn' : 'call.peerCameraOff');
    this.peerMedia = { microphone: m.microphone, camera: m.camera };
    if (notices.length > 0) this.notices = notices;
    this.view.changed();
  }

  /** A key pressed in the chat box: the other side sees "typing…" (told at most every few seconds). */
  typed(): void {
    if (this.typing.shouldSend(Date.now())) void this.hub.invoke('SendTyping', this.consultationId).catch(() => undefined);
  }

  private peerIsTyping(): void {
    this.peerTyping = true;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => { this.peerTyping = false; this.view.changed(); }, typingShownMs);
    this.view.changed();
  }

  /** Shown at once as "sending"; the server's reply makes it "sent", the other side's receipts "delivered" and "read". */
  async sendChat(text: string): Promise<void> {
    const id = crypto.randomUUID();
    this.chat.write(id, text);
    this.typing.reset();
    this.view.changed();
    try {
      await this.invoke('SendChat', this.consultationId, id, text);
      this.chat.mark(id, 'sent');
    } catch (error) {
      this.chat.mark(id, 'failed');
      throw error;
    } finally {
      this.view.changed();
    }
  }

  /** Their message: "delivered" at once, "read" once the page is in front of them (now, or when they come back to it). */
  private received(messageId: string, text: string): void {
    this.peerTyping = false;
    if (this.chat.receive(messageId, text)) this.view.changed();
    void this.hub.invoke('AcknowledgeChat', this.consultationId, messageId, false).catch(() => undefined);
    this.unread.add(messageId);
    this.acknowledgeUnread();
  }

  private acknowledgeUnread(): void {
    if (document.visibilityState !== 'visible') return;
    for (const messageId of this.unread) void this.hub.invoke('AcknowledgeChat', this.consultationId, messageId, true).catch(() => undefined);
    this.unread.clear();
  }

  async hangUp(): Promise<void> {
    await this.invoke('HangUp', this.consultationId);
    this.end('call.ended');
  }

  /** Stops the media and the timers here; the server is told by hangUp, or knows already (the connection closed). */
  end(status: MessageKey): void {
    clearInterval(this.statsTimer);
    clearTimeout(this.typingTimer);
    document.removeEventListener('visibilitychange', this.readWhenVisible);
    this.pc?.close();
    this.local?.getTracks().forEach(track => track.stop());
    this.quality = undefined;
    this.view.mediaState('none');
    this.setStatus(status);
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

  /** The network quality from the connected peer connection's statistics; the view changes only when the verdict does. */
  private async measure(): Promise<void> {
    const pc = this.pc;
    if (pc?.connectionState !== 'connected') return;
    const report = await pc.getStats();
    if (pc !== this.pc) return;
    const { sample, counters } = sampleFromStats(report.values() as Iterable<StatsEntry>, this.lossCounters);
    this.lossCounters = counters;
    const quality = classifyQuality(sample, this.mode);
    if (JSON.stringify(quality) === JSON.stringify(this.quality)) return;
    this.quality = quality;
    this.view.changed();
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
    this.lossCounters = undefined;
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
      this.view.mediaState(pc.connectionState);
      this.setStatus(`call.state.${pc.connectionState}`);
      if (pc.connectionState === 'connected') void this.hub.invoke('ReportConnected', this.consultationId);
      if (pc.connectionState === 'failed') void (this.isOfferer ? this.negotiate() : this.hub.invoke('RequestIceRestart', this.consultationId));
    };
    this.pc = pc;
    this.view.mediaState(pc.connectionState);
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
  private applyMode(mode: CallMode): void {
    this.mode = mode;
    if (mode === 'audioOnly') this.local?.getVideoTracks().forEach(track => track.stop());
    this.view.changed();
  }

  private setStatus(key: MessageKey): void {
    this.status = key;
    this.view.changed();
  }

  private async invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    return replyValue(await this.hub.invoke<HubReply<T>>(method, ...args), method);
  }
}
