-- The steps of an escalating notification that wait for their time (the steps at once are its
-- fan-out). Each is run by one "escalate" job at due_at, which pages through the notification's
-- in-app recipients from page_cursor; the notification settles only once no step is scheduled.
CREATE TABLE escalation_steps (
  notification_id   TEXT NOT NULL,
  step              BIGINT NOT NULL,   -- position in the request's escalation list
  channel           TEXT NOT NULL,
  unless_read       BIGINT NOT NULL,   -- 1: not for recipients who read the in-app item (canceled, reason read)
  due_at            BIGINT NOT NULL,
  state             TEXT NOT NULL,      -- scheduled | done | canceled | failed
  page_cursor       TEXT,               -- the last in-app recipient key processed
  recipients        BIGINT NOT NULL DEFAULT 0,
  canceled_by_read  BIGINT NOT NULL DEFAULT 0,
  finished_at       BIGINT,
  PRIMARY KEY (notification_id, step)
);
-- For the retention purge.
CREATE INDEX escalation_steps_due ON escalation_steps (due_at);
