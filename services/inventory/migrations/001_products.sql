CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sku text NOT NULL UNIQUE,
  name text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents > 0),
  currency char(3) NOT NULL DEFAULT 'USD',
  -- The last line of defence against overselling: a bug in the locking fails loudly instead.
  stock integer NOT NULL CHECK (stock >= 0)
);
