// The first commands a learner copies from the docs, run as they are written, with bash, curl and
// jq, against the running shop: the README's checkout-to-trace walk and the compose quickstart's
// checkout (the native run publishes the same ports).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';
import { useStack } from '../src/harness';

const h = useStack();

/** The shell block of a doc that follows `after`, as the learner copies it. */
function block(file: string, after: string): string {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const from = text.indexOf(after);
  assert.ok(from >= 0, `${file} has "${after}"`);
  const m = /```(?:bash|sh)\n([\s\S]*?)```/.exec(text.slice(from));
  assert.ok(m, `${file} has a shell block after "${after}"`);
  return m[1];
}

const run = (script: string) => execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 60_000 });

describe('the commands the docs give a learner', () => {
  it("when the README's checkout-to-trace commands run, then they print the trace id and the trace's six services", () => {
    // `npm start` is the shop this file already started.
    const script = block('README.md', '## Follow a checkout to its trace').replace(/^npm start.*\n/m, '');
    const out = run(script);
    const id = /trace id: ([0-9a-f]{32})/.exec(out)?.[1];
    assert.ok(id, `a trace id is printed: ${out}`);
    const services = JSON.parse(out.slice(out.indexOf('[')));
    assert.deepEqual(services, ['auth', 'gateway', 'inventory', 'order', 'payment', 'worker']);
    assert.ok(h.gateway.endsWith(':8080'), 'the README speaks of the gateway on 8080, as .env has it');
  });

  it("when the compose quickstart's first checkout runs, then the order is paid", () => {
    const out = run(block('docs/compose.md', 'A first checkout from a terminal'));
    const order = JSON.parse(out);
    assert.equal(order.status, 'paid', out);
    assert.match(order.id, /^[0-9a-f-]{36}$/);
  });
});
