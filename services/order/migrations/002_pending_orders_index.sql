-- The abandoned-checkout sweep looks for old pending orders every 30 s; pending orders are few,
-- so a partial index keeps that a small lookup however many orders the table holds.
CREATE INDEX orders_pending_updated_idx ON orders (updated_at) WHERE status = 'pending';
