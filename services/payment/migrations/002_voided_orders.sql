-- Orders whose caller gave up on the charge (a timeout, a lost answer) and asked for it to be
-- undone. A charge for a voided order is refused; one that succeeds anyway is refunded.
CREATE TABLE voided_orders (
  order_id uuid PRIMARY KEY,
  voided_at timestamptz NOT NULL DEFAULT now()
);
