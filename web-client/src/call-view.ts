import { $, api, hub } from './app';
import { Call } from './call';
import { t } from './i18n';
import { toRtcIceServers, type ServerIceServer } from './negotiation';

const relayOnly = new URLSearchParams(location.search).get('relay') === '1';
let call: Call | undefined;

// The browser tests read the live call from here.
(window as unknown as { telemed: { call?: Call } }).telemed = {
  get call() { return call; },
};

export function inCall(): boolean {
  return call !== undefined;
}

/** Opens the call screen for a consultation and joins its room; the doctor makes the offers. */
export async function joinCall(consultationId: string, isOfferer: boolean) {
  $('call').hidden = false;
  $('call-status').textContent = t('call.connecting');
  const servers = await api.get<{ servers: ServerIceServer[] }>(`/api/consultations/${consultationId}/ice-servers`);
  call = new Call(hub(), consultationId, isOfferer, toRtcIceServers(servers.servers), relayOnly, {
    local: $<HTMLVideoElement>('local'), remote: $<HTMLVideoElement>('remote'), status: $('call-status'), chatLog: $('chat-log'),
  });
  await call.start();
  $('audio-only').onclick = () => void call!.switchToAudioOnly();
  $('hangup').onclick = () => void call!.hangUp();
  $('chat-send').onclick = () => {
    const input = $<HTMLInputElement>('chat-text');
    if (input.value.trim()) void call!.sendChat(input.value.trim()).then(() => { input.value = ''; });
  };
}

export async function hangUp() {
  await call?.hangUp();
}
