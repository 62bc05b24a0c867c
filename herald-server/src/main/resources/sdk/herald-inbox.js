// <herald-inbox>: a bell with the unread count and a panel with the subscriber's inbox, live.
//
//   <script type="module" src="https://herald.example.com/sdk/herald-inbox.js"></script>
//   <herald-inbox url="https://herald.example.com" publishable-key="pk_…" token="eyJ…"></herald-inbox>
//
// Attributes: url, publishable-key, token, link-target (where item links open; default _self).
// Opening an item reports `clicked` (it has a url) or `opened` to Herald, which marks it read.
// Properties: getToken (async () => token, called when the token expires or is refused; enough
// without the token attribute), connectOptions (options of herald.connect(), read when the element
// starts), herald and live (the client and connection in use). A click on an item fires a cancelable `herald-click` event
// ({item}) on the element; unless canceled, the item's url opens. Theme with the CSS custom
// properties listed in STYLE below, or ::part(bell | badge | panel | list | item).

import { createHerald } from './herald.js';
import { STYLE } from './herald-inbox-style.js';

const PAGE = 20;
const SAFE_URL = /^https?:\/\//i;
const BELL = '<svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>';

const template = document.createElement('template');
template.innerHTML = `<style>${STYLE}</style>
<button class="bell" part="bell" type="button" aria-expanded="false" aria-controls="panel" aria-label="Notifications">${BELL}<span class="badge" part="badge" hidden></span></button>
<span class="sr-only" role="status" aria-live="polite" aria-atomic="true"></span>
<section id="panel" class="panel" part="panel" role="dialog" aria-labelledby="heading" tabindex="-1" hidden>
  <header><h2 id="heading">Notifications</h2><button type="button" class="read-all">Mark all read</button></header>
  <p class="error" role="alert" hidden></p>
  <ul class="list" part="list" aria-labelledby="heading"></ul>
  <p class="empty" hidden>No notifications</p>
  <button type="button" class="more" hidden>Load more</button>
</section>`;

