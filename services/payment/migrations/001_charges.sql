CREATE TABLE charges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- A retried request with the same key finds this row instead of charging again.
  idempotency_key text NOT NULL UNIQUE,
  -- Tells a true retry from a different request that reuses the key.
  request_hash text NOT NULL,
  order_id uuid NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Only the last four digits are ever stored; the full number and the CVC never reach the database.
  card_last4 char(4) NOT NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
  status text NOT NULL CHECK (status IN ('processing', 'succeeded', 'declined', 'failed', 'refunded')),
  failure_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX charges_order_id ON charges (order_id);
