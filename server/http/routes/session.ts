import { signInBodySchema } from '@shared/api/session';
import { Hono } from 'hono';
import { verifyAgainstDummy, verifyPassword } from '../../auth/password';
import type { SignInThrottle } from '../../auth/rateLimit';
import { authenticate } from '../../auth/sessionFromCookie';
import type { ServerContext } from '../../context';
import { Sessions } from '../../store/sessions';
import { Users } from '../../store/users';
import { clientIp } from '../clientIp';
import { clearSessionCookie, setSessionCookie } from '../cookies';
import type { BaseEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { validate } from '../validate';

/**
 * `/api/session`: sign in (POST), who am I (GET), sign out (DELETE). Each sign-in opens a new
 * session with a fresh token and ends the one the browser presented, if any.
 */
export function sessionRoutes(ctx: ServerContext, throttle: SignInThrottle) {
  const users = new Users(ctx.store);
  const sessions = new Sessions(ctx.store);

  return new Hono<BaseEnv>()
    .post('/', validate('json', signInBodySchema), async (c) => {
      const { email, password } = c.req.valid('json');
      const ip = clientIp(c);
      const decision = throttle.attempt(ip, email);
      if (!decision.allowed) {
        c.var.log.warn({ ip }, 'sign-in rate limited');
        throw new HttpError(429, 'rate_limited', 'Too many sign-in attempts. Try again later.', {
          'Retry-After': String(decision.retryAfterSeconds),
        });
      }
      const user = await users.findByEmail(email);
      const ok = user
        ? await verifyPassword(password, user.passwordHash)
        : await verifyAgainstDummy(password);
      if (!user || !ok) {
        c.var.log.info({ userId: user?.id ?? null }, 'sign-in refused');
        throw new HttpError(401, 'invalid_credentials', 'Email or password is incorrect.');
      }
      throttle.succeeded(ip, email);

      const previous = await authenticate(ctx, c.req.header('cookie'));
      if (previous) await sessions.delete(previous.sessionId);
      const { token } = await sessions.create(user.id);
      setSessionCookie(c, ctx.config, token);
      // Housekeeping off the response path; a failure only leaves stale rows behind.
      sessions
        .deleteExpired()
        .catch((err: unknown) => c.var.log.warn({ err }, 'expired session cleanup failed'));
      c.var.log.info({ userId: user.id }, 'signed in');
      return c.json({
        user: { id: user.id, email: user.email, name: user.name, affiliation: user.affiliation },
      });
    })
    .get('/', requireSession(ctx), (c) => {
      const { id, email, name, affiliation } = c.var.user;
      return c.json({ user: { id, email, name, affiliation } });
    })
    .delete('/', async (c) => {
      const auth = await authenticate(ctx, c.req.header('cookie'));
      if (auth) await sessions.delete(auth.sessionId);
      clearSessionCookie(c, ctx.config);
      return c.body(null, 204);
    });
}
