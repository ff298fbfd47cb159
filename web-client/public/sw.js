// Telemed's service worker: keeps the app's shell for when the connection is gone, shows the queue messages the server
// pushes (web push) even when no Telemed tab is open, and brings a Telemed tab forward (or opens one) when the
// notification is tapped.

// The build writes its own version here (vite.config.ts), so a new build installs a new worker, which drops the
// previous build's cache when it takes over.
const shellCache = 'telemed-shell-__BUILD_VERSION__';

// The pages by the file that holds them: /verify/<id> is one page whatever the id, and a cached copy serves them all.
const pageFiles = [
  [/^\/(index\.html)?$/, '/index.html'],
  [/^\/verify(\/[^/]+|\.html)$/, '/verify.html'],
  [/^\/reset-password(\.html)?$/, '/reset-password.html'],
  [/^\/board\.html$/, '/board.html'],
];
// What else the shell is made of. Vite's assets have their content's hash in their names: a cached one never goes stale.
const assets = /^\/assets\//;
const appFiles = /^\/(manifest\.webmanifest|icons\/[\w-]+\.png)$/;

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', event => {
  event.waitUntil(caches.keys()
    .then(names => Promise.all(names.filter(name => name !== shellCache).map(name => caches.delete(name))))
    .then(() => self.clients.claim()));
});

/** The key a file of the shell is cached under, or undefined for what is no part of it. */
function shellKey(pathname) {
  const page = pageFiles.find(([path]) => path.test(pathname));
  if (page) return page[1];
  if (assets.test(pathname) || appFiles.test(pathname)) return pathname;
  return undefined;
}

// A page loaded before this worker took over tells it what it loaded (the page and its chunks), so that the first visit
// already leaves a shell to start from offline.
self.addEventListener('message', event => {
  if (event.data?.type === 'cache-shell' && Array.isArray(event.data.urls)) event.waitUntil(cacheShell(event.data.urls));
});

async function cacheShell(urls) {
  const cache = await caches.open(shellCache);
  await Promise.all(urls.map(async address => {
    const url = new URL(address, self.location.origin);
    const key = url.origin === self.location.origin ? shellKey(url.pathname) : undefined;
    if (!key || (assets.test(key) && await cache.match(key))) return;
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) await cache.put(key, response);
  }));
}

// Only the shell is handled here. Everything else, the API and the hubs above all, goes to the network untouched and
// is never cached: clinical data must not stay behind on the device.
self.addEventListener('fetch', event => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const key = shellKey(url.pathname);
  if (!key) return;
  if (assets.test(key)) event.respondWith(cacheFirst(request, key));
  else if (request.mode === 'navigate' || appFiles.test(key)) event.respondWith(networkFirst(request, key));
});

/** Pages are revalidated on every visit; the copy from the last successful visit serves while the network is gone. */
async function networkFirst(request, key) {
  const cache = await caches.open(shellCache);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (failure) {
    const cached = await cache.match(key, { ignoreVary: true });
    if (cached) return cached;
    throw failure;
  }
}

async function cacheFirst(request, key) {
  const cache = await caches.open(shellCache);
  const cached = await cache.match(key, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(key, response.clone());
  return response;
}

self.addEventListener('push', event => {
  const message = event.data ? event.data.json() : {};
  event.waitUntil(self.registration.showNotification(message.title || 'Telemed', { body: message.body || '', tag: message.tag, renotify: true }));
});

self.addEventListener('notificationclick', event => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true })
    .then(windows => (windows.length > 0 ? windows[0].focus() : self.clients.openWindow('/'))));
});
