-- The hourly retention purge deletes by age: without these indexes it scanned every notification
-- and inbox item while holding a writer. Inbox expiry is rare, so that index holds only the rows
-- that have one.
CREATE INDEX notifications_created ON notifications (created_at);
CREATE INDEX inbox_items_expires ON inbox_items (expires_at) WHERE expires_at IS NOT NULL;
