/**
 * Whether the server can be reached. The browser's `offline` event says the device lost its network; a request that
 * fails before any answer says the same of a link that is up but goes nowhere. Either way the page says so, and the
 * connection counts as back only once the server answers again, checked at once on the browser's `online` event and
 * every few seconds besides, so recovery needs nobody to press anything. `navigator.onLine` alone decides nothing: it
 * is false on a device whose only network is the loopback, which still reaches a server on the same machine.
 */
export type Reach = 'online' | 'offline';

// Checked quickly at first (a Wi-Fi hand-over), then every ten seconds while the link stays down. A probe without a
// network fails at once, without sending anything.
const probeDelays = [1000, 2000, 5000];
const steadyProbeDelay = 10_000;

export class ServerReach {
  private reach: Reach = 'online';
  private probes = 0;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners: ((reach: Reach) => void)[] = [];

  /** `probe` answers whether the server is there. */
  constructor(private readonly probe: () => Promise<boolean>) {}

  get state(): Reach {
    return this.reach;
  }

  onChange(listener: (reach: Reach) => void) {
    this.listeners.push(listener);
  }

  /** The browser lost its network, or a request failed at the network level. */
  lost() {
    this.set('offline');
    this.scheduleProbe();
  }

  /** The browser doubts its network (at start, `navigator.onLine` false): offline unless the server answers. */
  async doubt(): Promise<void> {
    if (!await this.answers()) this.lost();
  }

  /** The browser has a network again: is the server there? */
  async check(): Promise<void> {
    if (this.reach === 'online') return;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    if (await this.answers()) {
      this.probes = 0;
      this.set('online');
    } else {
      this.scheduleProbe();
    }
  }

  private answers(): Promise<boolean> {
    return this.probe().catch(() => false);
  }

  private scheduleProbe() {
    if (this.probeTimer !== undefined) return;
    const delay = probeDelays[this.probes++] ?? steadyProbeDelay;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.check();
    }, delay);
  }

  private set(reach: Reach) {
    if (reach === this.reach) return;
    this.reach = reach;
    for (const listener of this.listeners) listener(reach);
  }
}

/** The readiness check answers without signing in, and is never cached. */
async function serverAnswers(): Promise<boolean> {
  const response = await fetch('/health/ready', { cache: 'no-store' });
  return response.ok;
}

/** This page's view of the link to the server. */
export const serverReach = new ServerReach(serverAnswers);

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => serverReach.lost());
  window.addEventListener('online', () => void serverReach.check());
  if (!navigator.onLine) void serverReach.doubt();
}

/** A fetch that rejects (rather than answering with an error status) never reached the server. */
export async function reachingServer(request: () => Promise<Response>): Promise<Response> {
  try {
    return await request();
  } catch (failure) {
    if (failure instanceof TypeError) serverReach.lost();
    throw failure;
  }
}

/**
 * The service worker keeps the pages and their code for when the connection is gone, and shows web push messages. A
 * browser without one (or refusing it, as in a private window) still runs the page, only not offline.
 */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const controlled = navigator.serviceWorker.controller !== null;
  try {
    await navigator.serviceWorker.register('/sw.js');
  } catch {
    return;
  }
  if (controlled) return;
  // The worker sees only what is fetched after it takes over: what this first visit loaded before is named to it.
  const worker = (await navigator.serviceWorker.ready).active;
  const loaded = performance.getEntriesByType('resource').map(entry => entry.name);
  worker?.postMessage({ type: 'cache-shell', urls: [location.href, ...loaded] });
}
