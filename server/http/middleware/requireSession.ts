import { createMiddleware } from 'hono/factory';
import { authenticate } from '../../auth/sessionFromCookie';
import type { ServerContext } from '../../context';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';

/**
 * Lets a request through only with a live session cookie, and sets `c.var.user` and
 * `c.var.sessionId`; otherwise answers 401 `unauthenticated`.
 */
export function requireSession(ctx: ServerContext) {
  return createMiddleware<AuthedEnv>(async function requireSession(c, next) {
    // Several sub-apps mounted on one prefix each run this; authenticate a request once.
    if (c.get('sessionId')) return next();
    const auth = await authenticate(ctx, c.req.header('cookie'));
    if (!auth) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
    c.set('user', auth.user);
    c.set('sessionId', auth.sessionId);
    await next();
  });
}
