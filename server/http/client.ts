import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import type { BaseEnv } from './env';

/** Paths owned by the server itself: never answered with the client's `index.html`. */
const serverPaths = /^\/(api|collab|healthz)(\/|$)/;

const notBuilt =
  'The Accord client is not built yet. Run `npm run build` (or `npm start`, which builds it), then reload.';

/**
 * Serves the built client from `clientDir`, and `index.html` for any other GET path so that client
 * routes such as `/documents/<id>` load the app. Checks for the build on every request (cheaply), so
 * a build made while the server runs is picked up.
 */
export function clientRoutes(clientDir: string) {
  let files: MiddlewareHandler<BaseEnv> | undefined;
  let index: MiddlewareHandler<BaseEnv> | undefined;

  return new Hono<BaseEnv>().get('*', async (c, next) => {
    if (serverPaths.test(c.req.path)) return next();
    if (!existsSync(join(clientDir, 'index.html'))) return c.text(notBuilt, 200);
    files ??= serveStatic<BaseEnv>({ root: clientDir });
    index ??= serveStatic<BaseEnv>({
      root: clientDir,
      path: 'index.html',
      onFound: (_path, ctx) => {
        // The shell must be revalidated so a new build's asset names are picked up.
        ctx.header('Cache-Control', 'no-cache');
      },
    });
    const served = await files(c, async () => undefined);
    if (served) return served;
    return (await index(c, next)) ?? next();
  });
}
