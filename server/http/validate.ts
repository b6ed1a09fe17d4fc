import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { describeZodError, HttpError } from './errors';

const targetNames: Partial<Record<keyof ValidationTargets, string>> = {
  json: 'body',
  query: 'query',
  param: 'path',
};

/**
 * Validates part of a request with a zod schema, keeping Hono's typing (`c.req.valid(target)`);
 * a failure answers 400 `invalid_input` with a message naming the field. Path parameters that do not
 * validate answer 404 instead: an id that cannot exist is simply not found.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (result.success) return;
    if (target === 'param') throw new HttpError(404, 'not_found', 'Not found.');
    throw new HttpError(400, 'invalid_input', describeZodError(result.error, targetNames[target] ?? target));
  });
}

/** Path parameter of a document or dialogue id (the shape `newId` makes, and the collab path accepts). */
export const idParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
