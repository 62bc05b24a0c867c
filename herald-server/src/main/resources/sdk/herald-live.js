// Herald browser SDK: the live connection to a subscriber's inbox events.
//
//   const live = herald.connect();                 // WebSocket, or SSE where WebSocket fails
//   live.addEventListener('received', (e) => show(e.detail.item));
//   live.addEventListener('unread', (e) => badge(e.detail.count));
//   live.addEventListener('ready', (e) => { if (e.detail.fresh) reloadList(); });
//
// Events (CustomEvent, the server's JSON in `detail`): received, updated, archived, deleted,
// allread, plus `event` for each of them; `unread` {count}; `ready` {seq, unread, fresh} when the
// connection is live (fresh: the client had no position, so reload any list it shows); `resync`
// {reason}; `state` {state, transport} with state connecting | live | waiting | closed.
//
// Every inbox event has a per-subscriber seq that grows by one. The connection remembers the last
// seq it saw and resumes from it (`since`) after any break, so each missed event arrives once and
// in order; an event at or below that seq is a duplicate and dropped; a jump past seq + 1 means a
// gap, and the connection resumes from the last seq it has.

const TYPES = {
  notification_received: 'received',
  notification_updated: 'updated',
  notification_archived: 'archived',
  notification_deleted: 'deleted',
  all_notifications_read: 'allread',
};

export class HeraldLive extends EventTarget {
  /**
   * @param client a Herald from createHerald
   * @param options since: the last seq the caller already has (null: none);
   *   transport: 'auto' | 'websocket' | 'sse'; heartbeatTimeout: ms without any frame after which the
   *   connection counts as dead (the server sends a heartbeat every 25 s); minDelay, maxDelay: the
   *   reconnect backoff range in ms
   */
  constructor(client, { since = null, transport = 'auto', heartbeatTimeout = 60_000, minDelay = 500, maxDelay = 30_000 } = {}) {
    super();
    this.client = client;
    this.options = { heartbeatTimeout, minDelay, maxDelay };
    this._seq = since;
    this._transport = transport === 'sse' || typeof WebSocket === 'undefined' ? 'sse' : 'websocket';
    this._fallback = transport === 'auto';
    this._state = 'closed';
    this._attempts = 0;
    this._wsFailures = 0;
    this._wsWorked = false;
    this._conn = null;
    this._gapAt = null;
    this._timer = null;
    this._watchdog = null;
    this._online = () => { if (this._state !== 'live') this.reconnect(); };
    this._offline = () => this._drop();
  }

  /** The last seq seen (null before the first `ready`). */
  get seq() { return this._seq; }
  get state() { return this._state; }
  get transport() { return this._transport; }

  start() {
    if (this._state !== 'closed') return this;
    globalThis.addEventListener?.('online', this._online);
    globalThis.addEventListener?.('offline', this._offline);
    this._setState('connecting');
    this._connect();
    return this;
  }

  /** Closes for good. */
  close() {
    globalThis.removeEventListener?.('online', this._online);
    globalThis.removeEventListener?.('offline', this._offline);
    this._stop();
    this._setState('closed');
  }

  /** Drops the current connection (if any) and connects again now, resuming from the last seq. */
  reconnect() {
    if (this._state === 'closed') return;
    this._stop();
    this._attempts = 0;
    this._connect();
  }

  _stop() {
    clearTimeout(this._timer);
    clearTimeout(this._watchdog);
    const conn = this._conn;
    this._conn = null;
    conn?.close();
  }

  /** The connection is lost (offline, silent, refused): close it and try again after a backoff. */
  _drop() {
    if (this._state === 'closed') return;
    this._stop();
    this._retry();
  }

  async _connect() {
    if (this._conn || this._state === 'closed') return;
    this._setState('connecting');
    let token;
    try {
      token = await this.client.token();
    } catch (e) {
      return this._retry();
    }
    if (this._state !== 'connecting' || this._conn) return;
    const handlers = {
      open: () => { if (this._transport === 'websocket') { this._wsWorked = true; this._wsFailures = 0; } },
      frame: (msg) => this._frame(msg),
      closed: (info) => this._closed(info),
    };
    const since = this._seq === null ? '' : `&since=${this._seq}`;
    const base = this.client.url.replace(/^http/, this._transport === 'websocket' ? 'ws' : 'http');
    this._conn = this._transport === 'websocket'
      ? openWebSocket(`${base}/v1/inbox/ws?token=${encodeURIComponent(token)}${since}`, handlers)
      : openEventStream(`${base}/v1/inbox/events?token=${encodeURIComponent(token)}${since}`, handlers);
    this._touch();
  }

