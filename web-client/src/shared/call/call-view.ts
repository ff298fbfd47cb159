import { $, api, failSafely, hub, hubEvents, reportMediaState } from '../app';
import { Call, type Role } from './call';
import type { PeerMedia } from './peer-link';
import { onLanguageChange, t } from '../i18n';
import { iceServerRenewalMs, onPatientSide, toRtcIceServers, type ServerIceServers } from './negotiation';
import { showGuestInvitation } from './guest-invitation';
import { stopPreCallCheck } from './precheck';
import { showDeviceReadings } from '../devices/device-panel';
import { kilobytes, shareableTypes, type SharedFile } from './shared-files';

const relayOnly = new URLSearchParams(location.search).get('relay') === '1';
let call: Call | undefined;
let renewal: ReturnType<typeof setTimeout> | undefined;

// The browser tests read the live call from here.
(window as unknown as { telemed: { call?: Call } }).telemed = {
  get call() { return call; },
};

export function inCall(): boolean {
  return call !== undefined;
}

/**
 * Opens the call screen for a consultation and joins its room. Invited staff chat from their room panel, where messages
 * carry names, so the call screen's chat is not theirs; that panel hears of the call's end however it came.
 */
export async function joinCall(consultationId: string, role: Role, ended: () => void = () => undefined) {
  stopPreCallCheck();
  $('call').hidden = false;
  $('chat').hidden = role === 'staff';
  $('chat-log').replaceChildren();
  $('call-assisted').textContent = '';
  $('call-tiles').replaceChildren();
  $('call-tiles').hidden = true;
  $('call-file-list').replaceChildren();
  $('call-file-status').textContent = '';
  // Showing another screen is the doctor's: a patient's screen holds their own messages and accounts.
  $('call-screen').hidden = role !== 'doctor';
  // A guest is in the call and its chat only: the files and readings are the patient's record.
  $('call-files').hidden = role === 'guest';
  $('devices').hidden = role === 'guest';
  showGuestInvitation(consultationId, onPatientSide(role));
  const servers = await api.get<ServerIceServers>(`/api/consultations/${consultationId}/ice-servers`);
  const stopRenewing = () => clearTimeout(renewal);
  call = new Call(hub('consultation'), consultationId, { accountId: api.tokens!.accountId, role }, toRtcIceServers(servers.servers), relayOnly,
    { local: $<HTMLVideoElement>('local'), remote: $<HTMLVideoElement>('remote') },
    { changed: render, mediaState: reportMediaState, tile, removeTile, ended: () => { stopRenewing(); ended(); } });
  renewIceServers(call, consultationId, servers.expiresAt);
  render();
  await call.start();
  if (role !== 'guest') await Promise.all([showDeviceReadings(consultationId), showSharedFiles(call, consultationId)]);
}

/**
 * TURN credentials live minutes, a call may last longer: fetch fresh ones before they expire, for the connections the
 * call opens or restarts later. Once the consultation is over the server gives none, and renewing stops.
 */
function renewIceServers(current: Call, consultationId: string, expiresAt: string | null | undefined) {
  clearTimeout(renewal);
  if (!expiresAt) return;
  renewal = setTimeout(() => {
    if (call !== current) return;
    api.get<ServerIceServers>(`/api/consultations/${consultationId}/ice-servers`).then(servers => {
      current.useIceServers(toRtcIceServers(servers.servers));
      renewIceServers(current, consultationId, servers.expiresAt);
    }, () => undefined);
  }, iceServerRenewalMs(expiresAt, Date.now()));
}

/**
 * A participant besides the main peer (an interpreter, or the patient for staff) gets a small video tile, captioned with
 * who they are and what they have turned off.
 */
