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
  const schema: ZodObject<Record<string, ZodType>> = require(path.join(REPO_ROOT, 'services', service, 'dist/src/config.js')).configSchema;
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

describe('the services READMEs', () => {
  for (const service of SERVICES)
    it(`when services/${service}/README.md is read, then its Configuration section names exactly what the config schema reads`, () => {
      assert.deepEqual(documented(service), schemaKeys(service));
    });
});
