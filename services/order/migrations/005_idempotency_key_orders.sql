-- The order a key's first request created: a retry after that request's process died gets the
-- order's outcome (paid, or failed by the recovery sweep) instead of placing a second one.
ALTER TABLE idempotency_keys ADD COLUMN order_id uuid;
