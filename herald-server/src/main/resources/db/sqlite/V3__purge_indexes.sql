-- The hourly retention purge runs inside the single writer: without these indexes its deletes
-- scanned every notification and inbox item (about 0.9 s per million rows), holding up every write
-- meanwhile. Inbox expiry is rare, so that index holds only the rows that have one.
CREATE INDEX notifications_created ON notifications (created_at);
CREATE INDEX inbox_items_expires ON inbox_items (expires_at) WHERE expires_at IS NOT NULL;
