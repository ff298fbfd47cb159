import type { Api } from '../api';
import { t, type MessageKey } from '../i18n';
import { toRtcIceServers, type ServerIceServers } from './negotiation';

export type NetworkPath = 'none' | 'direct' | 'relay';
export type PreCallVerdict = 'ready' | 'audioOnly' | 'cannotJoin';

/** The best path ICE found: a relay candidate means the call gets through any firewall that allows TURN. */
export function networkPathOf(candidateTypes: string[]): NetworkPath {
  if (candidateTypes.includes('relay')) return 'relay';
  return candidateTypes.some(t => t === 'host' || t === 'srflx' || t === 'prflx') ? 'direct' : 'none';
}

/**
 * The microphone meter's level, 0 to 1, from one window of samples: loudness in decibels, so quiet speech still moves
 * the bar (-60 dBFS, a silent room, is empty; 0 dBFS is full).
 */
export function levelOf(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  if (rms === 0) return 0;
  return Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60));
}

/** Above this (-57 dBFS, just over a quiet room's hiss) the microphone heard something. */
export const heardLevel = 0.05;

/**
 * The advice in words for the patient: the server records the test and decides the verdict (PreCallCheck.Assess),
 * the page says what it means in the patient's language, for the same reasons in the same order.
 */
export function precheckAdvice(camera: boolean, microphone: boolean, network: NetworkPath): MessageKey {
  if (!microphone) return 'precheck.advice.noMicrophone';
  if (network === 'none') return 'precheck.advice.noNetwork';
  if (!camera) return 'precheck.advice.noCamera';
  return network === 'direct' ? 'precheck.advice.direct' : 'precheck.advice.relay';
}

export type SpeedLevel = 'good' | 'fair' | 'slow';

/**
 * The download speed, in megabits a second, from one timed download, and what it means for a call: a video call needs
 * about 1.5 Mbit/s each way to look good, and below half a megabit only the voice gets through well.
 */
export function speedOf(bytes: number, milliseconds: number): { mbps: number; level: SpeedLevel } {
  const mbps = (bytes * 8) / (Math.max(1, milliseconds) * 1000);
  return { mbps, level: mbps >= 1.5 ? 'good' : mbps >= 0.5 ? 'fair' : 'slow' };
}

/** "About 2.4", "About 0.3": one decimal below 10 (never "0.0"), whole numbers above, as people say it. */
export function roundedMbps(mbps: number): string {
  return mbps >= 10 ? String(Math.round(mbps)) : Math.max(0.1, Math.round(mbps * 10) / 10).toFixed(1);
}

/** Times the download of the server's fixed-size sample (marked no-store, so no cache answers for the network). */
export async function measureSpeed(api: Api): Promise<string> {
  const started = performance.now();
  const bytes = (await api.bytes('/api/precall/speed-sample')).byteLength;
  const speed = speedOf(bytes, performance.now() - started);
  element('precheck-speed').dataset.level = speed.level;
  return t(`precheck.speed.${speed.level}`, { mbps: roundedMbps(speed.mbps) });
}

// A tone in the middle of what phone speakers play well, long enough to notice, soft enough not to startle.
const toneHz = 440;
const toneSeconds = 1.5;

/** Plays the test tone on the speakers (or headphones) the call will use; the patient says whether they heard it. */
export async function playTestTone(): Promise<void> {
  const context = new AudioContext();
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.frequency.value = toneHz;
  gain.gain.value = 0.2;
  oscillator.connect(gain).connect(context.destination);
  oscillator.start();
  oscillator.stop(context.currentTime + toneSeconds);
  await new Promise(resolve => { oscillator.onended = resolve; });
  await context.close();
}

const verdicts: Record<PreCallVerdict, MessageKey> = {
  ready: 'precheck.verdict.ready',
  audioOnly: 'precheck.verdict.audioOnly',
  cannotJoin: 'precheck.verdict.cannotJoin',
};

// How long the meter listens before the microphone is judged; the preview and meter carry on until stopped.
const listenMs = 3000;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The camera preview and the microphone meter: one stream for both (one permission prompt), or each device alone
 * when one of them is missing, so a patient without a camera still learns that the microphone works.
 */
