import { id } from '@tracequest/contracts';
import type { Request } from 'express';
import type { z } from 'zod';
import { AppError, notFound } from './errors';

/** Parses untrusted input; a mismatch becomes a 400 naming the first offending fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues
    .slice(0, 5)
    .map((i) => `${[where, ...i.path].join('.')}: ${i.message}`)
    .join('; ');
  throw new AppError(400, 'validation_failed', details);
}

const uuid = id();

/** The `:id` of a path: ids are UUIDs everywhere, so anything else names nothing and is a 404. */
export function pathId(req: Request, what: string): string {
  const result = uuid.safeParse(req.params.id);
  if (!result.success) throw notFound(what);
  return result.data;
}
