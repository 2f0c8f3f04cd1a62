// Each service's README documents the variables its config schema reads, and only those.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';
import { telemetryConfigSchema } from '@tracequest/telemetry';
import type { ZodObject, ZodType } from 'zod';

const SERVICES = ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker'];

/** What the service's config schema reads, and what the telemetry preload reads beyond OTEL_*. */
function schemaKeys(service: string): string[] {
  const schema = configSchema(service);
  const telemetry = Object.keys(telemetryConfigSchema.shape).filter((k) => !k.startsWith('OTEL_'));
  return [...Object.keys(schema.shape), ...telemetry].sort();
}

/** Backticked UPPER_CASE names in the README's Configuration section. */
function documented(service: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, 'services', service, 'README.md'), 'utf8');
  const section = /\n## Configuration\n([\s\S]*?)(\n## |$)/.exec(text)?.[1] ?? '';
  const names = [...section.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]).filter((n) => !n.startsWith('OTEL_'));
  return [...new Set(names)].sort();
}

/** The service's config schema, built. */
const configSchema = (service: string): ZodObject<Record<string, ZodType>> =>
  require(path.join(REPO_ROOT, 'services', service, 'dist/src/config.js')).configSchema;

describe('the services READMEs', () => {
  it("when the README's table of services gives a port, then it is the port the service listens on by default, the admin API's too", () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const service of SERVICES) {
      const row = new RegExp(`^\\| \\[${service}\\]\\(services/${service}/\\) \\| (\\d+)`, 'm').exec(readme);
      assert.ok(row, `a row for ${service}`);
      const key = `${service.toUpperCase()}_PORT`;
      assert.equal(Number(row[1]), configSchema(service).shape[key].parse(undefined), `${service}: ${key}`);
    }
    const gateway = /^\| \[gateway\].*$/m.exec(readme)![0];
    const admin = /admin API[^|]*?(\d{4,5}) \(`ADMIN_PORT`\)/.exec(gateway);
    assert.ok(admin, "the gateway's row names the admin API's port");
    assert.equal(Number(admin[1]), configSchema('gateway').shape.ADMIN_PORT.parse(undefined));
  });

  for (const service of SERVICES)
    it(`when services/${service}/README.md is read, then its Configuration section names exactly what the config schema reads`, () => {
      assert.deepEqual(documented(service), schemaKeys(service));
    });
});
