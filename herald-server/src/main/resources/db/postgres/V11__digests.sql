-- Digests: every kept notification says when its digest goes out (the end of the subscriber's
-- digest window, or of the throttle window that folded it), and each app's windows are listed once
-- so one sweep job is scheduled per window end.

ALTER TABLE digest_items ADD COLUMN due_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX digest_items_due ON digest_items (app_id, subscriber_id, category, due_at);

CREATE TABLE digest_windows (
  app_id  TEXT NOT NULL,
  due_at  BIGINT NOT NULL,
  PRIMARY KEY (app_id, due_at)
);
