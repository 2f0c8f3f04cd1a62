-- A client's Idempotency-Key on POST /orders, per user: a retried checkout gets the first answer
-- back instead of placing a second order. Kept a day (the recovery sweep prunes older ones).
CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL,
  key text NOT NULL,
  -- Tells a true retry from a different checkout that reuses the key.
  request_hash text NOT NULL,
  -- Null while the first request is in flight.
  status_code integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
