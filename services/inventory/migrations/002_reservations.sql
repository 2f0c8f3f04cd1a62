CREATE TABLE reservations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- One reservation per order: this is what makes a retried reserve idempotent.
  order_id uuid NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('held', 'committed', 'released', 'expired')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The sweeper only ever looks for held reservations past their expiry.
CREATE INDEX reservations_held_expires_at ON reservations (expires_at) WHERE status = 'held';

CREATE TABLE reservation_items (
  reservation_id uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
  product_id uuid NOT NULL REFERENCES products (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  -- The price when reserved, so a later price change does not alter an order in flight.
  price_cents integer NOT NULL CHECK (price_cents > 0),
  PRIMARY KEY (reservation_id, product_id)
);
CREATE INDEX reservation_items_product_id ON reservation_items (product_id);