  async _closed({ opened, status }) {
    if (this._state === 'closed') return;
    this._conn = null;
    clearTimeout(this._watchdog);
    if (status === 401) {
      await this.client.refreshToken().catch(() => {});
    } else if (!opened && this._transport === 'websocket') {
      // A browser hides why an upgrade failed. A REST call tells: it refreshes a refused token, and
      // if it works while the socket keeps failing, something between here and Herald refuses
      // WebSocket, so use SSE instead.
      const restWorks = await this.client.inbox.count().then(() => true, () => false);
      if (restWorks && this._fallback && !this._wsWorked && ++this._wsFailures >= 2) {
        this._transport = 'sse';
        return this._connect();
      }
    }
    this._retry();
  }

  _retry() {
    // Closed for good, or a new connection was made while this one was being diagnosed.
    if (this._state === 'closed' || this._conn) return;
    clearTimeout(this._timer);
    this._setState('waiting');
    // Exponential backoff with equal jitter, capped, so a restarted server is not hit by every
    // client at the same instant.
    const ceiling = Math.min(this.options.maxDelay, this.options.minDelay * 2 ** this._attempts++);
    this._timer = setTimeout(() => this._connect(), ceiling / 2 + Math.random() * ceiling / 2);
  }

  _touch() {
    clearTimeout(this._watchdog);
    this._watchdog = setTimeout(() => this._drop(), this.options.heartbeatTimeout);
  }

  _frame(msg) {
    this._touch();
    if (msg.type === 'heartbeat') return;
    if (msg.type === 'ready') return this._ready(msg);
    if (msg.type === 'resync') {
      // The server can no longer replay what this client missed: start over from the list.
      this._seq = null;
      this._emit('resync', { reason: msg.reason });
      return this.reconnect();
    }
    if (typeof msg.seq !== 'number') return;
    if (this._seq !== null && msg.seq <= this._seq) return; // seen already
    if (this._seq !== null && msg.seq > this._seq + 1) return this._gap();
    this._seq = msg.seq;
    this._gapAt = null;
    const name = TYPES[msg.type];
    if (name) this._emit(name, msg);
    this._emit('event', msg);
    if (typeof msg.unread === 'number') this._emit('unread', { count: msg.unread });
  }

  /** Events are missing: resume from the last seq; if the same gap comes back, start over. */
  _gap() {
    if (this._gapAt === this._seq) this._seq = null;
    this._gapAt = this._seq;
    this.reconnect();
  }

  _ready(msg) {
    // After a replay the server's seq equals ours. Any other seq (a server restored from a backup,
    // a replay that fell short) means this client's copy cannot be patched: start over.
    const fresh = this._seq !== msg.seq;
    this._seq = msg.seq;
    this._attempts = 0;
    this._setState('live');
    this._emit('ready', { seq: msg.seq, unread: msg.unread, fresh });
    if (typeof msg.unread === 'number') this._emit('unread', { count: msg.unread });
  }

  _setState(state) {
    if (this._state === state) return;
    this._state = state;
    this._emit('state', { state, transport: this._transport });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** A WebSocket carrying JSON text frames. */
function openWebSocket(url, { open, frame, closed }) {
  const ws = new WebSocket(url);
  let opened = false;
  let done = false;
  const finish = (info) => { if (!done) { done = true; closed(info); } };
  ws.onopen = () => { opened = true; open(); };
  ws.onmessage = (e) => {
    const msg = parse(e.data);
    if (msg && !done) frame(msg);
  };
  ws.onclose = () => finish({ opened, status: 0 });
  return { close() { done = true; ws.onclose = null; ws.close(); } };
}

/**
 * Server-Sent Events read with fetch rather than EventSource, so the status of a refusal (401,
 * 429) is visible and reconnecting stays under this module's control.
 */
function openEventStream(url, { open, frame, closed }) {
  const abort = new AbortController();
  let done = false;
  const finish = (info) => { if (!done) { done = true; closed(info); } };
  (async () => {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: 'text/event-stream' }, cache: 'no-store', signal: abort.signal });
    } catch (e) {
      return finish({ opened: false, status: 0 });
    }
    if (!response.ok) return finish({ opened: false, status: response.status });
    open();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { id: null, type: null, data: [] };
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buffer += value;
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop();
        for (const line of lines) {
          if (done) return;
          if (line === '') {
            if (event.data.length) dispatch(event, frame);
            event = { id: null, type: null, data: [] };
          } else if (line.startsWith(':')) {
            frame({ type: 'heartbeat' });
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') event.data.push(val);
            else if (field === 'event') event.type = val;
            else if (field === 'id') event.id = val;
          }
        }
      }
    } catch (e) {
      // aborted or the network dropped: reported below
    }
    finish({ opened: true, status: 0 });
  })();
  return { close() { done = true; abort.abort(); } };
}

function dispatch(event, frame) {
  const msg = parse(event.data.join('\n'));
  if (!msg) return;
  if (!msg.type && event.type) msg.type = event.type;
  if (typeof msg.seq !== 'number' && event.id && /^\d+$/.test(event.id)) msg.seq = Number(event.id);
  frame(msg);
}

function parse(text) {
  try {
    const msg = JSON.parse(text);
    return msg && typeof msg === 'object' ? msg : null;
  } catch {
    return null;
  }
}
