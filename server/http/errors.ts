import type { ErrorBody, ErrorCode } from '@shared/api/errors';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { Logger } from '../logger';

/** An error a route throws to answer with `{"error":{"code","message"}}` and a status. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The error body of the API. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** A readable summary of a zod failure that names the offending fields (at most three issues). */
export function describeZodError(error: z.core.$ZodError, where = 'body'): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path || where}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `Invalid ${where}: ${parts.join('; ')}${more}`;
}

const codeOfStatus: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/**
 * The app's error handler: known errors become their JSON answer; anything else is logged with its
 * stack and answered with a bare 500, so no internals reach the client.
 */
export function errorHandler(fallbackLogger: Logger): ErrorHandler {
  return function onError(err, c: Context) {
    if (err instanceof HttpError) {
      for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
      return c.json(errorBody(err.code, err.message), err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      const malformed = status === 400 && /json/i.test(err.message);
      const code: ErrorCode = malformed ? 'invalid_json' : (codeOfStatus[status] ?? 'internal');
      return c.json(errorBody(code, err.message || 'Request refused.'), status);
    }
    const log = (c.get('log') as Logger | undefined) ?? fallbackLogger;
    log.error({ err }, 'request failed');
    return c.json(errorBody('internal', 'Something went wrong on the server.'), 500);
  };
}

/** Answers unknown routes with a JSON 404. */
export const notFoundHandler: NotFoundHandler = (c) =>
  c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404);
