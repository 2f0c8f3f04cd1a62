// Runs npm run load's command on a scenario against the stack under test, as a user would.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadSummary } from '@tracequest/load';
import { REPO_ROOT, type Stack } from '@tracequest/stack';

export interface LoadRun {
  code: number;
  /** Everything it printed: the summary on stdout, a line per failed request on stderr. */
  output: string;
  summary?: LoadSummary;
}

export async function runScenario(stack: Stack, scenario: string, knobs: Record<string, string> = {}): Promise<LoadRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tq-load-'));
  const file = path.join(dir, 'summary.json');
  try {
    const args = [path.join(REPO_ROOT, 'packages/load/dist/src/cli.js'), scenario, '--summary-export', file];
    for (const [k, v] of Object.entries(knobs)) args.push('-e', `${k}=${v}`);
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, BASE_URL: stack.urls.gateway, JAEGER_URL: stack.urls.jaeger ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c ?? 1));
    });
    return { code, output, summary: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