class DeviceTest {
  private readonly stream = new MediaStream();
  private context?: AudioContext;
  private meterTimer?: ReturnType<typeof setInterval>;
  private loudest = 0;

  async open(): Promise<void> {
    const tracks = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
      .then(stream => stream.getTracks())
      .catch(async () => (await Promise.all([this.only({ video: true }), this.only({ audio: true })])).flat());
    tracks.forEach(track => this.stream.addTrack(track));
    element('precheck-devices').hidden = false;
    element<HTMLVideoElement>('precheck-preview').srcObject = this.stream;
    if (this.stream.getAudioTracks().length > 0) this.listen();
  }

  private async only(constraints: MediaStreamConstraints): Promise<MediaStreamTrack[]> {
    return navigator.mediaDevices.getUserMedia(constraints).then(stream => stream.getTracks(), () => []);
  }

  private listen(): void {
    this.context = new AudioContext();
    const analyser = this.context.createAnalyser();
    this.context.createMediaStreamSource(this.stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const meter = element<HTMLMeterElement>('precheck-level');
    // Read as often as the analyser's window is long (2048 samples, about 43 ms), so a short sound is not missed; the bar
    // falls back slowly, as a VU meter does, so that a syllable is seen and not just a flicker.
    const everyMs = Math.floor((1000 * analyser.fftSize) / this.context.sampleRate);
    this.meterTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      const level = levelOf(samples);
      this.loudest = Math.max(this.loudest, level);
      meter.value = Math.max(level, meter.value * 0.8);
    }, everyMs);
  }

  /** Listens for a while, then tells whether the camera shows a picture and the microphone heard anything. */
  async judge(): Promise<{ camera: boolean; microphone: boolean }> {
    await new Promise(resolve => setTimeout(resolve, listenMs));
    const preview = element<HTMLVideoElement>('precheck-preview');
    const camera = this.stream.getVideoTracks().some(track => track.readyState === 'live') && preview.videoWidth > 0;
    return { camera, microphone: this.loudest > heardLevel };
  }

  close(): void {
    clearInterval(this.meterTimer);
    this.stream.getTracks().forEach(track => track.stop());
    void this.context?.close();
    element<HTMLVideoElement>('precheck-preview').srcObject = null;
    element<HTMLMeterElement>('precheck-level').value = 0;
    element('precheck-devices').hidden = true;
  }
}

async function network(iceServers: RTCIceServer[]): Promise<NetworkPath> {
  const pc = new RTCPeerConnection({ iceServers });
  const types: string[] = [];
  pc.onicecandidate = e => { if (e.candidate?.type) types.push(e.candidate.type); };
  pc.createDataChannel('probe');
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise<void>(resolve => {
    const timeout = setTimeout(resolve, 4000);
    pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') { clearTimeout(timeout); resolve(); } };
  });
  pc.close();
  return networkPathOf(types);
}

let running: DeviceTest | undefined;

/** Ends the preview and releases camera and microphone (the stop button, or the call starting). */
export function stopPreCallCheck(): void {
  running?.close();
  running = undefined;
}

/**
 * Shows the camera and the microphone level, tests the network (TURN included) and its speed, records the result on the server and
 * returns the verdict and the advice in the patient's language.
 */
export async function runPreCallCheck(api: Api): Promise<{ verdict: string; advice: string; speed: string }> {
  stopPreCallCheck();
  const test = (running = new DeviceTest());
  element('precheck-stop').onclick = stopPreCallCheck;
  const verdict = element('precheck-verdict');
  delete verdict.dataset.verdict;
  delete element('precheck-speed').dataset.level;
  const servers = await api.get<ServerIceServers>('/api/precall/ice-servers');
  await test.open();
  const [{ camera, microphone }, path] = await Promise.all([test.judge(), network(toRtcIceServers(servers.servers))]);
  // Timed on its own, after the device and ICE tests, so nothing else shares the connection while it is measured.
  const speed = await measureSpeed(api);
  const result = await api.post<{ verdict: PreCallVerdict }>('/api/precall/checks', { camera, microphone, network: path });
  verdict.dataset.verdict = result.verdict;
  return { verdict: t(verdicts[result.verdict]), advice: t(precheckAdvice(camera, microphone, path)), speed };
}
