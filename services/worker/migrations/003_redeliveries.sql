-- How many times the broker redelivered a message the worker took and never settled (it crashed or
-- lost its channel mid-handling). Past WORKER_MAX_ATTEMPTS the message is dead-lettered unhandled,
-- so a message that crashes the worker cannot crash it for ever. Counted here rather than with a
-- quorum queue's x-delivery-limit: the classic queue a learner already has keeps working as it is.
CREATE TABLE redeliveries (
  message_id text PRIMARY KEY,
  count integer NOT NULL,
  last_at timestamptz NOT NULL DEFAULT now()
);
