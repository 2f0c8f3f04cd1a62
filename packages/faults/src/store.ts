import { type FSWatcher, mkdirSync, unwatchFile, watch, watchFile } from 'node:fs';
import path from 'node:path';
import { type FlagdFile, flagParams, flagsVersion, offFlag, onFlag, parseFlags, readFlags, readFlagsText, writeFlags } from './flags-file';
import { setHiddenFaults } from './hidden';
import { coerce, type ParamValues, schemaOf } from './params';
import { FAULTS, findFault } from './registry';
import { findScenario } from './scenarios';

export class FaultInputError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// One schema per fault, built once: zod builds (and compiles) a schema at a real cost.
const SCHEMAS = new Map(FAULTS.map((f) => [f.name, schemaOf(f.params)]));

/** Validates parameters against the registry; defaults filled in, unknown keys and bad values refused. */
export function validate(name: string, params: unknown): ParamValues {
  const schema = SCHEMAS.get(name);
  if (!schema) throw new FaultInputError(404, 'unknown_fault', `no fault named "${name}" (see GET /admin/faults)`);
  const result = schema.safeParse(params ?? {});
  if (!result.success) {
    const why = result.error.issues.map((i) => `${i.path.join('.') || 'parameters'}: ${i.message}`).join('; ');
    throw new FaultInputError(400, 'invalid_fault_parameters', `${name}: ${why}`);
  }
  const values = result.data as ParamValues;
  // Revealed is the default: only a hidden fault carries reveal=false, so nothing else changes shape.
  if (values.reveal !== false) delete values.reveal;
  return values;
}

/** `FAULTS="latency:service=inventory,ms=300;error:service=payment,rate=0.2"` → validated faults. */
export function parseFaultsEnv(text: string | undefined): Record<string, ParamValues> {
  const out: Record<string, ParamValues> = {};
  for (const part of (text ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, rest = ''] = part.split(':', 2);
    const def = findFault(name.trim());
    if (!def) throw new FaultInputError(404, 'unknown_fault', `FAULTS: no fault named "${name}"`);
    const raw = Object.fromEntries(
      rest
        .split(',')
        .filter(Boolean)
        .map((kv) => {
          const [k, ...v] = kv.split('=');
          return [k.trim(), v.join('=').trim()];
        }),
    );
    out[def.name] = validate(def.name, coerce(def.params, raw));
  }
  return out;
}

/**
 * The faults in force in one process: from the flags file, falling back to the FAULTS variable read
 * at start-up for faults the file does not mention. The file's folder is watched, so a change
 * applies as soon as it is written; a poll every pollMs backs the watch up where a file system
 * sends no change events.
 */
export class FaultStore {
  private fromFile: FlagdFile = { flags: {} };
  private readonly fromEnv: Record<string, ParamValues>;
  private readonly listeners = new Set<() => void>();
  /** The faults on right now, recomputed when the file changes: the fast answer for the usual "off". */
  private snapshot: Record<string, ParamValues> = {};
  private text = '';
  private watcher?: FSWatcher;
  /** The loaded file's flagsVersion. */
  version = '';

  constructor(
    readonly file?: string,
    env?: string,
    private readonly pollMs = 500,
  ) {
    this.fromEnv = parseFaultsEnv(env);
    this.snapshot = this.resolveAll();
  }

  start(): this {
    const file = this.file;
    if (!file) return this;
    const text = readFlagsText(file);
    this.load(text, parseFlags(text));
    watchFile(file, { interval: this.pollMs, persistent: false }, () => this.reload());
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      // The folder, not the file: a write replaces the file (a rename), which ends a watch on it.
      this.watcher = watch(path.dirname(file), { persistent: false }, (_event, name) => {
        if (name === path.basename(file)) this.reload();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No events from this folder: the poll alone sees changes.
    }
    return this;
  }

  /** Reads the file again; tells the listeners only when its text changed. */
  private reload(): void {
    const text = readFlagsText(this.file!);
    if (text === this.text) return;
    this.load(text, parseFlags(text));
    for (const l of this.listeners) l();
  }

  private load(text: string, flags: FlagdFile): void {
    this.text = text;
    this.version = flagsVersion(text);
    this.fromFile = flags;
    this.snapshot = this.resolveAll();
    setHiddenFaults(Object.keys(this.snapshot).filter((n) => this.snapshot[n].reveal === false));
  }

  /** Whether a fault is on, from the snapshot: no parsing, no validation, no evaluation. */
  isOn(name: string): boolean {
    return name in this.snapshot;
  }

  stop(): void {
    if (this.file) unwatchFile(this.file);
    this.watcher?.close();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /**
   * The parameters of a fault that is on, with defaults filled in; undefined when off. From the
   * snapshot, validated once when the file changed: a fault on is asked for by every request.
   */
  get(name: string): ParamValues | undefined {
    return this.snapshot[name];
  }

  /** What the file says of one fault (or FAULTS, for one the file does not mention), validated. */
  private resolve(name: string): ParamValues | undefined {
    const inFile = flagParams(this.fromFile, name);
    if (inFile === null) return this.fromEnv[name];
    if (inFile === undefined) return undefined;
    try {
      return validate(name, inFile);
    } catch {
      return undefined; // a hand-edited bad entry stays off rather than crashing a service
    }
  }

  /** The faults on right now, by name. */
  active(): Record<string, ParamValues> {
    return { ...this.snapshot };
  }

  private resolveAll(): Record<string, ParamValues> {
    return Object.fromEntries(FAULTS.map((f) => [f.name, this.resolve(f.name)]).filter(([, v]) => v)) as Record<string, ParamValues>;
  }

  // --- writing (only the gateway's admin API writes the file) ---

  private write(change: (flags: FlagdFile) => void): void {
    if (!this.file) throw new Error('no flags file configured (FAULTS_FILE)');
    const flags = readFlags(this.file);
    change(flags);
    this.load(writeFlags(this.file, flags), flags);
  }

  set(name: string, params: unknown): ParamValues {
    const values = validate(name, params);
    this.write((f) => {
      f.flags[name] = onFlag(values);
    });
    return values;
  }

  clear(name: string): void {
    if (!findFault(name)) throw new FaultInputError(404, 'unknown_fault', `no fault named "${name}" (see GET /admin/faults)`);
    this.write((f) => {
      f.flags[name] = offFlag();
    });
  }

  reset(): void {
    this.write((f) => {
      f.flags = Object.fromEntries(FAULTS.map((d) => [d.name, offFlag()]));
    });
  }

  scenario(name: string, seed = Date.now() % 100_000, reveal = true): Record<string, ParamValues> {
    const s = findScenario(name);
    if (!s) throw new FaultInputError(404, 'unknown_scenario', `no scenario named "${name}"`);
    const chosen = Object.fromEntries(Object.entries(s.faults(seed)).map(([k, v]) => [k, validate(k, { ...v, reveal })]));
    this.write((f) => {
      f.flags = Object.fromEntries(FAULTS.map((d) => [d.name, chosen[d.name] ? onFlag(chosen[d.name]) : offFlag()]));
    });
    return chosen;
  }
}
