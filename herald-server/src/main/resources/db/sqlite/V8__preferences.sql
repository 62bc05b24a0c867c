-- Preferences: each subscriber's choices, each app's category settings, throttle windows, and the
-- notifications a throttle folded into a digest. JSON documents are stored as text: Herald reads
-- them whole and never queries inside them.

CREATE TABLE subscriber_preferences (
  app_id         TEXT NOT NULL,
  subscriber_id  TEXT NOT NULL,
  preferences    TEXT NOT NULL,     -- {"channels":{…},"categories":{…},"quiet_hours":{…}|null}
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (app_id, subscriber_id)
) WITHOUT ROWID;

CREATE TABLE categories (
  app_id      TEXT NOT NULL,
  key         TEXT NOT NULL,
  settings    TEXT NOT NULL,        -- {"name":…,"default_channels":{…},"locked":…,"throttle":{…}|null}
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (app_id, key)
) WITHOUT ROWID;

-- One row per subscriber and category: the current fixed window and how many notifications it
-- has seen; a notification in a newer window starts the count again.
CREATE TABLE throttle_counts (
  app_id         TEXT NOT NULL,
  subscriber_id  TEXT NOT NULL,
  category       TEXT NOT NULL,
  window_start   INTEGER NOT NULL,
  hits           INTEGER NOT NULL,
  PRIMARY KEY (app_id, subscriber_id, category)
) WITHOUT ROWID;

CREATE TABLE digest_items (
  app_id           TEXT NOT NULL,
  notification_id  TEXT NOT NULL,
  subscriber_id    TEXT NOT NULL,
  category         TEXT NOT NULL,
  channel          TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (notification_id, subscriber_id, channel)
);
CREATE INDEX digest_items_subscriber ON digest_items (app_id, subscriber_id, category, created_at);
