import { parse } from 'hono/utils/cookie';
import type { ServerContext } from '../context';
import { Sessions } from '../store/sessions';
import { type UserRecord, Users } from '../store/users';
import { SESSION_COOKIE } from './sessionCookie';

/** A signed-in user (without the password hash) and the id of their session. */
export interface Authenticated {
  user: Omit<UserRecord, 'passwordHash'>;
  sessionId: string;
}

/** The signed-in user of a session token, or null when the token is unknown or expired. */
export async function authenticateToken(ctx: ServerContext, token: string): Promise<Authenticated | null> {
  // Tokens are 43 base64url characters; anything far off is not worth a query.
  if (token.length < 16 || token.length > 128) return null;
  const session = await new Sessions(ctx.store).findByToken(token);
  if (!session) return null;
  const record = await new Users(ctx.store).findById(session.userId);
  if (!record) return null;
  const { passwordHash: _, ...user } = record;
  return { user, sessionId: session.id };
}

/**
 * The signed-in user of a request's raw `Cookie` header, or null. Used by the HTTP routes and by the
 * collaboration server at WebSocket upgrade.
 */
export async function authenticate(
  ctx: ServerContext,
  cookieHeader: string | null | undefined,
): Promise<Authenticated | null> {
  if (!cookieHeader) return null;
  const token = parse(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE];
  if (!token) return null;
  return authenticateToken(ctx, token);
}
