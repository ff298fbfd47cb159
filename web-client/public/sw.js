// Telemed's service worker: shows the queue messages the server pushes (web push), even when no Telemed tab is open,
// and brings a Telemed tab forward (or opens one) when the notification is tapped.
self.addEventListener('push', event => {
  const message = event.data ? event.data.json() : {};
  event.waitUntil(self.registration.showNotification(message.title || 'Telemed', { body: message.body || '', tag: message.tag, renotify: true }));
});

self.addEventListener('notificationclick', event => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true })
    .then(windows => (windows.length > 0 ? windows[0].focus() : self.clients.openWindow('/'))));
});
