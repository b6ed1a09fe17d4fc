import { createMiddleware } from 'hono/factory';
import type { Logger } from '../../logger';
import type { BaseEnv } from '../env';

/** Options of `requestLog`. */
export interface RequestLogOptions {
  /** Paths not logged when they succeed (health probes would drown the log). */
  quietPaths?: readonly string[];
}

/**
 * Gives each request a logger bound to its request id (`c.var.log`) and logs one line when it ends:
 * method, path, status and duration. Headers are never logged, so cookies cannot leak into logs.
 * Must run after Hono's `requestId()`.
 */
export function requestLog(logger: Logger, { quietPaths = ['/healthz'] }: RequestLogOptions = {}) {
  return createMiddleware<BaseEnv>(async function requestLog(c, next) {
    const log = logger.child({ reqId: c.get('requestId') });
    c.set('log', log);
    const start = performance.now();
    await next();
    const status = c.res.status;
    if (status < 400 && quietPaths.includes(c.req.path)) return;
    const ms = Math.round((performance.now() - start) * 10) / 10;
    const line = { method: c.req.method, path: c.req.path, status, ms };
    if (status >= 500) log.error(line, 'request');
    else log.info(line, 'request');
  });
}
