// Watchfloor service worker: caches the app shell (HTML, JS, CSS, fonts, icons) so the phone PWA
// opens offline to its sign-in page. It never caches /api, /socket.io or /video: alarm data must
// come live from the hub or not at all (a cached alarm list would be a lie).
const CACHE = 'watchfloor-shell-v1';
const SHELL = ['/', '/index.html', '/manifest.webmanifest', '/favicon.svg', '/icon-192.png', '/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

/** Shell files only: same origin, GET, not the API, live push or video. */
function isShell(url, request) {
  if (request.method !== 'GET' || url.origin !== self.location.origin) return false;
  return !/^\/(api|socket\.io|video|metrics)(\/|$)/.test(url.pathname);
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (!isShell(url, event.request)) return; // straight to the network, never cached
  // Network first (a new build shows at once), the cache when offline.
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          void caches.open(CACHE).then((c) => c.put(event.request, copy));
        }
        return res;
      })
      .catch(() => caches.match(event.request).then((hit) => hit ?? caches.match('/index.html'))),
  );
});

// Web Push (Task G sends them): show the alarm; a tap opens the console on it.
self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch { data = { title: event.data?.text() }; }
  event.waitUntil(self.registration.showNotification(data.title ?? 'Watchfloor', {
    body: data.body ?? '', tag: data.tag, data: { url: data.url ?? '/#/alarms' }, icon: '/icon-192.png', badge: '/icon-192.png',
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url ?? '/#/alarms';
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((wins) => {
    const win = wins.find((w) => new URL(w.url).origin === self.location.origin);
    if (win) return win.focus().then((w) => w.navigate(url));
    return self.clients.openWindow(url);
  }));
});