export class HeraldInbox extends HTMLElement {
  static observedAttributes = ['url', 'publishable-key', 'token'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).append(template.content.cloneNode(true));
    const $ = (s) => this.shadowRoot.querySelector(s);
    this.ui = { bell: $('.bell'), badge: $('.badge'), status: $('.sr-only'), panel: $('.panel'), list: $('.list'),
      empty: $('.empty'), more: $('.more'), error: $('.error'), readAll: $('.read-all') };
    this.items = [];
    this.cursor = null;
    this.unread = 0;
    this._getToken = null;
    this.connectOptions = {};
    this.herald = null;
    this.live = null;
    this._pending = null;
    this._load = 0;
    this.ui.bell.addEventListener('click', () => this.toggle());
    this.ui.readAll.addEventListener('click', () => this._act(() => this.herald.inbox.readAll()));
    this.ui.more.addEventListener('click', () => this._loadMore());
    this.ui.list.addEventListener('click', (e) => this._listClick(e));
    this.shadowRoot.addEventListener('keydown', (e) => this._key(e));
    this._outside = (e) => { if (!e.composedPath().includes(this)) this.toggle(false); };
  }

  connectedCallback() {
    document.addEventListener('pointerdown', this._outside);
    this._start();
  }

  disconnectedCallback() {
    document.removeEventListener('pointerdown', this._outside);
    this._stop();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.isConnected || old === value) return;
    if (name === 'token' && this.herald) {
      this.herald.setToken(value);
      if (this.live?.state !== 'live') this.live?.reconnect();
    } else {
      this._start();
    }
  }

  get getToken() {
    return this._getToken;
  }

  set getToken(fn) {
    this._getToken = fn;
    if (this.herald) this.herald.getToken = fn;
    else if (this.isConnected) this._start();
  }

  get open() {
    return !this.ui.panel.hidden;
  }

  /** Opens or closes the panel; closing returns focus to the bell. */
  toggle(open = !this.open) {
    if (open === this.open) return;
    const { panel, bell } = this.ui;
    panel.hidden = !open;
    bell.setAttribute('aria-expanded', String(open));
    // Open towards the side with room: leftwards from the bell unless that leaves the viewport.
    if (open) panel.classList.toggle('start', this.getBoundingClientRect().right < panel.offsetWidth);
    if (open) (this._rows()[0] || panel).focus();
    else if (this.shadowRoot.activeElement) bell.focus();
  }

  _start() {
    this._stop();
    const url = this.getAttribute('url');
    const token = this.getAttribute('token');
    if (!url || (!token && !this.getToken)) return;
    this.herald = createHerald({ url, publishableKey: this.getAttribute('publishable-key'), token, getToken: this.getToken });
    this.live = this.herald.connect(this.connectOptions);
    this.live.addEventListener('ready', (e) => { if (e.detail.fresh) this._reload(); });
    this.live.addEventListener('event', (e) => this._event(e.detail));
    this.live.addEventListener('unread', (e) => this._setUnread(e.detail.count));
    this._reload();
    this.herald.inbox.count().then((c) => this._setUnread(c.unread), () => {});
  }

  _stop() {
    this.live?.close();
    this.live = null;
    this.herald = null;
  }

  /** Replaces the list with its first page; live events that arrive meanwhile are applied after. */
  async _reload() {
    const load = ++this._load;
    this._pending ??= []; // events from an earlier, unfinished load stay queued
    try {
      const page = await this.herald.inbox.list({ limit: PAGE });
      if (load !== this._load) return;
      this.items = [];
      this._addPage(page);
      this._showError(null);
    } catch (e) {
      if (load === this._load) this._showError(e);
    } finally {
      if (load === this._load) {
        const pending = this._pending;
        this._pending = null;
        pending.forEach((m) => this._event(m));
        this._render();
      }
    }
  }

  async _loadMore() {
    try {
      this._addPage(await this.herald.inbox.list({ limit: PAGE, cursor: this.cursor }));
      this._render();
    } catch (e) {
      this._showError(e);
    }
  }

  _addPage(page) {
    for (const item of page.data) if (!item.archived_at) this._put(item);
    this.cursor = page.next_cursor;
  }

  /** One inbox event, from the live connection or a state change this element made. */
  _event(msg) {
    if (this._pending) return void this._pending.push(msg);
    switch (msg.type) {
      case 'notification_received':
      case 'notification_updated':
        this._put(msg.item);
        break;
      case 'notification_archived':
      case 'notification_deleted':
        this.items = this.items.filter((i) => i.id !== msg.item.id);
        break;
      case 'all_notifications_read':
        for (const i of this.items) i.read_at ??= new Date().toISOString();
        break;
    }
    this._render();
  }

  /** Inserts or replaces an item, keeping the list newest first (ids sort by time). */
  _put(item) {
    this.items = this.items.filter((i) => i.id !== item.id);
    if (item.archived_at) return;
    const at = this.items.findIndex((i) => i.id < item.id);
    this.items.splice(at < 0 ? this.items.length : at, 0, item);
  }

  /** Runs a state change; applies its answer unless the live connection already brought it. */
  async _act(call, type = 'all_notifications_read') {
    try {
      const answer = await call();
      const seen = this.live?.seq;
      if (answer && (typeof answer.seq !== 'number' || seen == null || answer.seq > seen)) {
        if (answer.item) this._event({ type, item: answer.item });
        else if (type === 'all_notifications_read') this._event({ type });
        if (typeof answer.unread === 'number') this._setUnread(answer.unread);
      }
    } catch (e) {
      this._showError(e);
    }
  }

  _listClick(e) {
    const row = e.target.closest('li');
    const item = row && this.items.find((i) => i.id === row.dataset.id);
    if (!item) return;
    const action = e.target.closest('button')?.dataset.action;
    const id = item.id;
    if (action === 'toggle') {
      const read = !item.read_at;
      this._act(() => (read ? this.herald.inbox.read(id) : this.herald.inbox.unread(id)), 'notification_updated');
    } else if (action === 'archive') {
      this._act(() => this.herald.inbox.archive(id), 'notification_archived');
    } else {
      this._open(item);
    }
  }

  /**
   * Opening an item: Herald records `clicked` (with a link) or `opened`, and either marks it read,
   * which the live connection then reports; it is shown read at once meanwhile.
   */
  _open(item) {
    const link = item.url && SAFE_URL.test(item.url);
    if (link || !item.read_at) {
      this.herald.events.track(link ? 'clicked' : 'opened', { notification_id: item.notification_id }, { keepalive: true })
        .catch((e) => this._showError(e));
    }
    if (!item.read_at) {
      item.read_at = new Date().toISOString();
      this._setUnread(Math.max(0, this.unread - 1));
      this._render();
    }
    const click = new CustomEvent('herald-click', { detail: { item }, cancelable: true, bubbles: true, composed: true });
    if (!this.dispatchEvent(click) || !link) return;
    const target = this.getAttribute('link-target') || '_self';
    if (target === '_self') location.assign(item.url);
    else window.open(item.url, target, 'noopener');
  }

  _key(e) {
    if (e.key === 'Escape' && this.open) {
      e.preventDefault();
      return this.toggle(false);
    }
    const rows = this._rows();
    const row = e.composedPath().find((n) => n.tagName === 'LI');
    if (!row) return;
    const at = rows.indexOf(row);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      this._focusRow(rows[Math.max(0, Math.min(rows.length - 1, to))]);
    } else if (e.key === 'Enter' && e.target === row) {
      e.preventDefault();
      this._open(this.items.find((i) => i.id === row.dataset.id));
    }
  }

  _rows() {
    return [...this.ui.list.children];
  }

  _focusRow(row) {
    for (const r of this._rows()) r.tabIndex = r === row ? 0 : -1;
    row?.focus();
  }

  _setUnread(count) {
    if (count === this.unread && this.ui.status.textContent) return;
    this.unread = count;
    const { badge, bell, status } = this.ui;
    badge.hidden = count === 0;
    badge.textContent = count > 99 ? '99+' : String(count);
    bell.setAttribute('aria-label', count ? `Notifications, ${count} unread` : 'Notifications');
    status.textContent = `${count} unread notification${count === 1 ? '' : 's'}`;
  }

  _showError(e) {
    this.ui.error.hidden = !e;
    this.ui.error.textContent = e ? `Could not update notifications: ${e.message}` : '';
  }

  _render() {
    const focused = this.shadowRoot.activeElement?.closest?.('li')?.dataset.id;
    const rows = this.items.map((item) => row(item));
    this.ui.list.replaceChildren(...rows);
    const current = rows.find((r) => r.dataset.id === focused) || rows[0];
    if (current) current.tabIndex = 0;
    if (focused && current) current.focus();
    this.ui.empty.hidden = this.items.length > 0;
    this.ui.more.hidden = !this.cursor;
  }
}

function row(item) {
  const li = document.createElement('li');
  li.className = item.read_at ? 'item' : 'item unread';
  li.part = 'item';
  li.dataset.id = item.id;
  li.tabIndex = -1;
  const created = new Date(item.created_at);
  li.innerHTML = `<span class="dot" aria-hidden="true"></span><div class="content">
    <span class="sr-only"></span><strong class="title"></strong><p class="body"></p><time></time></div>
    <div class="actions"><button type="button" data-action="toggle"></button><button type="button" data-action="archive">Archive</button></div>`;
  // Text only, never markup, from the notification.
  li.querySelector('.sr-only').textContent = item.read_at ? '' : 'Unread: ';
  li.querySelector('.title').textContent = item.title || '';
  li.querySelector('.body').textContent = item.body || '';
  const time = li.querySelector('time');
  time.dateTime = item.created_at;
  time.title = created.toLocaleString();
  time.textContent = relative(created);
  li.querySelector('[data-action=toggle]').textContent = item.read_at ? 'Mark unread' : 'Mark read';
  return li;
}

function relative(date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'second');
}

if (!customElements.get('herald-inbox')) customElements.define('herald-inbox', HeraldInbox);
