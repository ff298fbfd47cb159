import type { HubConnection } from '@microsoft/signalr';
import { classifyQuality, sampleFromStats, type Quality, type StatsEntry } from './call-quality';
import { LinkAdapter, type VideoSending } from './link-adaptation';
import { ChatThread, TypingThrottle } from './chat';
import type { MediaState } from '../connection';
import type { MessageKey } from '../i18n';
import { isMainPeer, mainPeerRole, onPatientSide, type CandidateInit, type Participant, type Role } from './negotiation';
import { allOn, PeerLink, type LinkContext, type PeerMedia } from './peer-link';
import { replyValue, type HubReply } from '../server-errors';
import { SharedFiles, type SharedFile } from './shared-files';

interface SdpMessage { consultationId: string; from: string; to: string; type: string; sdp: string; negotiation: number }
interface CandidateMessage extends CandidateInit { consultationId: string; from: string; to: string }
interface PeerSignal { consultationId: string; from: string }
interface RoomPeer { consultationId: string; accountId: string; role: Role }
interface RoomState { present: RoomPeer[]; rejoined: boolean; mode: 'video' | 'audioOnly' }
interface MediaStateMessage { consultationId: string; from: string; microphone: boolean; camera: boolean }
interface VideoPausedMessage { consultationId: string; from: string; paused: boolean }
interface ChatReceipt { consultationId: string; messageId: string; kind: 'delivered' | 'read' }

export type { Role };
export type CallMode = 'video' | 'audioOnly';

/** What the call screen shows; call-view.ts renders it after every change. */
export interface CallView {
  changed(): void;
  /** The main peer connection's state, for the reconnecting banner. */
  mediaState(state: MediaState): void;
  /** The small video tile of a participant other than the main peer (made on first use), saying what they have turned off. */
  tile(accountId: string, role: Role, media: PeerMedia): HTMLVideoElement;
  /** They left the call: their tile goes. */
  removeTile(accountId: string): void;
  /** This call is over here (hung up, or the connection is gone for good). */
  ended(): void;
}

// Their typing shows for this long after the last signal (they send one at most every 3 s while typing).
const typingShownMs = 5000;
const statsEveryMs = 2000;

/**
 * One participant's side of a consultation call: a mesh, with one peer connection ("link", peer-link.ts) to every other
 * participant present — doctor, patient and an invited interpreter make three. In each pair one side always makes the
 * offers (offersTo), so the two never offer at once; when a peer (re)joins, the offerer starts a fresh peer connection
 * and offers — which is also how a reloaded page gets its call back. The doctor↔patient link (for staff, the link to the
 * doctor) is the main one: the large video, the status.
 */
export class Call {
  local?: MediaStream;
  mode: CallMode = 'video';
  /** Kept as message keys, so a language switch can render them again. */
  status: MessageKey = 'call.connecting';
  microphoneOn = true;
  cameraOn = true;
  /** The notices from the main peer's last media change ("the doctor muted their microphone"), told of its role. */
  notices: MessageKey[] = [];
  /** Who is typing in the chat, if anyone. */
  peerTyping?: Role;
  quality?: Quality;
  /** Our video as the link carries it: paused by itself on a weak link, tried again, back to full (link-adaptation.ts). */
  readonly video = new LinkAdapter();
  readonly chat = new ChatThread();
  readonly files = new SharedFiles();
  /** The screen we send instead of the camera (with our microphone), while we share it. */
  private screen?: MediaStream;
  private readonly links = new Map<string, PeerLink>();
  private readonly typing = new TypingThrottle();
  private typingTimer?: ReturnType<typeof setTimeout>;
  private statsTimer?: ReturnType<typeof setInterval>;
  private readonly unread = new Set<string>();
  private readonly readWhenVisible = () => this.acknowledgeUnread();
  private readonly linkContext: LinkContext;

  constructor(
    private readonly hub: HubConnection,
    readonly consultationId: string,
    private readonly me: Participant,
    iceServers: RTCIceServer[],
    relayOnly: boolean,
    private readonly elements: { local: HTMLVideoElement; remote: HTMLVideoElement },
    private readonly view: CallView,
  ) {
    this.linkContext = {
      hub,
      consultationId,
      me,
      configuration: { iceServers, iceTransportPolicy: relayOnly ? 'relay' : 'all' },
      local: () => this.screen ?? this.local!,
      streamArrived: link => this.show(link),
      stateChanged: (link, state) => this.linkStateChanged(link, state),
    };
  }

  get role(): Role {
    return this.me.role;
  }

  get peerRole(): Role {
    return mainPeerRole(this.role);
  }

  /** Whether the main peer's video paused by itself on a weak link. */
  get peerVideoPaused(): boolean {
    return this.mainLink()?.videoPaused ?? false;
  }

