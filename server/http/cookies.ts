import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../auth/sessionCookie';
import type { Config } from '../config';
import { SESSION_TTL_MS } from '../store/sessions';

/** Whether the request reached us over TLS (directly or through a proxy that says so). */
function overTls(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

function options(c: Context, config: Pick<Config, 'secureCookies'>) {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: config.secureCookies || overTls(c),
  } as const;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over TLS, for the session's lifetime. */
export function setSessionCookie(c: Context, config: Pick<Config, 'secureCookies'>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { ...options(c, config), maxAge: Math.floor(SESSION_TTL_MS / 1000) });
}

/** Clears the session cookie. */
export function clearSessionCookie(c: Context, config: Pick<Config, 'secureCookies'>): void {
  deleteCookie(c, SESSION_COOKIE, options(c, config));
}
