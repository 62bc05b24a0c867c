-- Each subscriber's last event number. Every inbox change updates this row in its own transaction,
-- so the row lock orders concurrent changes and seqs follow commit order with no gaps.
CREATE TABLE inbox_seqs (
  app_id         TEXT NOT NULL,
  subscriber_id  TEXT NOT NULL,
  last_seq       INTEGER NOT NULL,
  PRIMARY KEY (app_id, subscriber_id)
);

-- Every change to an inbox, replayed to clients that reconnect with a seq. The item is joined at
-- replay time (a deleted one answers its id only); unread is the count right after the change.
CREATE TABLE inbox_events (
  app_id         TEXT NOT NULL,
  subscriber_id  TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  type           TEXT NOT NULL,
  item_id        TEXT,
  unread         INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (app_id, subscriber_id, seq)
);
CREATE INDEX inbox_events_created ON inbox_events (created_at);

-- Unread counts are counted, never kept in a counter that could drift from the items.
CREATE INDEX inbox_items_unread ON inbox_items (app_id, subscriber_id) WHERE read_at IS NULL AND archived_at IS NULL;

-- Which gateway nodes hold live connections of which subscribers (presence); a node's rows count
-- only while the node's heartbeat is fresh.
CREATE TABLE gateway_nodes (
  node_id   TEXT PRIMARY KEY,
  seen_at   INTEGER NOT NULL
);
CREATE TABLE presence (
  node_id        TEXT NOT NULL,
  app_id         TEXT NOT NULL,
  subscriber_id  TEXT NOT NULL,
  PRIMARY KEY (app_id, subscriber_id, node_id)
);
CREATE INDEX presence_node ON presence (node_id);

-- Opened / clicked / dismissed, as reported by clients (POST /v1/events).
CREATE TABLE engagements (
  id               TEXT PRIMARY KEY,
  app_id           TEXT NOT NULL,
  notification_id  TEXT NOT NULL,
  delivery_id      TEXT,
  subscriber_id    TEXT,
  type             TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX engagements_notification ON engagements (notification_id);
CREATE INDEX engagements_created ON engagements (created_at);
