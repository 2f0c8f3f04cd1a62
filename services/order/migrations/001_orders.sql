CREATE TABLE orders (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'fulfilled')),
  total_cents integer CHECK (total_cents >= 0),
  currency char(3),
  reservation_id uuid,
  payment_id uuid,
  failure_reason text,
  shipment_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- GET /orders lists one user's orders, newest first.
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC);

CREATE TABLE order_items (
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  -- The position in the request, so items come back in the order they were asked for.
  line smallint NOT NULL,
  product_id uuid NOT NULL,
  sku text,
  name text,
  quantity integer NOT NULL CHECK (quantity > 0),
  price_cents integer CHECK (price_cents >= 0),
  PRIMARY KEY (order_id, product_id)
);

-- Events written in the same transaction as the state change they announce; the relay publishes them.
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  aggregate_id uuid NOT NULL,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  trace_context jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unpublished_idx ON outbox (created_at) WHERE published_at IS NULL;
