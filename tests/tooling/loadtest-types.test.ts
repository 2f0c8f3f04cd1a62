// k6 does not run on these machines, so the test command type-checks the k6 scripts against
// @types/k6 instead (npx tsc -p loadtest): a misuse of k6's API must fail it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';

const TSC = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

/** A copy of loadtest/ outside the repo, checked with the repo's @types (its own tsconfig otherwise). */
function copyOfLoadtest(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'tq-loadtest-')), 'loadtest');
  cpSync(path.join(REPO_ROOT, 'loadtest'), dir, { recursive: true });
  const config = { extends: './tsconfig.json', compilerOptions: { typeRoots: [path.join(REPO_ROOT, 'node_modules/@types')] } };
  writeFileSync(path.join(dir, 'tsconfig.check.json'), JSON.stringify(config));
  return dir;
}

const check = (dir: string) =>
  spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.check.json')], { encoding: 'utf8', timeout: 60_000 });

function edit(file: string, from: string, to: string) {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} has ${from}`);
  writeFileSync(file, text.replace(from, to));
}

describe('npx tsc -p loadtest', () => {
  it('when the k6 scripts are as committed, then they type-check; when one misuses the k6 API, then the check fails and names it', () => {
    const dir = copyOfLoadtest();
    const clean = check(dir);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);

    edit(path.join(dir, 'lib/tasks.js'), 'http.request(req.method', 'http.fetch(req.method');
    edit(path.join(dir, 'lib/plan.js'), "executor: 'constant-arrival-rate'", "executor: 'constant-rate'");
    edit(path.join(dir, 'background.js'), 'res.status === 200 ?', 'res.statusCode === 200 ?');
    const broken = check(dir);
    assert.notEqual(broken.status, 0);
    assert.match(broken.stdout, /lib\/tasks\.js\(\d+,\d+\): error TS2339: Property 'fetch' does not exist/);
    assert.match(broken.stdout, /lib\/plan\.js\(\d+,\d+\): error TS2322: .*\n(.*\n)*.*'"constant-rate"' is not assignable/);
    assert.match(broken.stdout, /background\.js\(\d+,\d+\): error TS2339: Property 'statusCode' does not exist/);
  });
});