function tile(accountId: string, role: Role, media: PeerMedia): HTMLVideoElement {
  let figure = $('call-tiles').querySelector<HTMLElement>(`figure[data-peer="${accountId}"]`);
  if (!figure) {
    figure = Object.assign(document.createElement('figure'), { className: 'call-tile' });
    const video = Object.assign(document.createElement('video'), { autoplay: true, playsInline: true });
    video.dataset.peer = accountId;
    figure.dataset.peer = accountId;
    figure.append(video, document.createElement('figcaption'));
    $('call-tiles').append(figure);
    $('call-tiles').hidden = false;
  }
  Object.assign(figure.dataset, { role, microphone: String(media.microphone), camera: String(media.camera) });
  labelTile(figure);
  return figure.querySelector('video')!;
}

function labelTile(figure: HTMLElement) {
  const video = figure.querySelector('video')!;
  const who = t(`call.who.${figure.dataset.role as Role}`);
  video.setAttribute('aria-label', who);
  video.dataset.microphone = figure.dataset.microphone;
  video.dataset.camera = figure.dataset.camera;
  const off = [figure.dataset.microphone === 'false' && t('call.tileMicOff'), figure.dataset.camera === 'false' && t('call.tileCameraOff')];
  figure.querySelector('figcaption')!.textContent = [who, ...off.filter(Boolean)].join(' · ');
}

function removeTile(accountId: string) {
  $('call-tiles').querySelector(`figure[data-peer="${accountId}"]`)?.remove();
  $('call-tiles').hidden = $('call-tiles').childElementCount === 0;
}

/** What was shared before this page joined (or before a reload); later files arrive as FileShared. */
async function showSharedFiles(current: Call, consultationId: string) {
  const files = await api.get<SharedFile[]>(`/api/consultations/${consultationId}/files`);
  for (const file of files) current.files.add(file);
  render();
}

/** Uploads the picked file; the server checks it (type, size, photo metadata) and tells everyone in the room. */
async function shareFile(input: HTMLInputElement) {
  const file = input.files?.[0];
  const current = call;
  if (!file || !current) return;
  const form = new FormData();
  form.append('file', file, file.name);
  $('call-file-status').textContent = t('call.fileSending', { name: file.name });
  try {
    const shared = await api.post<SharedFile>(`/api/consultations/${current.consultationId}/files`, form);
    current.files.add(shared);
    $('call-file-status').textContent = t('call.fileShared', { name: shared.fileName });
    render();
  } catch (error) {
    $('call-file-status').textContent = '';
    throw error;
  } finally {
    input.value = '';
  }
}

export async function hangUp() {
  await call?.hangUp();
}

// The controls act on whichever call is open; they are wired once, not once per call.
const toggle = (id: string, apply: (pressed: boolean) => Promise<void>) => $(id).addEventListener('click', () => {
  const pressed = $(id).getAttribute('aria-pressed') !== 'true';
  void failSafely(() => apply(pressed));
});
toggle('call-mute', muted => call?.setMicrophone(!muted) ?? Promise.resolve());
toggle('call-camera', off => call?.setCamera(!off) ?? Promise.resolve());
toggle('call-screen', sharing => (sharing ? call?.shareScreen() : call?.stopScreen()) ?? Promise.resolve());
$<HTMLInputElement>('call-file').accept = shareableTypes;
$('call-file').addEventListener('change', () => void failSafely(() => shareFile($<HTMLInputElement>('call-file'))));
$('audio-only').addEventListener('click', () => void failSafely(async () => call?.switchToAudioOnly()));
$('hangup').addEventListener('click', () => void failSafely(async () => call?.hangUp()));
$('chat-text').addEventListener('input', () => call?.typed());
$('chat-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = $<HTMLInputElement>('chat-text');
  const text = input.value.trim();
  if (!text || !call) return;
  input.value = '';
  void failSafely(() => call!.sendChat(text));
});

// A new hub connection is not in the room: join again. A connection gone for good ends the call here.
hubEvents.consultation.addEventListener('reconnected', () => void failSafely(async () => call?.rejoin()));
hubEvents.consultation.addEventListener('closed', () => {
  clearTimeout(renewal);
  call?.end('call.ended');
  call = undefined;
});

onLanguageChange(render);

