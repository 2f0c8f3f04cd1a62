import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './env';
import { tracked } from './leftovers';

/** A workspace's start command, read from its package.json so the image and the native run agree. */
export function startScript(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8'));
  return String(pkg.scripts.start).split(/\s+/);
}

export interface Managed {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Its exit code; a process killed by a signal gets 128 + the signal's number, as a shell shows it (137 for SIGKILL). */
  exited: Promise<number>;
  /** The last lines it wrote to stderr (a few KB), once its output has closed: why it stopped. */
  lastWords: () => Promise<string>;
}

const LAST_WORDS_BYTES = 2048;

/** Starts a long-running process with its output in logDir/<name>.log (appended to, for a restart). */
export function startProcess(
  name: string,
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; logDir: string; append?: boolean; detached?: boolean },
): Managed {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.join(opts.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: opts.append ? 'a' : 'w' });
  // A log that cannot be written (a full disk) costs its lines, never the stack that writes them.
  log.on('error', () => {});
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-LAST_WORDS_BYTES);
  });
  // The log ends when the output does: a process's last lines may still be in the pipe when it
  // exits, and a child it left behind may write after it.
  const closed = new Promise((resolve) => child.once('close', resolve));
  void closed.then(() => log.end());
  const lastWords = async () => {
    await Promise.race([closed, new Promise((r) => setTimeout(r, 1000).unref())]);
    return stderr.trim();
  };
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    // It could not be started at all (no such command, no resources): say so in its log.
    child.once('error', (err) => {
      log.write(`${name} could not be started: ${err.message}\n`);
      resolve(127);
    });
  });
  tracked(name, child.pid, exited);
  return { name, child, logFile, exited, lastWords };
}

/** Whether a process of this pid still runs (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL if it has not exited in time. */
export async function stopProcess(p: Managed, timeoutMs = 10_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  await p.exited;
  clearTimeout(timer);
}

/** Polls a URL until it answers 2xx; fails early if the process dies. */
export async function waitReady(url: string, p: Managed | undefined, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p && (p.child.exitCode !== null || p.child.signalCode !== null || p.child.pid === undefined)) {
      // What it said before it stopped (a bad setting names itself), so nobody has to open the log.
      const said = (await p.lastWords()).split('\n').slice(-8).join('\n    ');
      throw new Error(
        `${p.name} exited (${p.child.exitCode ?? p.child.signalCode ?? 'not started'}); see ${p.logFile}${said ? `\n    ${said}` : ''}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${p?.name ?? url} not ready after ${timeoutMs} ms${p ? `; see ${p.logFile}` : ''}`);
}
