import { createMiddleware } from 'hono/factory';
import { originAllowed } from '../../auth/origin';
import type { BaseEnv } from '../env';
import { HttpError } from '../errors';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests (POST, PATCH, PUT, DELETE …) whose Origin header names another
 * site: 403 `forbidden_origin`. Together with SameSite=Lax cookies this stops cross-site request forgery.
 */
export function checkOrigin({ allowedOrigins = [] as readonly string[] } = {}) {
  return createMiddleware<BaseEnv>(async function checkOrigin(c, next) {
    if (!safeMethods.has(c.req.method)) {
      const origin = c.req.header('origin');
      const host = c.req.header('host') ?? new URL(c.req.url).host;
      if (!originAllowed(origin, host, allowedOrigins)) {
        throw new HttpError(403, 'forbidden_origin', 'Requests from this origin are not allowed.');
      }
    }
    await next();
  });
}
