import { z } from 'zod';
import { AppError } from './errors';

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

/** Path ids are UUIDs everywhere; anything else is a 404, never a database error. */
export const uuidParam = z.object({ id: z.uuid() });