  /** What the main peer last told of its microphone and camera. */
  get peerMedia(): PeerMedia {
    return this.mainLink()?.media ?? allOn();
  }

  /** The main link's peer connection (the browser tests and the banner follow it). */
  get pc(): RTCPeerConnection | undefined {
    return this.mainLink()?.pc;
  }

  async start(): Promise<void> {
    this.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    this.elements.local.srcObject = this.local;
    this.hub.on('Offer', (m: SdpMessage) => this.matches(m) && void this.linkFor(m.from).answer(m.sdp, m.negotiation));
    this.hub.on('Answer', (m: SdpMessage) => this.matches(m) && void this.links.get(m.from)?.accept(m.sdp, m.negotiation));
    this.hub.on('IceCandidate', (m: CandidateMessage) => this.matches(m) && void this.linkFor(m.from).addCandidate(m));
    this.hub.on('PeerJoined', (m: RoomPeer) => this.matches(m) && this.peerJoined(m));
    this.hub.on('IceRestartRequested', (m: PeerSignal) => this.matches(m) && this.restartRequested(m.from));
    this.hub.on('PeerDisconnected', (m: RoomPeer) => this.matches(m) && this.peerGone(m, 'call.peerDisconnected'));
    this.hub.on('PeerLeft', (m: RoomPeer) => this.matches(m) && this.peerGone(m, 'call.peerLeft'));
    this.hub.on('CallModeChanged', (m: { consultationId: string; mode: CallMode }) => this.matches(m) && this.applyMode(m.mode));
    this.hub.on('PeerMediaState', (m: MediaStateMessage) => this.matches(m) && this.peerMediaChanged(m));
    this.hub.on('PeerVideoPaused', (m: VideoPausedMessage) => this.matches(m) && this.peerPausedVideo(m));
    this.hub.on('PeerTyping', (m: PeerSignal) => this.matches(m) && this.peerIsTyping(m.from));
    this.hub.on('ChatMessage', (m: { consultationId: string; messageId: string; from: string; text: string }) => this.matches(m) && this.received(m));
    this.hub.on('FileShared', (m: SharedFile) => this.matches(m) && this.files.add(m) && this.view.changed());
    this.hub.on('ChatReceipt', (m: ChatReceipt) => this.matches(m) && this.chat.mark(m.messageId, m.kind) && this.view.changed());
    document.addEventListener('visibilitychange', this.readWhenVisible);
    this.statsTimer = setInterval(() => void this.measure(), statsEveryMs);

    const room = await this.invoke<RoomState>('JoinRoom', this.consultationId);
    this.applyMode(room.mode);
    // Others may have joined (and a PeerJoined started a negotiation) while this reply was on its way: peerJoined
    // starts nothing twice.
    for (const peer of room.present) this.peerJoined(peer);
    this.view.mediaState(this.pc?.connectionState ?? 'new');
  }

  /**
   * The hub connection came back (a new connection, so no longer in the room's groups): join again. The media may have
   * flowed peer to peer all along; an offerer offers anew only on a link where it did not.
   */
  async rejoin(): Promise<void> {
    const room = await this.invoke<RoomState>('JoinRoom', this.consultationId);
    this.applyMode(room.mode);
    const others = room.present.filter(peer => peer.accountId !== this.me.accountId);
    if (others.length > 0) void this.tellMediaState();
    for (const peer of others) {
      const link = this.linkFor(peer.accountId, peer.role);
      link.present = true;
      if (link.offers && link.pc?.connectionState !== 'connected') await link.negotiate();
    }
  }

  /**
   * The server may tell of one arrival twice — in the JoinRoom reply and as a PeerJoined, when both joined at once —
   * and a second offer would tear down a link that just connected. A peer is new only after it was gone.
   */
  private peerJoined(peer: RoomPeer): void {
    if (peer.accountId === this.me.accountId) return;
    const link = this.linkFor(peer.accountId, peer.role);
    const arrived = !link.present;
    // Told twice, what they said since then stands.
    if (arrived) link.media = allOn();
    if (this.isMain(link)) {
      if (arrived) this.notices = [];
      // Back while the media kept flowing: no renegotiation will say so, the "lost connection" notice must go now.
      if (link.pc?.connectionState === 'connected') this.status = 'call.state.connected';
      this.view.changed();
    } else if (arrived) {
      this.show(link);
    }
    // They hear our microphone and camera state again.
    void this.tellMediaState();
    if (!arrived && link.pc) return;
    link.present = true;
    if (link.offers) void link.offerUnlessFlowing();
  }

