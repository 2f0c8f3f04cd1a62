// Starts telemetry before express, pg and amqplib load, as `--require` does in production, so
// trace context really flows through the outbox and the broker in these tests.
process.env.OTEL_SERVICE_NAME ??= 'order-test';
// No Collector runs for these tests: each export gives up after 1 s instead of retrying for 10,
// which kept the test process alive long after its last test.
process.env.OTEL_EXPORTER_OTLP_TIMEOUT ??= '1000';
require('@tracequest/telemetry/register');