/** Everything the call screen shows, from the call's state (again after a language switch). */
function render() {
  if (!call) return;
  const who = t(`call.who.${call.peerRole}`);
  $('call-status').textContent = call.mode === 'audioOnly' ? `${t(call.status)} · ${t('call.audioOnlyMode')}` : t(call.status);
  const weakLink = [call.video.current.level === 'paused' && t('call.weakLink.mine'), call.peerVideoPaused && t('call.weakLink.theirs', { who })];
  $('call-notice').textContent = [...call.notices.map(key => t(key, { who })), ...weakLink.filter(Boolean)].join(' ');
  $('local').dataset.sending = call.video.current.level;
  $('remote').dataset.paused = String(call.peerVideoPaused);
  $('chat-typing').textContent = call.peerTyping ? t('call.typing', { who: t(`call.who.${call.peerTyping}`) }) : '';
  $('call-mute').setAttribute('aria-pressed', String(!call.microphoneOn));
  $('call-camera').setAttribute('aria-pressed', String(!call.cameraOn || call.mode === 'audioOnly'));
  $<HTMLButtonElement>('call-camera').disabled = call.mode === 'audioOnly';
  $<HTMLButtonElement>('audio-only').disabled = call.mode === 'audioOnly';
  $('call-screen').setAttribute('aria-pressed', String(call.sharingScreen));
  $<HTMLButtonElement>('call-screen').disabled = call.mode === 'audioOnly';
  $('remote').dataset.camera = String(call.peerMedia.camera);
  for (const figure of $('call-tiles').querySelectorAll<HTMLElement>('figure')) labelTile(figure);
  renderQuality(call);
  renderChat(call);
  renderFiles(call);
}

/** One button per shared file, saying who shared it; new ones are appended, so the list (a live region) announces only them. */
function renderFiles(call: Call) {
  const list = $('call-file-list');
  for (const file of call.files.entries) {
    let button = list.querySelector<HTMLButtonElement>(`button[data-file="${file.id}"]`);
    if (!button) {
      button = Object.assign(document.createElement('button'), { type: 'button', className: 'attachment' });
      button.dataset.file = file.id;
      button.dataset.icon = 'download';
      button.addEventListener('click', () => void failSafely(() =>
        api.download(`/api/consultations/${file.consultationId}/files/${file.id}`, file.fileName)));
      const item = document.createElement('li');
      item.append(button);
      list.append(item);
    }
    const from = file.sharedBy === api.tokens?.accountId ? t('call.fileFromYou') : t(`call.who.${file.role ?? 'staff'}`);
    button.textContent = t('call.fileEntry', { name: file.fileName, size: kilobytes(file.size), from });
  }
}

function renderQuality(call: Call) {
  const element = $('call-quality');
  const quality = call.quality;
  element.dataset.level = quality?.level ?? '';
  if (!quality) {
    element.textContent = t('call.quality.measuring');
    return;
  }
  const reasons = quality.reasons.map(reason => t(`call.quality.reason.${reason}`));
  element.textContent = [t(`call.quality.${quality.level}`), reasons.join(', ')].filter(Boolean).join(' — ')
    + (quality.level === 'poor' ? ` ${t('call.quality.advice')}` : '');
}

/** Updated in place, so the log (a live region) announces new messages only, not the whole thread at every receipt. */
function renderChat(call: Call) {
  const log = $('chat-log');
  for (const entry of call.chat.entries) {
    let item = log.querySelector<HTMLLIElement>(`li[data-message="${entry.id}"]`);
    if (!item) {
      item = document.createElement('li');
      item.dataset.message = entry.id;
      item.append(document.createElement('span'), ' ', Object.assign(document.createElement('span'), { className: 'chat-status' }));
      log.append(item);
    }
    const [text, , status] = item.childNodes as NodeListOf<HTMLElement>;
    text.textContent = t(entry.mine ? 'call.you' : entry.from ? `call.chatFrom.${entry.from}` : 'call.them', { text: entry.text });
    status.textContent = entry.status ? t(`call.chatStatus.${entry.status}`) : '';
    if (entry.status) item.dataset.status = entry.status;
  }
}
