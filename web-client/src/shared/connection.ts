/**
 * What the reconnecting banner says, from the two connections a consultation depends on: the hub (signalling, queue,
 * chat) and the call's peer connection (media). Pure, so every combination is tested without a browser.
 */
export type HubState = 'connected' | 'reconnecting' | 'closed';
/** RTCPeerConnectionState, or 'none' outside a call. */
export type MediaState = 'none' | 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type Banner = 'offline' | 'reconnecting' | 'mediaReconnecting' | 'lost' | 'restored' | undefined;

/**
 * No network explains everything else, and recovers by itself. The hub giving up is final (the page must be reloaded);
 * a hub reconnecting matters more than the media, which may still flow peer to peer meanwhile. After a drop,
 * "restored" is said once so that a screen reader hears the recovery.
 */
export function bannerFor(hub: HubState, media: MediaState, wasInTrouble: boolean, offline = false): Banner {
  if (offline) return 'offline';
  if (hub === 'closed') return 'lost';
  if (hub === 'reconnecting') return 'reconnecting';
  if (media === 'disconnected' || media === 'failed') return 'mediaReconnecting';
  // A restart replaces the peer connection: the new one is not back until it connects.
  if (wasInTrouble && (media === 'new' || media === 'connecting')) return 'mediaReconnecting';
  return wasInTrouble ? 'restored' : undefined;
}

/** True for the banners that mean something is wrong now. */
export function isTrouble(banner: Banner): boolean {
  return banner === 'offline' || banner === 'reconnecting' || banner === 'mediaReconnecting' || banner === 'lost';
}

// Quick retries first (a Wi-Fi hand-over, a node restarting), then every ten seconds.
const quickRetries = [0, 1000, 2000, 5000];
const steadyRetry = 10_000;

/**
 * The hub's reconnect schedule: keeps trying for as long as the server holds a dropped participant's place in the room
 * (Signalling:ReconnectGraceSeconds, 120 s by default); after that a rejoin needs a reload anyway. Null means give up.
 */
export function reconnectDelay(previousRetries: number, elapsedMs: number, giveUpAfterMs = 120_000): number | null {
  if (elapsedMs >= giveUpAfterMs) return null;
  const delay = quickRetries[previousRetries] ?? steadyRetry;
  return Math.min(delay, giveUpAfterMs - elapsedMs);
}
