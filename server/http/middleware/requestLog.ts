import { createMiddleware } from 'hono/factory';
import type { Logger } from '../../logger';
import type { BaseEnv } from '../env';

/** Options of `requestLog`. */
export interface RequestLogOptions {
  /** Paths not logged when they succeed (health probes would drown the log). */
  quietPaths?: readonly string[];
  /** Path segments that are credentials, each replaced by `[redacted]` in the log line. */
  secretPaths?: readonly RegExp[];
}

/**
 * Paths that carry a credential: an invitation link's token (the API's and the client page's). Found
 * by issue 8's log search (tests/integration/access.secrets.test.ts), which caught the token in this log.
 */
export const defaultSecretPaths: readonly RegExp[] = [/^((?:\/api)?\/invitations\/)[^/]+/];

/** The path with its credential segments replaced, fit for a log. */
export function loggablePath(path: string, secretPaths: readonly RegExp[] = defaultSecretPaths): string {
  return secretPaths.reduce((p, re) => p.replace(re, '$1[redacted]'), path);
}

/**
 * Gives each request a logger bound to its request id (`c.var.log`) and logs one line when it ends:
 * method, path, status and duration. Headers are never logged, so cookies cannot leak into logs, and
 * credentials in paths (invitation tokens) are redacted.
 * Must run after Hono's `requestId()`.
 */
export function requestLog(
  logger: Logger,
  { quietPaths = ['/healthz'], secretPaths = defaultSecretPaths }: RequestLogOptions = {},
) {
  return createMiddleware<BaseEnv>(async function requestLog(c, next) {
    const log = logger.child({ reqId: c.get('requestId') });
    c.set('log', log);
    const start = performance.now();
    await next();
    const status = c.res.status;
    if (status < 400 && quietPaths.includes(c.req.path)) return;
    const ms = Math.round((performance.now() - start) * 10) / 10;
    const line = { method: c.req.method, path: loggablePath(c.req.path, secretPaths), status, ms };
    if (status >= 500) log.error(line, 'request');
    else log.info(line, 'request');
  });
}
