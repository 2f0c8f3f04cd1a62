import { z } from 'zod';

/** A fault parameter: typed, bounded, defaulted, documented. Docs, CLI and validation all read it. */
export type Param =
  | { type: 'number'; default: number; min: number; max: number; integer?: boolean; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | {
      type: 'string';
      default?: string;
      optional?: boolean;
      choices?: readonly string[];
      maxLength?: number;
      /** The whole value matches this regular expression (its source), and `shape` says so in words. */
      pattern?: string;
      shape?: string;
      description: string;
    };

export type ParamSpec = Record<string, Param>;
export type ParamValues = Record<string, string | number | boolean | undefined>;

/** What a parameter takes, as an error message says it ("a number from 0 to 30000"). */
function expected(p: Param): string {
  if (p.type === 'number') return `${p.integer ? 'a whole number' : 'a number'} from ${p.min} to ${p.max}`;
  if (p.type === 'boolean') return 'true or false';
  if (p.choices) return `one of ${p.choices.join(', ')}`;
  return p.shape ?? `text of 1 to ${p.maxLength ?? 100} characters`;
}

function field(p: Param): z.ZodType {
  const error = `expected ${expected(p)}`;
  if (p.type === 'number') {
    const n = (p.integer ? z.number({ error }).int({ error }) : z.number({ error })).min(p.min, { error }).max(p.max, { error });
    return n.default(p.default);
  }
  if (p.type === 'boolean') return z.boolean({ error }).default(p.default);
  let s: z.ZodType = p.choices
    ? z.enum(p.choices as [string, ...string[]], { error })
    : z
        .string({ error })
        .min(1, { error })
        .max(p.maxLength ?? 100, { error })
        .regex(new RegExp(`^(?:${p.pattern ?? '[\\s\\S]*'})$`), { error });
  if (p.default !== undefined) return s.default(p.default);
  if (p.optional) s = s.optional();
  return s;
}

/**
 * Every fault also takes `reveal`: true (the default) marks the spans it touches with fault.name and
 * a fault.injected event; false leaves no marker, so a quest's cause has to be found in the traces.
 */
export const REVEAL: Param = {
  type: 'boolean',
  default: true,
  description: 'mark the spans it touches (fault.name, fault.injected); false hides the cause, as quests do',
};

/** The zod schema of a parameter spec: unknown keys and out-of-range values are rejected. */
export const schemaOf = (spec: ParamSpec) =>
  z.strictObject({
    ...Object.fromEntries(Object.entries(spec).map(([k, p]) => [k, field(p)])),
    // No default filled in: absent means revealed.
    reveal: z.boolean().optional(),
  });

/** Turns CLI/env `key=value` text into typed values following the spec (validation comes after). */
export function coerce(spec: ParamSpec, raw: Record<string, string>): ParamValues {
  const out: ParamValues = {};
  for (const [k, v] of Object.entries(raw)) {
    const p = k === 'reveal' ? REVEAL : spec[k];
    // Text that is not a number stays text, for the validation to name it (NaN would travel as null).
    if (p?.type === 'number') out[k] = v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    else if (p?.type === 'boolean') out[k] = v === 'true' ? true : v === 'false' ? false : (v as unknown as boolean);
    else out[k] = v;
  }
  return out;
}

export function describeParam(p: Param): string {
  if (p.type === 'number') return `number ${p.min}..${p.max}, default ${p.default}`;
  if (p.type === 'boolean') return `true/false, default ${p.default}`;
  const kind = p.choices ? `one of ${p.choices.join(', ')}` : 'text';
  return p.default !== undefined ? `${kind}, default ${p.default}` : p.optional ? `${kind}, optional` : `${kind}, required`;
}
