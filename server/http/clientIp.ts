import type { Context } from 'hono';
import type { BaseEnv } from './env';

/**
 * The address of the client's socket. Forwarded headers are not trusted (anyone can send them); a
 * request without a socket (`app.request()` in tests) is `local`.
 */
export function clientIp(c: Context<BaseEnv>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? 'local';
}
