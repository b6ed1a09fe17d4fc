import type { HttpBindings } from '@hono/node-server';
import type { RequestIdVariables } from 'hono/request-id';
import type { Authenticated } from '../auth/sessionFromCookie';
import type { Logger } from '../logger';

/** Variables every request has: its id and a logger bound to it. */
export type BaseVariables = RequestIdVariables & { log: Logger };

/**
 * The Hono environment of Accord's routes. Bindings are Node's request and response; they are absent
 * when a test calls `app.request()` without a socket, hence `Partial`.
 */
export interface BaseEnv {
  Bindings: Partial<HttpBindings>;
  Variables: BaseVariables;
}

/** Variables set by `requireSession`: the signed-in user and their session id. */
export type SessionVariables = { user: Authenticated['user']; sessionId: string };

/** The environment of routes behind `requireSession`. */
export interface AuthedEnv {
  Bindings: Partial<HttpBindings>;
  Variables: BaseVariables & SessionVariables;
}
