-- The workshop catalog. Three items have a tiny stock so that out-of-stock is reachable by hand;
-- the rest have so much that load tests never run dry.
INSERT INTO products (sku, name, price_cents, stock) VALUES
  ('TQ-001', 'Trail Running Shoes', 8999, 1000000),
  ('TQ-002', 'Merino Wool Socks', 1499, 1000000),
  ('TQ-003', 'Insulated Water Bottle', 2499, 1000000),
  ('TQ-004', 'Waterproof Hiking Jacket', 14999, 1000000),
  ('TQ-005', 'Rechargeable Headlamp', 2999, 1000000),
  ('TQ-006', 'Ultralight Two-Person Tent', 29999, 3),
  ('TQ-007', 'Down Sleeping Bag', 21999, 5),
  ('TQ-008', 'Trekking Poles (pair)', 7999, 1000000),
  ('TQ-009', 'Daypack 24 L', 6999, 1000000),
  ('TQ-010', 'Backpacking Stove', 4999, 1000000),
  ('TQ-011', 'Titanium Spork', 999, 1000000),
  ('TQ-012', 'First Aid Kit', 3499, 1000000),
  ('TQ-013', 'Topographic Map Set', 1999, 1000000),
  ('TQ-014', 'Baseplate Compass', 2499, 1000000),
  ('TQ-015', 'Rain Poncho', 1299, 1000000),
  ('TQ-016', 'Wide-Brim Sun Hat', 2199, 1000000),
  ('TQ-017', 'Polarized Sunglasses', 5999, 1000000),
  ('TQ-018', 'Handheld GPS', 34999, 1),
  ('TQ-019', 'Water Filter', 3999, 1000000),
  ('TQ-020', 'Fleece Pullover', 5499, 1000000),
  ('TQ-021', 'Hiking Gaiters', 2999, 1000000),
  ('TQ-022', 'Energy Bars (box of 12)', 2399, 1000000),
  ('TQ-023', 'Folding Camp Chair', 4499, 1000000),
  ('TQ-024', 'Dry Bag 10 L', 1799, 1000000)
ON CONFLICT (sku) DO NOTHING;
