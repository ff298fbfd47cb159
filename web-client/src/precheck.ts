import { toRtcIceServers, type ServerIceServer } from './negotiation';
import type { Api } from './api';

export type NetworkPath = 'none' | 'direct' | 'relay';

/** The best path ICE found: a relay candidate means the call gets through any firewall that allows TURN. */
export function networkPathOf(candidateTypes: string[]): NetworkPath {
  if (candidateTypes.includes('relay')) return 'relay';
  return candidateTypes.some(t => t === 'host' || t === 'srflx' || t === 'prflx') ? 'direct' : 'none';
}

async function cameraWorks(): Promise<boolean> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    const live = stream.getVideoTracks().some(t => t.readyState === 'live');
    stream.getTracks().forEach(t => t.stop());
    return live;
  } catch {
    return false;
  }
}

/** The microphone is working when it hears something within a second and a half. */
async function microphoneWorks(): Promise<boolean> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let heard = false;
    for (let i = 0; i < 15 && !heard; i++) {
      await new Promise(r => setTimeout(r, 100));
      analyser.getFloatTimeDomainData(samples);
      heard = Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length) > 0.001;
    }
    stream.getTracks().forEach(t => t.stop());
    await context.close();
    return heard;
  } catch {
    return false;
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

/** Tests the devices and the network, records the result and returns the server's verdict and advice. */
export async function runPreCallCheck(api: Api): Promise<{ verdict: string; advice: string }> {
  const servers = await api.get<{ servers: ServerIceServer[] }>('/api/precall/ice-servers');
  const [camera, microphone, path] = await Promise.all([cameraWorks(), microphoneWorks(), network(toRtcIceServers(servers.servers))]);
  return api.post('/api/precall/checks', { camera, microphone, network: path });
}
