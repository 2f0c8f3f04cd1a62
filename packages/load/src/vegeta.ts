// One constant-rate attack by vegeta: it paces the arrivals (open loop: a slow answer never
// delays the next request); this process only writes the targets it asks for and reads results.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { nativeEnv, toolsBin } from '@tracequest/stack';

export interface AttackPlan {
  vegeta: string;
  /** vegeta's attack name: the phase the requests belong to. */
  name: string;
  rate: number;
  count: number;
  workers: number;
  maxWorkers: number;
  timeoutMs: number;
  /** The target of the i-th request, in vegeta's JSON format; called only when vegeta needs it. */
  target: (i: number) => string;
  onResult: (r: VegetaResult) => void;
  /** Stops the attack early: the requests in flight are answered and reported, no new one starts. */
  signal?: AbortSignal;
}

/** One line of `vegeta encode -to json`. */
export interface VegetaResult {
  seq: number;
  code: number;
  /** Unix time in ms (sub-ms kept) when vegeta started the request. */
  startedAt: number;
  latencyMs: number;
  error: string;
  body: Buffer;
  url: string;
  headers: Record<string, string[]>;
}

/** The vegeta binary built by scripts/tools.sh (or VEGETA). */
export function vegetaBinary(env = nativeEnv()): string {
  const bin = env.VEGETA ?? path.join(toolsBin(env), 'vegeta');
  if (!existsSync(bin)) throw new Error(`no vegeta at ${bin}: run npm run tools -- vegeta`);
  return bin;
}

/** vegeta's -rate takes whole requests per period: 2.5/s is 2500/1000s. */
const rateFlag = (r: number) => (Number.isInteger(r) ? `${r}/1s` : `${Math.round(r * 1000)}/1000s`);

/** RFC 3339 with nanoseconds, to ms with the fraction kept (Date.parse keeps only whole ms). */
function unixMs(ts: string): number {
  const m = /^(.{19})(?:\.(\d+))?(.*)$/.exec(ts);
  if (!m) return Number.NaN;
  return Date.parse(`${m[1]}${m[3]}`) + Number(`0.${m[2] ?? '0'}`) * 1000;
}

function parse(line: string): VegetaResult {
  const r = JSON.parse(line);
  return {
    seq: r.seq,
    code: r.code,
    startedAt: unixMs(r.timestamp),
    latencyMs: r.latency / 1e6,
    error: r.error ?? '',
    body: Buffer.from(r.body ?? '', 'base64'),
    url: r.url ?? '',
    headers: r.headers ?? {},
  };
}

/**
 * Runs the attack to its end, handing each result to onResult ("no targets" ones included).
 * Both vegeta processes run in their own process group: a Ctrl-C in the terminal reaches this
 * process only, which stops the attack through `signal` (vegeta's encode would quit at once on it,
 * and a second one would make the attack drop the answers in flight).
 */
export async function attack(p: AttackPlan): Promise<void> {
  if (p.signal?.aborted) return;
  const args = ['attack', '-lazy', '-format=json', `-rate=${rateFlag(p.rate)}`, `-duration=${Math.ceil((p.count / p.rate) * 1000)}ms`];
  args.push(`-workers=${p.workers}`, `-max-workers=${p.maxWorkers}`, `-timeout=${p.timeoutMs}ms`, `-name=${p.name}`);
  const atk = spawn(p.vegeta, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const enc = spawn(p.vegeta, ['encode', '-to', 'json'], { stdio: [atk.stdout, 'pipe', 'pipe'], detached: true });
  const stop = () => atk.kill('SIGINT');
  p.signal?.addEventListener('abort', stop, { once: true });
  let stderr = '';
  atk.stderr.on('data', (d) => (stderr += d));
  enc.stderr.on('data', (d) => (stderr += d));
  // Targets are made on demand: the pipe's backpressure holds this generator until vegeta reads.
  const targets = Readable.from(
    (function* () {
      for (let i = 0; i < p.count; i++) yield `${p.target(i)}\n`;
    })(),
  );
  // vegeta stops reading when its duration is over: the rest of the targets are never made.
  atk.stdin.on('error', () => targets.destroy());
  targets.pipe(atk.stdin);
  const lines = createInterface({ input: enc.stdout, crlfDelay: Infinity });
  // 'exit' for the attack: its stdout belongs to encode, so its 'close' would never come here.
  const exits = [
    new Promise<number>((resolve, reject) => atk.once('error', reject).once('exit', (code) => resolve(code ?? 1))),
    new Promise<number>((resolve, reject) => enc.once('error', reject).once('close', (code) => resolve(code ?? 1))),
  ];
  try {
    for await (const line of lines) if (line) p.onResult(parse(line));
    const [a, e] = await Promise.all(exits);
    if (a !== 0 || e !== 0) throw new Error(`vegeta exited with ${a}/${e}: ${stderr.trim()}`);
  } finally {
    p.signal?.removeEventListener('abort', stop);
  }
}
