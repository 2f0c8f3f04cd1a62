-- At most one succeeded charge per order, whatever keys its retries used. An order charged twice
-- before this rule existed keeps its first charge; the later ones are refunded, then the rule holds.
UPDATE charges c SET status = 'refunded', updated_at = now()
 WHERE c.status = 'succeeded'
   AND EXISTS (SELECT 1 FROM charges f WHERE f.order_id = c.order_id AND f.status = 'succeeded'
                AND (f.created_at, f.id) < (c.created_at, c.id));
CREATE UNIQUE INDEX charges_one_succeeded_per_order ON charges (order_id) WHERE status = 'succeeded';
