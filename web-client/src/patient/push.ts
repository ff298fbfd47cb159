import type { Api } from '../shared/api';

/** The VAPID public key as the Push API takes it (the server sends it base64url). */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), c => c.charCodeAt(0));
}

export type PushState = 'subscribed' | 'unsupported' | 'denied';

export function pushSupported(scope: typeof globalThis = globalThis): boolean {
  return 'serviceWorker' in scope.navigator && 'PushManager' in scope && 'Notification' in scope;
}

/**
 * Subscribes this browser to web push for the signed-in patient: the service worker shows "you are next" and the
 * doctor's call even when the tab is in the background or closed.
 */
export async function enablePush(api: Api): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (await Notification.requestPermission() !== 'granted') return 'denied';
  const registration = await navigator.serviceWorker.register('/sw.js');
  const { publicKey } = await api.get<{ publicKey: string }>('/api/push/key');
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(publicKey) });
  await api.post('/api/me/push-subscriptions', subscription.toJSON());
  return 'subscribed';
}
