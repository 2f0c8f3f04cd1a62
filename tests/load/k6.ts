// Runs the real k6 (built by npm run tools) on a script of loadtest/ against the stack under test.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, type Stack, toolsBin } from '@tracequest/stack';

export interface K6Run {
  code: number;
  /** Everything k6 printed: the summary on stdout, logs (console.*) on stderr. */
  output: string;
  /** k6's --summary-export: metrics by name, submetrics as `name{tag:value}`. */
  metrics: Record<string, Record<string, number>>;
}

export function k6Binary(stack: Stack): string {
  const bin = path.join(toolsBin(stack.env), 'k6');
  if (!existsSync(bin)) throw new Error(`no k6 at ${bin}: run npm run tools`);
  return bin;
}

export async function runK6(stack: Stack, script: string, env: Record<string, string> = {}): Promise<K6Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tq-k6-'));
  const summary = path.join(dir, 'summary.json');
  try {
    const child = spawn(k6Binary(stack), ['run', '--no-color', '--summary-export', summary, path.join(REPO_ROOT, script)], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        BASE_URL: stack.urls.gateway,
        JAEGER_URL: stack.urls.jaeger ?? '',
        K6_AUTO_EXTENSION_RESOLUTION: 'false',
        K6_NO_USAGE_REPORT: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c ?? 1));
    });
    const metrics = existsSync(summary) ? JSON.parse(readFileSync(summary, 'utf8')).metrics : {};
    return { code, output, metrics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
