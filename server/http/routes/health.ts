import { Hono } from 'hono';
import { sql } from 'kysely';
import type { ServerContext } from '../../context';
import type { BaseEnv } from '../env';
import { HttpError } from '../errors';

/** `GET /healthz`: 200 `{"ok":true}` while the database answers, 503 otherwise. */
export function healthRoutes(ctx: ServerContext) {
  return new Hono<BaseEnv>().get('/', async (c) => {
    try {
      await sql`select 1`.execute(ctx.store.db);
    } catch (err) {
      c.var.log.error({ err }, 'health check: database unreachable');
      throw new HttpError(503, 'internal', 'The database is unreachable.');
    }
    return c.json({ ok: true as const });
  });
}
