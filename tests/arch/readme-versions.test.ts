// The versions the README names are the versions installed from the lockfile.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const installed = (pkg: string) =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;

/** README wording -> the package whose version it states. */
const CLAIMS: [RegExp, string][] = [
  [/\| TypeScript \| (\S+) /, 'typescript'],
  [/\| Biome \| (\S+) \|/, '@biomejs/biome'],
  [/OpenTelemetry JS \| API (\S+);/, '@opentelemetry/api'],
  [/SDK (\S+) \(`core`, `sdk-trace`/, '@opentelemetry/sdk-trace'],
  [/`sdk-logs`, assembled in `packages\/telemetry`\); OTLP exporters (\S+);/, '@opentelemetry/exporter-trace-otlp-proto'],
  [/instrumentations amqplib (\S+), http/, '@opentelemetry/instrumentation-amqplib'],
  [/http (\S+), pg/, '@opentelemetry/instrumentation-http'],
  [/pg (\S+), pino/, '@opentelemetry/instrumentation-pg'],
  [/pino (\S+), undici/, '@opentelemetry/instrumentation-pino'],
  [/undici (\S+) \|/, '@opentelemetry/instrumentation-undici'],
  [/\| Console \| Vite (\S+),/, 'vite'],
  [/Preact (\S+);/, 'preact'],
  [/`@opentelemetry\/instrumentation-fetch` (\S+),/, '@opentelemetry/instrumentation-fetch'],
  [/`instrumentation-document-load` (\S+),/, '@opentelemetry/instrumentation-document-load'],
  [/`exporter-trace-otlp-http` (\S+);/, '@opentelemetry/exporter-trace-otlp-http'],
  [/`playwright-core` (\S+) and/, 'playwright-core'],
];

describe('the versions in the README', () => {
  it('when the README names a version, then it is the installed one', () => {
    for (const [claim, pkg] of CLAIMS) {
      const stated = claim.exec(README)?.[1];
      assert.ok(stated, `the README states a version for ${pkg}`);
      assert.equal(stated, installed(pkg), pkg);
    }
    const [express, pg, amqplib, zod, pino] = /\| express, pg, amqplib, zod, pino \| ([^|]+) \|/
      .exec(README)![1]
      .split(', ')
      .map((v) => v.trim());
    assert.deepEqual([express, pg, amqplib, zod, pino], ['express', 'pg', 'amqplib', 'zod', 'pino'].map(installed));
  });
});
