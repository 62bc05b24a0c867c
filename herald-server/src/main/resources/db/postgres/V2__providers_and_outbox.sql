-- Provider credentials per app, sealed with AES-GCM under the master key (never stored in clear).
CREATE TABLE provider_credentials (
  app_id      TEXT NOT NULL,
  kind        TEXT NOT NULL,
  sealed      BYTEA NOT NULL,
  version     BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (app_id, kind)
);

-- Events for webhooks (device.registered, device.unregistered, ...), written in the transaction of
-- the change they describe and published after it commits.
CREATE TABLE outbox_events (
  id            TEXT PRIMARY KEY,
  app_id        TEXT NOT NULL,
  type          TEXT NOT NULL,
  payload       TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  published_at  BIGINT
);
CREATE INDEX outbox_events_app ON outbox_events (app_id, id);
CREATE INDEX outbox_events_unpublished ON outbox_events (published_at, id);
