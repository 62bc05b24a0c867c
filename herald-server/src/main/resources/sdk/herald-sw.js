// Herald's service worker: shows Web Push notifications, opens their page on click and reports
// `clicked` (and `dismissed`) to Herald. A classic script, so a page on another origin can serve a
// worker of its own that is just: importScripts('https://herald.example.com/sdk/herald-sw.js');
//
// The push payload is Herald's Web Push JSON: {id, title, body, url, image, data}, where id is
// the delivery id. data.icon and data.badge, when present, become the notification's icon and
// badge. To report events the worker needs credentials, which a push must not carry: herald-push.js
// posts {url, publishableKey, token} here (message `herald-config`) and the worker keeps them in
// Cache Storage. When that token has expired, reports are refused until a page posts a new one.

const CONFIG_KEY = new URL('__herald-config', self.registration.scope).href;
const CACHE = 'herald';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'herald-config') return;
  const saved = caches.open(CACHE)
    .then((cache) => cache.put(CONFIG_KEY, new Response(JSON.stringify(event.data.config))))
    .then(() => event.ports[0]?.postMessage({ type: 'herald-config-saved' }));
  event.waitUntil(saved);
});

self.addEventListener('push', (event) => {
  const message = readPush(event.data);
  const data = message.data || {};
  event.waitUntil(self.registration.showNotification(message.title || 'Notification', {
    body: message.body || '',
    icon: data.icon,
    badge: data.badge,
    image: message.image,
    tag: message.id,
    data: { url: message.url, delivery_id: message.id, notification_id: data.notification_id, data },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const { url } = event.notification.data || {};
  event.waitUntil(Promise.all([openPage(url), report('clicked', event.notification)]));
});

self.addEventListener('notificationclose', (event) => {
  event.waitUntil(report('dismissed', event.notification));
});

// The push service replaced the subscription: register the new one so pushes keep arriving.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    const config = await readConfig();
    const key = event.oldSubscription?.options?.applicationServerKey;
    if (!config || !key) return;
    const subscription = event.newSubscription ||
      await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    await call(config, '/v1/devices', { provider: 'webpush', platform: 'web', subscription: subscription.toJSON() });
  })());
});

function readPush(data) {
  if (!data) return {};
  try {
    const json = data.json();
    return json && typeof json === 'object' ? json : {};
  } catch {
    return { body: data.text() };
  }
}

async function openPage(url) {
  if (!url || !/^https?:\/\//i.test(url)) return;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => w.url === url);
  return open ? open.focus() : self.clients.openWindow(url);
}

async function report(type, notification) {
  const { delivery_id, notification_id } = notification.data || {};
  const config = await readConfig();
  if (!config || !(delivery_id || notification_id)) return;
  const ids = notification_id ? { notification_id } : { delivery_id };
  await call(config, '/v1/events', { type, ...ids }).catch(() => {});
}

function call(config, path, body) {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${config.token}` };
  if (config.publishableKey) headers['X-Herald-Key'] = config.publishableKey;
  return fetch(config.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function readConfig() {
  const response = await (await caches.open(CACHE)).match(CONFIG_KEY);
  return response ? response.json() : null;
}
