-- One row per handled event: a redelivered message finds its row and is skipped.
CREATE TABLE processed_messages (
  event_id uuid PRIMARY KEY,
  order_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shipments (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL UNIQUE,
  carrier text NOT NULL,
  tracking_number text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email')),
  template text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_order_idx ON notifications (order_id);
