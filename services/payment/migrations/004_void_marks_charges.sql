-- Set by a void on its order's charges still at the provider. A charge writes its outcome in one
-- statement that also looks for the void; if the void committed after that statement began, the
-- statement cannot see the voided_orders row, but it does see this mark on the row it writes
-- (Postgres re-reads a row another transaction changed meanwhile), so the success is refunded.
ALTER TABLE charges ADD COLUMN voided boolean NOT NULL DEFAULT false;
