-- Channels subscribers turned off through one-click unsubscribe links, per category ('' for
-- every category). Fan-out skips them with reason 'preferences'.
CREATE TABLE unsubscribes (
  app_id         TEXT NOT NULL,
  subscriber_id  TEXT NOT NULL,
  channel        TEXT NOT NULL,
  category       TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (app_id, subscriber_id, channel, category)
);
