// Herald browser SDK: the API client for one subscriber.
//
//   import { createHerald } from 'https://herald.example.com/sdk/herald.js';
//   const herald = createHerald({ url: 'https://herald.example.com', publishableKey: 'pk_…',
//                                 getToken: () => fetch('/my/herald-token').then(r => r.text()) });
//   const { data, next_cursor } = await herald.inbox.list({ status: 'unread' });
//   const live = herald.connect();   // see herald-live.js
//
// Every call answers the parsed JSON body or throws a HeraldError carrying the server's problem
// (RFC 9457) object. With getToken, a 401 fetches a fresh token and retries once.

import { HeraldLive } from './herald-live.js';

/** A refused or failed call: `problem` is the server's problem object (or one made up for a network error). */
export class HeraldError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'HeraldError';
    this.problem = problem;
    this.status = problem.status;
    this.code = problem.code;
  }
}

export function createHerald(options) {
  return new Herald(options);
}

export class Herald {
  constructor({ url, publishableKey, token, getToken, fetch: fetchImpl } = {}) {
    if (!url) throw new TypeError('createHerald: url is required');
    if (!token && !getToken) throw new TypeError('createHerald: token or getToken is required');
    this.url = String(url).replace(/\/+$/, '');
    this.publishableKey = publishableKey || null;
    this._token = token || null;
    /** async () => token; called when there is no token, it expired, or Herald refused it. Replaceable. */
    this.getToken = getToken || null;
    this._fetch = fetchImpl || globalThis.fetch.bind(globalThis);

    const post = (path, body) => this.request('POST', path, body);
    const item = (action) => (id) => post(`/v1/inbox/${encodeURIComponent(id)}/${action}`);
    this.inbox = {
      list: ({ status = 'all', limit, cursor } = {}) =>
        this.request('GET', '/v1/inbox' + query({ status, limit, cursor })),
      count: () => this.request('GET', '/v1/inbox/count'),
      read: item('read'),
      unread: item('unread'),
      archive: item('archive'),
      unarchive: item('unarchive'),
      delete: (id) => this.request('DELETE', `/v1/inbox/${encodeURIComponent(id)}`),
      readAll: () => post('/v1/inbox/read-all'),
    };
    this.preferences = {
      get: () => this.request('GET', '/v1/inbox/preferences'),
      put: (preferences) => this.request('PUT', '/v1/inbox/preferences', preferences),
    };
    this.devices = {
      /** Registers a device for this subscriber: {provider, platform, token | subscription}. */
      register: (device) => post('/v1/devices', device),
    };
    this.webpush = {
      /** The app's VAPID public key (base64url), for PushManager.subscribe. */
      publicKey: () => this.request('GET', '/v1/providers/webpush/public-key', undefined, { asKey: true }),
    };
    this.events = {
      /** type: opened | clicked | dismissed; ids: {notification_id} or {delivery_id}. */
      track: (type, ids, { keepalive = false } = {}) =>
        this.request('POST', '/v1/events', { type, ...ids }, { keepalive }),
    };
  }

  /** The current subscriber token, fetched through getToken when there is none or it expired. */
  async token() {
    if (this._token && !expired(this._token)) return this._token;
    return this.refreshToken();
  }

  /** Asks getToken for a new token (after a 401); without getToken keeps the one given. */
  async refreshToken() {
    if (!this.getToken) return this._token;
    const fresh = await this.getToken();
    if (!fresh) throw new HeraldError({ status: 401, code: 'unauthorized', detail: 'getToken returned no token' });
    this._token = String(fresh);
    return this._token;
  }

  /** Replaces the token (e.g. when the page's session changes). */
  setToken(token) {
    this._token = token;
  }

  /** Opens the live connection (WebSocket, or SSE where WebSocket fails). */
  connect(options) {
    return new HeraldLive(this, options).start();
  }

  /**
   * One API call; answers the JSON body (null for an empty one). As the subscriber (token and
   * publishable key), or with `asKey` as the app's publishable key alone.
   */
  async request(method, path, body, { keepalive = false, asKey = false, retried = false } = {}) {
    const headers = { Accept: 'application/json' };
    if (asKey) {
      headers.Authorization = `Bearer ${this.publishableKey}`;
    } else {
      headers.Authorization = `Bearer ${await this.token()}`;
      if (this.publishableKey) headers['X-Herald-Key'] = this.publishableKey;
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await this._fetch(this.url + path, {
        method, headers, keepalive, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new HeraldError({ status: 0, code: 'network_error', title: 'Herald is unreachable', detail: String(e.message || e) });
    }
    if (response.status === 401 && this.getToken && !asKey && !retried) {
      await this.refreshToken();
      return this.request(method, path, body, { keepalive, retried: true });
    }
    const text = await response.text();
    const json = text ? safeJson(text) : null;
    if (!response.ok) {
      throw new HeraldError(json && typeof json === 'object'
        ? { status: response.status, ...json }
        : { status: response.status, title: response.statusText, detail: text });
    }
    return json;
  }
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Whether a JWT's exp is past (with 30 s to spare); tokens that are not JWTs never expire here. */
export function expired(token, now = Date.now()) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' && payload.exp * 1000 < now + 30_000;
  } catch {
    return false;
  }
}
