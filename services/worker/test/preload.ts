// Starts telemetry before express, pg and amqplib load, as `--require` does in production, so
// trace context really flows through the outbox and the broker in these tests.
process.env.OTEL_SERVICE_NAME ??= 'worker-test';
require('@tracequest/telemetry/register');
