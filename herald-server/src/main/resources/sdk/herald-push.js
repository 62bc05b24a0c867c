// Herald browser SDK: Web Push for one subscriber.
//
//   import { createHerald } from 'https://herald.example.com/sdk/herald.js';
//   import { createHeraldPush } from 'https://herald.example.com/sdk/herald-push.js';
//   const push = createHeraldPush(createHerald({ url, publishableKey, getToken }),
//                                 { serviceWorker: '/herald-sw.js' });
//   button.onclick = () => push.subscribe();    // asks for permission, registers the device
//
// A service worker must come from the page's own origin. On Herald's origin use
// /sdk/herald-sw.js directly; anywhere else serve a one-line /herald-sw.js:
//   importScripts('https://herald.example.com/sdk/herald-sw.js');
//
// subscribe() hands the worker Herald's url, the publishable key and the current subscriber
// token (kept in the worker's Cache Storage), so it can report clicks with POST /v1/events. Call
// subscribe() again on each page load while permission is granted: it reuses the subscription,
// refreshes the device's last_seen_at and gives the worker a fresh token.

import { HeraldError } from './herald.js';

export function createHeraldPush(herald, options) {
  return new HeraldPush(herald, options);
}

export class HeraldPush {
  /**
   * @param herald a client from createHerald
   * @param options serviceWorker: the worker's URL on this page's origin (default: Herald's
   *   /sdk/herald-sw.js, which works only on Herald's own origin); scope: its scope (default: the
   *   worker's folder)
   */
  constructor(herald, { serviceWorker, scope } = {}) {
    this.herald = herald;
    this.serviceWorker = serviceWorker || `${herald.url}/sdk/herald-sw.js`;
    this.scope = scope;
  }

  /** Whether this browser can receive Web Push at all. */
  get supported() {
    return 'serviceWorker' in navigator && 'PushManager' in globalThis && 'Notification' in globalThis;
  }

  /** The permission: default | granted | denied. */
  get permission() {
    return this.supported ? Notification.permission : 'denied';
  }

  /** Asks for permission if needed, subscribes, and registers the device; answers the device. */
  async subscribe() {
    if (!this.supported) throw refusal('unsupported', 'this browser does not support Web Push');
    if ((await Notification.requestPermission()) !== 'granted') {
      throw refusal('permission_denied', 'the user did not allow notifications');
    }
    const registration = await this._registration();
    await this._configureWorker(registration);
    const { public_key: key } = await this.herald.webpush.publicKey();
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription, key)) {
      await subscription.unsubscribe(); // made for another VAPID key: useless now
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlToBytes(key),
    });
    return this.herald.devices.register({ provider: 'webpush', platform: 'web', subscription: subscription.toJSON() });
  }

  /**
   * Ends the subscription in this browser. Herald deactivates the device when the push service
   * next answers that the subscription is gone; a backend that wants it at once deletes the
   * device with its secret key.
   */
  async unsubscribe() {
    const registration = await navigator.serviceWorker.getRegistration(this.scope || this.serviceWorker);
    const subscription = await registration?.pushManager.getSubscription();
    return subscription ? subscription.unsubscribe() : false;
  }

  async _registration() {
    const registration = await navigator.serviceWorker.register(this.serviceWorker, this.scope ? { scope: this.scope } : {});
    const worker = registration.installing || registration.waiting || registration.active;
    await new Promise((resolve, reject) => {
      const check = () => {
        if (worker.state === 'activated') resolve();
        if (worker.state === 'redundant') reject(refusal('worker_failed', `${this.serviceWorker} did not install`));
      };
      worker.addEventListener('statechange', check);
      check();
    });
    return registration;
  }

  async _configureWorker(registration) {
    const config = { url: this.herald.url, publishableKey: this.herald.publishableKey, token: await this.herald.token() };
    const reply = new MessageChannel();
    const stored = new Promise((resolve) => { reply.port1.onmessage = resolve; });
    registration.active.postMessage({ type: 'herald-config', config }, [reply.port2]);
    await stored;
  }
}

function sameKey(subscription, key) {
  const current = subscription.options?.applicationServerKey;
  return !current || bytesToBase64Url(new Uint8Array(current)) === key.replace(/=+$/, '');
}

function refusal(code, detail) {
  return new HeraldError({ status: 0, code, title: 'Web Push is not available', detail });
}

export function base64UrlToBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

function bytesToBase64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
