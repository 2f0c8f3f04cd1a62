// CPU time of every process a checkout touches, read from /proc, and how busy the machine was.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const HZ = 100;

/** Every process the bench measures, by the name it reports it under. */
export type Processes = Record<string, number[]>;

function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the process is gone
  }
}

/** utime + stime of a process, in ms; with its reaped children (cutime + cstime) when asked. */
export function cpuMs(pid: number | 'self', withChildren = false): number {
  const f = statFields(pid);
  if (!f) return 0;
  // Fields after the command: state is [0], so utime is [11], stime [12], cutime [13], cstime [14].
  const ticks = Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
  return (ticks * 1000) / HZ;
}

const comm = (pid: string) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

/** Every process's parent, right now. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const f = statFields(Number(d));
    if (f) out.set(Number(d), Number(f[1]));
  }
  return out;
}

/**
 * The processes named so whose parent is not: the postmaster of each Postgres, not its backends;
 * RabbitMQ's Erlang VM and epmd, not the VM's helpers. Each is measured with its whole tree.
 */
export function rootsNamed(pattern: RegExp): number[] {
  const named = new Set(
    readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d) && pattern.test(comm(d)))
      .map(Number),
  );
  const parent = parents();
  return [...named].filter((pid) => !named.has(parent.get(pid) ?? 0));
}

/**
 * CPU of a process and everything under it, in ms: its own, its reaped children's (which the kernel
 * adds to its cutime and cstime), and its live descendants'. A Postgres backend that a pool opens and
 * closes during a step, or an autovacuum worker, is counted whether or not it is still there at the end.
 */
function treeMs(pid: number, children: Map<number, number[]>): number {
  let ms = cpuMs(pid, true);
  for (const child of children.get(pid) ?? []) ms += treeMs(child, children);
  return ms;
}

/** Total CPU of each named group of process trees, in ms, right now. */
export function snapshot(groups: Processes): Record<string, number> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) out[name] = pids.reduce((sum, pid) => sum + treeMs(pid, children), 0);
  // The load generator: this process (the target writer, result checks) and vegeta, its child,
  // whose time lands in our cutime and cstime once it exits (the services are our children too:
  // not counted here while they run).
  out.load_generator = cpuMs('self', true);
  return out;
}

/** Machine-wide CPU time from /proc/stat, summed over the CPUs, in ms: busy (all but idle, iowait and steal), steal, and all. */
export function machineMs(): { busy: number; steal: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  const ms = (ticks: number) => (ticks * 1000) / HZ;
  return { busy: ms(user + nice + system + irq + softirq), steal: ms(steal), total: ms(cpu.reduce((a, b) => a + b, 0)) };
}

/**
 * How fast the machine runs code like the services', right now: the CPU time, in ms, this process
 * takes for a fixed piece of work (an order turned into JSON and back, 2,000 times), the fastest of
 * five tries. Steal and other processes' CPU do not show a host whose cores got slower (their caches
 * shared, their clock lowered); this does, and every CPU number of a trial moves with it.
 */
export function speedMs(): number {
  const items = Array.from({ length: 10 }, (_, i) => ({
    product_id: `product-${i}`,
    sku: `TQ-00${i}`,
    quantity: 1 + i,
    price_cents: 999 * i,
  }));
  const order = { id: 'a495ded0-29f8-43e1-8066-b8c24432b26f', status: 'paid', currency: 'USD', items };
  let fastest = Number.POSITIVE_INFINITY;
  let lines = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const from = process.cpuUsage();
    for (let i = 0; i < 2000; i++) lines += (JSON.parse(JSON.stringify({ ...order, n: i })) as typeof order).items.length;
    const used = process.cpuUsage(from);
    fastest = Math.min(fastest, (used.user + used.system) / 1000);
  }
  if (lines !== 5 * 2000 * items.length) throw new Error('the speed probe miscounted');
  return Math.round(fastest * 10) / 10;
}
