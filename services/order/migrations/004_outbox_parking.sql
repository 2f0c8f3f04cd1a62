-- An event the broker keeps refusing is parked after OUTBOX_MAX_ATTEMPTS, so it stops coming back
-- at the head of every batch; its last error says why. Parked rows wait for a person.
ALTER TABLE outbox ADD COLUMN parked_at timestamptz, ADD COLUMN last_error text;
DROP INDEX outbox_unpublished_idx;
CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE published_at IS NULL AND parked_at IS NULL;
-- Published rows are pruned by age (OUTBOX_RETENTION_MS).
CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL;