  /** The main peer may come back and is waited for; anyone else who left for good takes their link and tile along. */
  private peerGone(peer: RoomPeer, status: MessageKey): void {
    const link = this.links.get(peer.accountId);
    if (!link) return;
    link.present = false;
    if (this.peerTyping === peer.role) this.peerTyping = undefined;
    if (this.isMain(link)) {
      this.setStatus(status);
    } else if (status === 'call.peerLeft') {
      link.close();
      this.links.delete(link.accountId);
      this.view.removeTile(link.accountId);
    }
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

  get sharingScreen(): boolean {
    return this.screen !== undefined;
  }

  /**
   * Sends the screen instead of the camera on every link: the video sender's track is replaced, so nothing is
   * renegotiated and the others' video simply shows the screen. Links opened meanwhile start with it (local()).
   */
  async shareScreen(): Promise<void> {
    if (this.screen || !this.local) return;
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = display.getVideoTracks()[0];
    // The browser's own "stop sharing" ends the track: back to the camera, as with our button.
    track.addEventListener('ended', () => void this.stopScreen());
    this.screen = new MediaStream([...this.local.getAudioTracks(), track]);
    await this.sendVideo(track);
    this.elements.local.srcObject = this.screen;
    this.view.changed();
    await this.tellMediaState(true);
  }

  /** Back to the camera (as it was: off stays off). */
  async stopScreen(): Promise<void> {
    const screen = this.screen;
    if (!screen) return;
    this.screen = undefined;
    await this.sendVideo(this.local?.getVideoTracks()[0] ?? null);
    screen.getVideoTracks().forEach(track => track.stop());
    this.elements.local.srcObject = this.local ?? null;
    this.view.changed();
    if (this.mode === 'video') await this.tellMediaState(true);
  }

  private async sendVideo(track: MediaStreamTrack | null): Promise<void> {
    for (const link of this.links.values()) {
      const video = link.pc?.getTransceivers().find(transceiver => transceiver.receiver.track.kind === 'video');
      await video?.sender.replaceTrack(track);
    }
  }

  /**
   * Our state to the other side: always after a change, otherwise only when it differs from the on/on they assume.
   * The patient's side always tells: the server records the patient's camera as TPG 2020's proof of a video consultation.
   */
  private async tellMediaState(always = false): Promise<void> {
    const patientSide = this.me.role === 'patient' || this.me.role === 'healthWorker';
    if (!always && !patientSide && this.microphoneOn && this.cameraOn) return;
    await this.invoke('SetMediaState', this.consultationId, this.microphoneOn, (this.cameraOn || this.sharingScreen) && this.mode === 'video');
  }

  /** The main peer's changes make notices; the others' show on their tiles. */
  private peerMediaChanged(m: MediaStateMessage): void {
    const link = this.links.get(m.from);
    if (!link) return;
    const before = link.media;
    link.media = { microphone: m.microphone, camera: m.camera };
    if (!this.isMain(link)) {
      this.show(link);
      return;
    }
    const notices: MessageKey[] = [];
    if (m.microphone !== before.microphone) notices.push(m.microphone ? 'call.peerMicOn' : 'call.peerMicOff');
    if (m.camera !== before.camera) notices.push(m.camera ? 'call.peerCameraOn' : 'call.peerCameraOff');
    if (notices.length > 0) this.notices = notices;
    this.view.changed();
  }

  /** A key pressed in the chat box: the other side sees "typing…" (told at most every few seconds). */
  typed(): void {
    if (this.typing.shouldSend(Date.now())) void this.hub.invoke('SendTyping', this.consultationId).catch(() => undefined);
  }

  private peerIsTyping(from: string): void {
    const role = this.links.get(from)?.role;
    if (!role) return;
    this.peerTyping = role;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => { this.peerTyping = undefined; this.view.changed(); }, typingShownMs);
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
  private received({ messageId, from, text }: { messageId: string; from: string; text: string }): void {
    this.peerTyping = undefined;
    if (this.chat.receive(messageId, text, this.links.get(from)?.role)) this.view.changed();
    void this.hub.invoke('AcknowledgeChat', this.consultationId, messageId, false).catch(() => undefined);
    this.unread.add(messageId);
    this.acknowledgeUnread();
  }

  private acknowledgeUnread(): void {
    if (document.visibilityState !== 'visible') return;
    for (const messageId of this.unread) void this.hub.invoke('AcknowledgeChat', this.consultationId, messageId, true).catch(() => undefined);
    this.unread.clear();
  }

  /** Fresh TURN credentials: for the peer connections opened from now on, and for the relays of the open ones. */
  useIceServers(iceServers: RTCIceServer[]): void {
    this.linkContext.configuration = { ...this.linkContext.configuration, iceServers };
    for (const link of this.links.values()) {
      if (link.pc && link.pc.signalingState !== 'closed') link.pc.setConfiguration(this.linkContext.configuration);
    }
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
    for (const link of this.links.values()) link.close();
    this.screen?.getVideoTracks().forEach(track => track.stop());
    this.screen = undefined;
    this.local?.getTracks().forEach(track => track.stop());
    this.quality = undefined;
    this.view.mediaState('none');
    this.setStatus(status);
    this.view.ended();
  }

  /** Frames decoded from one participant's video so far (rises while video flows); the main peer's by default. */
  async framesDecoded(accountId?: string): Promise<number> {
    return this.inbound(accountId, 'video', 'framesDecoded');
  }

  /** Audio packets received from one participant so far (rises while audio flows); the main peer's by default. */
  async audioPacketsReceived(accountId?: string): Promise<number> {
    return this.inbound(accountId, 'audio', 'packetsReceived');
  }

  /** The peer connections to everyone else present, by account id (the browser tests follow each). */
  connections(): Map<string, RTCPeerConnection> {
    return new Map([...this.links.values()].filter(link => link.pc).map(link => [link.accountId, link.pc!]));
  }

  private async inbound(accountId: string | undefined, kind: string, field: string): Promise<number> {
    const pc = accountId === undefined ? this.pc : this.links.get(accountId)?.pc;
    let total = 0;
    (await pc?.getStats())?.forEach(report => {
      if (report.type === 'inbound-rtp' && report.kind === kind) total += report[field] ?? 0;
    });
    return total;
  }

  /** The network quality from the main link's statistics; the view changes only when the verdict does. */
  private async measure(): Promise<void> {
    const link = this.mainLink();
    const pc = link?.pc;
    if (!link || pc?.connectionState !== 'connected') return;
    const report = await pc.getStats();
    if (pc !== link.pc) return;
    const { sample, counters } = sampleFromStats(report.values() as Iterable<StatsEntry>, link.lossCounters);
    link.lossCounters = counters;
    const sending = this.mode === 'video' ? this.video.next(sample, Date.now()) : undefined;
    if (sending) await this.adaptVideo(sending);
    const quality = classifyQuality(sample, this.mode);
    if (JSON.stringify(quality) === JSON.stringify(this.quality)) return;
    this.quality = quality;
    this.view.changed();
  }

  /** Every link sends video as the main link's figures allow (the same camera and uplink serve them all); the others hear of a pause and its end. */
  private async adaptVideo(sending: VideoSending): Promise<void> {
    await Promise.all([...this.links.values()].map(link => link.sendVideo(sending)));
    this.view.changed();
    if (sending.level !== 'trial') await this.hub.invoke('SetVideoPaused', this.consultationId, sending.level === 'paused').catch(() => undefined);
  }

  private peerPausedVideo(m: VideoPausedMessage): void {
    const link = this.links.get(m.from);
    if (!link) return;
    link.videoPaused = m.paused;
    this.view.changed();
  }

  private matches(message: { consultationId: string }): boolean {
    return message.consultationId === this.consultationId;
  }

  private mainLink(): PeerLink | undefined {
    for (const link of this.links.values()) if (this.isMain(link)) return link;
    return undefined;
  }

  private isMain(link: PeerLink): boolean {
    return isMainPeer(this.role, link.role);
  }

  /** The link to this participant, made on first mention; its role is filled in as soon as someone names it. */
  private linkFor(accountId: string, role?: Role): PeerLink {
    let link = this.links.get(accountId);
    if (!link) {
      link = new PeerLink(accountId, this.linkContext);
      this.links.set(accountId, link);
    }
    if (role && !link.role) {
      link.role = role;
      this.show(link);
      if (this.isMain(link) && link.pc) this.linkStateChanged(link, link.pc.connectionState);
    }
    return link;
  }

  /** Their media in the main video or in their tile, once both the media and who they are are known. */
  private show(link: PeerLink): void {
    if (!link.stream || !link.role) return;
    const video = this.isMain(link) ? this.elements.remote : this.view.tile(link.accountId, link.role, link.media);
    if (video.srcObject !== link.stream) video.srcObject = link.stream;
  }

  /** The main link's state is the call's (status line, banner); the doctor↔patient link connecting is recorded. */
  private linkStateChanged(link: PeerLink, state: RTCPeerConnectionState): void {
    // A link negotiated afresh starts at full video: it sends what the others send.
    if (state === 'connected' && this.video.current.level !== 'full') void link.sendVideo(this.video.current);
    if (!this.isMain(link)) return;
    this.view.mediaState(state);
    this.setStatus(`call.state.${state}`);
    if (state === 'connected' && (this.role === 'doctor' || onPatientSide(this.role))) void this.hub.invoke('ReportConnected', this.consultationId);
  }

  private restartRequested(from: string): void {
    const link = this.links.get(from);
    if (link?.offers) void link.negotiate();
  }

  /** Audio only: the camera is switched off (its track stops, on every link) and the microphone carries on. */
  private applyMode(mode: CallMode): void {
    this.mode = mode;
    if (mode === 'audioOnly') {
      void this.stopScreen();
      this.local?.getVideoTracks().forEach(track => track.stop());
    }
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
