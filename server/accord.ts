import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { documentAccess } from './auth/access';
import { originAllowed } from './auth/origin';
import { authenticate } from './auth/sessionFromCookie';
import { RedisBus } from './collab/bus';
import { CollabServer } from './collab/collabServer';
import type { Config } from './config';
import type { ServerContext } from './context';
import { createHttpApp } from './http/app';
import type { Logger } from './logger';
import { seedDemo } from './seed/demo';
import { auditLogFor } from './store/auditLog';
import { openStore } from './store/db';

/** A running Accord: HTTP, API and collaboration on one port. */
export interface RunningAccord {
  url: string;
  port: number;
  ctx: ServerContext;
  collab: CollabServer;
  server: Server;
  /** Stores everything pending, closes every connection and the database. */
  close(): Promise<void>;
}

/**
 * Composition root: opens storage (migrating it), seeds the demo dialogue on an empty database,
 * connects to Redis when `REDIS_URL` is set (several processes serving the same documents), builds
 * the HTTP app and the collaboration server, and listens.
 */
export async function startAccord(config: Config, logger: Logger): Promise<RunningAccord> {
  const store = await openStore(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'sqlite', dataDir: config.dataDir },
    { onConnectionError: (err) => logger.warn({ err }, 'database connection lost; the next query reconnects') },
  );
  const ctx: ServerContext = { config, logger, store };
  if (config.seedDemo) await seedDemo(ctx);

  let bus: RedisBus | null = null;
  if (config.redisUrl) {
    bus = new RedisBus(config.redisUrl, logger);
    try {
      await bus.ready();
    } catch (err) {
      await bus.close();
      await store.close();
      throw err;
    }
    if (store.dialect === 'sqlite') {
      logger.info(
        'REDIS_URL is set with SQLite storage: every process must use the same ACCORD_DATA_DIR on one machine; use DATABASE_URL (PostgreSQL) across machines',
      );
    }
  }

  const audit = auditLogFor(store);
  const collab = new CollabServer(
    store,
    {
      authenticate: async (cookie) => {
        const auth = await authenticate(ctx, cookie);
        return auth ? { userId: auth.user.id, name: auth.user.name, email: auth.user.email } : null;
      },
      access: async (userId, documentId) => {
        const access = await documentAccess(ctx, userId, documentId);
        return access ? { dialogueId: access.dialogueId, role: access.role } : null;
      },
      originAllowed: (req) => originAllowed(req.headers.origin, req.headers.host, config.allowedOrigins),
    },
    audit,
    logger,
    { unloadAfterMs: config.unloadAfterMs, broadcastTickMs: config.broadcastTickMs, bus },
  );
  const app = createHttpApp({ ctx, collab });
  const server = createServer(getRequestListener(app.fetch));
  server.on('upgrade', (req, socket, head) => collab.handleUpgrade(req, socket, head));
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  logger.info(
    { port, url, storage: store.dialect, bus: bus ? 'redis' : 'none', processId: bus?.processId },
    'listening',
  );

  return {
    url,
    port,
    ctx,
    collab,
    server,
    close: async () => {
      server.close();
      await collab.close();
      server.closeAllConnections();
      await bus?.close();
      await store.close();
    },
  };
}
