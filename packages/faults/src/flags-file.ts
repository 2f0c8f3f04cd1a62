import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ParamValues } from './params';

/**
 * The runtime fault switches, stored as a flagd flag definition file (the format the OpenFeature
 * ecosystem reads): one object flag per fault, variant "on" holding its parameters.
 */
export interface FlagdFile {
  $schema?: string;
  flags: Record<string, { state: 'ENABLED' | 'DISABLED'; variants: Record<string, unknown>; defaultVariant: string }>;
}

export const FLAGD_SCHEMA = 'https://flagd.dev/schema/v0/flags.json';

/** The flags file's text, or '' when there is none (yet). */
export function readFlagsText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function parseFlags(text: string): FlagdFile {
  try {
    const parsed = JSON.parse(text) as FlagdFile;
    return parsed && typeof parsed.flags === 'object' && parsed.flags ? parsed : { flags: {} };
  } catch {
    return { flags: {} };
  }
}

export const readFlags = (file: string): FlagdFile => parseFlags(readFlagsText(file));

/**
 * Which flags file a process has loaded: a short hash of its text ('' for none). Each service's
 * /healthz says it, so a caller can wait until every service applied a change, without being told
 * which faults are on (a quest's hidden incident stays hidden).
 */
export const flagsVersion = (text: string): string => (text ? createHash('sha256').update(text).digest('hex').slice(0, 12) : '');

/** Written to a temporary file and renamed, so readers never see half a file. Returns the text written. */
export function writeFlags(file: string, flags: FlagdFile): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID().slice(0, 8)}.tmp`;
  const text = `${JSON.stringify({ $schema: FLAGD_SCHEMA, flags: flags.flags }, null, 2)}\n`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return text;
}

/**
 * A hidden fault's parameters (a quest's incident) are kept encoded in the file, so that a learner
 * who opens it for something else does not read the answer by accident. Not a secret: base64url.
 */
const seal = (params: ParamValues) =>
  params.reveal === false ? { reveal: false, sealed: Buffer.from(JSON.stringify(params)).toString('base64url') } : params;

function unseal(variant: Record<string, unknown>): ParamValues {
  if (typeof variant.sealed !== 'string') return variant as ParamValues;
  try {
    return JSON.parse(Buffer.from(variant.sealed, 'base64url').toString('utf8')) as ParamValues;
  } catch {
    // Hand-edited into something unreadable: what is left fails validation, and the fault stays off.
    return variant as ParamValues;
  }
}

export const onFlag = (params: ParamValues) => ({
  state: 'ENABLED' as const,
  variants: { on: seal(params), off: {} },
  defaultVariant: 'on',
});
export const offFlag = () => ({ state: 'ENABLED' as const, variants: { on: {}, off: {} }, defaultVariant: 'off' });

/** Parameters of a flag that is on, or undefined when it is off, disabled or absent. */
export function flagParams(flags: FlagdFile, name: string): ParamValues | undefined | null {
  const f = flags.flags[name];
  if (!f) return null;
  if (f.state !== 'ENABLED' || f.defaultVariant !== 'on') return undefined;
  const v = f.variants?.on;
  return v && typeof v === 'object' ? unseal(v as Record<string, unknown>) : {};
}
