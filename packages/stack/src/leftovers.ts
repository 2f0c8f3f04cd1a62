// What a runner that died without stopping its processes left running, found and stopped by the
// next one. npm start puts every process in a group of its own (a terminal's Ctrl-C reaches only
// the runner), so a runner killed outright (kill -9, out of memory) or crashed leaves the
// Collector, Jaeger, the services and the console on their ports, and the next start would refuse.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './env';

/** One file per runner (named by its pid): the processes it started, each with its start stamp. */
export const RUNS_DIR = path.join(REPO_ROOT, '.run', 'runs');

interface Recorded {
  name: string;
  pid: number;
  /** When the process started, as the system tells it: a pid reused by another process has another. */
  started: string;
}

interface RunRecord {
  runner: Recorded;
  processes: Recorded[];
}

/** When a process started: /proc's start time in clock ticks on Linux, ps's elsewhere; undefined when gone. */
export function startStamp(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie has finished: only its parent has not read its status yet.
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return undefined;
  }
  try {
    return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const same = (r: Recorded) => r.started !== undefined && startStamp(r.pid) === r.started;

/** Every process this runner started and has not seen exit, written to its run file on each change. */
const live = new Map<number, string>();
let runFile: string | undefined;

function write(): void {
  if (!runFile) return;
  if (live.size === 0) return void rmSync(runFile, { force: true });
  const record: RunRecord = {
    runner: { name: 'runner', pid: process.pid, started: startStamp(process.pid) ?? '' },
    processes: [...live].map(([pid, name]) => ({ name, pid, started: startStamp(pid) ?? '' })),
  };
  mkdirSync(path.dirname(runFile), { recursive: true });
  writeFileSync(runFile, `${JSON.stringify(record, null, 2)}\n`);
}

/** Records the processes this runner starts from now on, in a file of its own in `dir`. */
export function recordRunIn(dir = RUNS_DIR): void {
  runFile = path.join(dir, `${process.pid}.json`);
}

/** Called by startProcess: a process started, and (later) the same process gone. */
export function tracked(name: string, pid: number | undefined, exited: Promise<unknown>): void {
  if (pid === undefined) return;
  live.set(pid, name);
  write();
  void exited.then(() => {
    live.delete(pid);
    write();
  });
}

/**
 * A bug in the runner must not leave the processes it started on their ports: on an uncaught error
 * each gets SIGTERM, and the runner exits 1. (What a kill -9 leaves, the next start stops.)
 */
export function stopAllOnCrash(): void {
  process.on('uncaughtException', (err) => {
    console.error(`tracequest: the runner failed, stopping everything: ${err.stack ?? err}`);
    for (const pid of live.keys())
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    process.exit(1);
  });
}

/** Whether a recorded process has stopped, waiting up to ms for it. */
async function gone(r: Recorded, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (same(r)) {
    if (Date.now() >= deadline) return false;
    await new Promise((res) => setTimeout(res, 50));
  }
  return true;
}

/**
 * Stops what dead runners left running, as recorded in `dir`: each recorded process that still
 * runs (the same pid and start stamp, never a process that only reuses its pid) gets SIGTERM, then
 * SIGKILL after 10 s, one at a time, in the order a run stops them. A runner that still runs keeps
 * its processes. Resolves with what it stopped, e.g. "jaeger (pid 123)".
 */
export async function stopLeftovers(dir = RUNS_DIR, timeoutMs = 10_000): Promise<string[]> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^\d+\.json$/.test(f) && f !== `${process.pid}.json`);
  } catch {
    return [];
  }
  const left: Recorded[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    let record: RunRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8'));
      if (!record?.runner || !Array.isArray(record.processes)) throw new Error('not a run record');
    } catch {
      rmSync(file, { force: true });
      continue;
    }
    if (same(record.runner)) continue;
    left.push(...record.processes.filter(same));
    rmSync(file, { force: true });
  }
  // One at a time, as a run stops: last started first, and the Collector, then Jaeger, at the end:
  // the services send their last spans on the way out (with the Collector gone first, each kept
  // retrying for 7 to 9 s).
  const rank = (r: Recorded) => ['otelcol', 'jaeger'].indexOf(r.name);
  const order = [...left].reverse().sort((a, b) => rank(a) - rank(b));
  for (const r of order) {
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(r.pid, name);
      } catch {
        /* gone meanwhile */
      }
    };
    signal('SIGTERM');
    if (await gone(r, timeoutMs)) continue;
    signal('SIGKILL');
    await gone(r, 2000);
  }
  return left.map((r) => `${r.name} (pid ${r.pid})`);
}
