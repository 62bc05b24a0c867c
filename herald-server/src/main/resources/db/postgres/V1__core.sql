-- Times are epoch milliseconds; ids are time-ordered strings (see Ids), so "newest first" is ORDER BY id DESC.

CREATE TABLE instance_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE apps (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL UNIQUE,
  subscriber_secret  TEXT NOT NULL,
  created_at         BIGINT NOT NULL
);

CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  app_id      TEXT NOT NULL,
  kind        TEXT NOT NULL,            -- secret | publishable
  name        TEXT,
  prefix      TEXT NOT NULL,            -- first characters, shown in lists
  hash        BYTEA NOT NULL UNIQUE,     -- SHA-256 of the whole key
  created_at  BIGINT NOT NULL,
  revoked_at  BIGINT
);
CREATE INDEX api_keys_app ON api_keys (app_id, id);

CREATE TABLE subscribers (
  app_id      TEXT NOT NULL,
  id          TEXT NOT NULL,
  email       TEXT,
  phone       TEXT,
  locale      TEXT,
  timezone    TEXT,
  attributes  JSONB NOT NULL DEFAULT '{}',
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (app_id, id)
);

CREATE TABLE topic_subscribers (
  app_id         TEXT NOT NULL,
  topic          TEXT NOT NULL,
  subscriber_id  TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  PRIMARY KEY (app_id, topic, subscriber_id)
);
CREATE INDEX topic_subscribers_member ON topic_subscribers (app_id, subscriber_id);

CREATE TABLE devices (
  id                  TEXT PRIMARY KEY,
  app_id              TEXT NOT NULL,
  subscriber_id       TEXT,
  provider            TEXT NOT NULL,
  platform            TEXT,
  token               TEXT NOT NULL,     -- push token, or the Web Push endpoint
  p256dh              TEXT,
  auth                TEXT,
  device_info         TEXT,
  active              BIGINT NOT NULL DEFAULT 1,
  deactivated_at      BIGINT,
  deactivated_reason  TEXT,
  last_seen_at        BIGINT NOT NULL,
  created_at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX devices_token ON devices (app_id, provider, token);
CREATE INDEX devices_subscriber ON devices (app_id, subscriber_id, active);

CREATE TABLE notifications (
  id               TEXT PRIMARY KEY,
  app_id           TEXT NOT NULL,
  status           TEXT NOT NULL,
  priority         TEXT NOT NULL,
  category         TEXT,
  request          TEXT NOT NULL,      -- the accepted send request, normalised JSON
  idempotency_key  TEXT,
  request_hash     TEXT,
  send_at          BIGINT,
  fanout_cursor    TEXT,
  fanout_done      BIGINT NOT NULL DEFAULT 0,
  recipients       BIGINT NOT NULL DEFAULT 0,
  total            BIGINT NOT NULL DEFAULT 0,
  pending          BIGINT NOT NULL DEFAULT 0,
  sent             BIGINT NOT NULL DEFAULT 0,
  delivered        BIGINT NOT NULL DEFAULT 0,
  failed           BIGINT NOT NULL DEFAULT 0,
  skipped          BIGINT NOT NULL DEFAULT 0,
  canceled         BIGINT NOT NULL DEFAULT 0,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  finished_at      BIGINT
);
CREATE INDEX notifications_app ON notifications (app_id, id);
CREATE INDEX notifications_app_status ON notifications (app_id, status, id);
CREATE INDEX notifications_app_category ON notifications (app_id, category, id);
CREATE UNIQUE INDEX notifications_idempotency ON notifications (app_id, idempotency_key);

CREATE TABLE deliveries (
  id               TEXT PRIMARY KEY,
  app_id           TEXT NOT NULL,
  notification_id  TEXT NOT NULL,
  recipient_key    TEXT NOT NULL,      -- what makes a delivery unique within its notification and channel
  subscriber_id    TEXT,
  channel          TEXT NOT NULL,
  provider         TEXT,
  device_id        TEXT,
  address          TEXT,               -- raw token, email address or phone number used
  status           TEXT NOT NULL,
  reason           TEXT,
  attempts         BIGINT NOT NULL DEFAULT 0,
  provider_message_id TEXT,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX deliveries_recipient ON deliveries (notification_id, channel, recipient_key);
CREATE INDEX deliveries_notification ON deliveries (notification_id, status, id);
CREATE INDEX deliveries_created ON deliveries (created_at);

CREATE TABLE inbox_items (
  id               TEXT PRIMARY KEY,
  app_id           TEXT NOT NULL,
  subscriber_id    TEXT NOT NULL,
  notification_id  TEXT NOT NULL,
  title            TEXT,
  body             TEXT,
  data             TEXT,
  url              TEXT,
  image            TEXT,
  category         TEXT,
  read_at          BIGINT,
  archived_at      BIGINT,
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT
);
CREATE UNIQUE INDEX inbox_items_once ON inbox_items (notification_id, subscriber_id);
CREATE INDEX inbox_items_subscriber ON inbox_items (app_id, subscriber_id, id);
CREATE INDEX inbox_items_created ON inbox_items (created_at);

CREATE TABLE jobs (
  id               BIGSERIAL PRIMARY KEY,
  lane             TEXT NOT NULL,
  kind             TEXT NOT NULL,
  app_id           TEXT,
  notification_id  TEXT,
  payload          TEXT NOT NULL,
  state            TEXT NOT NULL,      -- ready | active
  run_at           BIGINT NOT NULL,
  attempts         BIGINT NOT NULL DEFAULT 0,
  lease_until      BIGINT,
  last_error       TEXT,
  created_at       BIGINT NOT NULL
);
CREATE INDEX jobs_claim ON jobs (lane, state, run_at);
CREATE INDEX jobs_notification ON jobs (notification_id);

-- Completed jobs are deleted; their number is kept here per lane and app for /v1/stats.
CREATE TABLE queue_totals (
  lane       TEXT NOT NULL,
  app_id     TEXT NOT NULL,
  completed  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (lane, app_id)
);

CREATE TABLE dead_letters (
  id               TEXT PRIMARY KEY,
  app_id           TEXT,
  lane             TEXT NOT NULL,
  kind             TEXT NOT NULL,
  notification_id  TEXT,
  payload          TEXT NOT NULL,
  attempts         BIGINT NOT NULL,
  last_error       TEXT,
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL
);
CREATE INDEX dead_letters_app ON dead_letters (app_id, id);
CREATE INDEX dead_letters_expiry ON dead_letters (expires_at);
