-- Webhook endpoints per app. The signing secret is sealed with AES-GCM under the master key; after a
-- rotation the previous one keeps signing (a second signature) until previous_expires_at.
CREATE TABLE webhooks (
  id                    TEXT PRIMARY KEY,
  app_id                TEXT NOT NULL,
  url                   TEXT NOT NULL,
  description           TEXT,
  events                TEXT NOT NULL,            -- JSON array of event types, or ["*"]
  secret                BYTEA NOT NULL,
  previous_secret       BYTEA,
  previous_expires_at   BIGINT,
  enabled               BIGINT NOT NULL DEFAULT 1,
  failures              BIGINT NOT NULL DEFAULT 0,  -- consecutive messages that failed every attempt
  disabled_reason       TEXT,
  disabled_at           BIGINT,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL
);
CREATE INDEX webhooks_app ON webhooks (app_id, id);

-- Every call made to an endpoint: scheduled ones and replays.
CREATE TABLE webhook_attempts (
  id               TEXT PRIMARY KEY,
  app_id           TEXT NOT NULL,
  webhook_id       TEXT NOT NULL,
  message_id       TEXT NOT NULL,
  event_type       TEXT NOT NULL,
  attempt          BIGINT NOT NULL,
  trigger_type     TEXT NOT NULL,             -- scheduled | replay
  succeeded        BIGINT NOT NULL,
  response_status  BIGINT,
  response_body    TEXT,
  error            TEXT,
  duration_ms      BIGINT NOT NULL,
  created_at       BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id, id);
CREATE INDEX webhook_attempts_message ON webhook_attempts (webhook_id, message_id);
CREATE INDEX webhook_attempts_created ON webhook_attempts (created_at);

-- The relay looks only for unpublished events; published ones are purged by age.
CREATE INDEX outbox_events_pending ON outbox_events (id) WHERE published_at IS NULL;
CREATE INDEX outbox_events_created ON outbox_events (created_at);
