import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { type SignInLimits, SignInThrottle } from '../auth/rateLimit';
import type { CollabControl, ServerContext } from '../context';
import { clientRoutes } from './client';
import type { BaseEnv } from './env';
import { errorBody, errorHandler, notFoundHandler } from './errors';
import { auditLogFor } from '../store/auditLog';
import { auditRefusedWrites } from './middleware/auditRefusedWrites';
import { checkOrigin } from './middleware/checkOrigin';
import { requestLog } from './middleware/requestLog';
import { documentRoutes } from './routes/documents';
import { documentEvidenceRoutes } from './routes/evidence/documentEvidence';
import { evidenceImportRoutes, importBodyLimit, isEvidenceImportPath } from './routes/evidence/imports';
import { evidenceLibraryRoutes } from './routes/evidence/library';
import { exportRoutes } from './routes/exports';
import '../domain/versions/parts/index';
import { healthRoutes } from './routes/health';
import { invitationRoutes, roundRoutes } from './routes/rounds';
import { inboxRoutes } from './routes/inbox';
import { memberRoutes } from './routes/members';
import { negotiationRoutes } from './routes/negotiation';
import { sessionRoutes } from './routes/session';
import { versionRoutes } from './routes/versions';
import { threadRoutes } from './routes/threads';

/** Largest request body the API accepts. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the HTTP app is built from. */
export interface HttpAppDeps {
  ctx: ServerContext;
  collab: CollabControl;
  /** Sign-in rate limits (tests lower them). */
  signInLimits?: SignInLimits;
}

/**
 * Accord's HTTP app: the REST API under `/api`, `/healthz`, and the built client for every other
 * GET. Errors are always `{"error":{"code","message"}}` (see docs/api.md).
 */
export function createHttpApp({ ctx, collab, signInLimits }: HttpAppDeps) {
  const throttle = new SignInThrottle(signInLimits);
  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', 'The request body is larger than 1 MB.'), 413),
  });

  const app = new Hono<BaseEnv>()
    .use(requestId())
    .use(requestLog(ctx.logger))
    .use(checkOrigin({ allowedOrigins: ctx.config.allowedOrigins }))
    .use('/api/*', auditRefusedWrites(auditLogFor(ctx.store), ctx.logger))
    // File imports of the evidence library have their own, larger limit.
    .use('/api/*', (c, next) => (isEvidenceImportPath(c.req.path) ? importBodyLimit(c, next) : jsonBodyLimit(c, next)))
    .route('/healthz', healthRoutes(ctx))
    .route('/api/session', sessionRoutes(ctx, throttle))
    .route('/api/documents', documentRoutes(ctx))
    .route('/api/documents', negotiationRoutes(ctx, collab))
    .route('/api/documents', versionRoutes(ctx, collab))
    .route('/api/documents', exportRoutes(ctx, collab))
    .route('/api/documents', roundRoutes(ctx, collab))
    .route('/api/invitations', invitationRoutes(ctx, collab))
    .route('/api/documents', threadRoutes(ctx, collab))
    .route('/api/inbox', inboxRoutes(ctx))
    .route('/api/dialogues', memberRoutes(ctx, collab))
    .route('/api/dialogues', evidenceLibraryRoutes(ctx, collab))
    .route('/api/dialogues', evidenceImportRoutes(ctx, collab))
    .route('/api/documents', documentEvidenceRoutes(ctx, collab))
    .route('/', clientRoutes(ctx.config.clientDir));

  app.onError(errorHandler(ctx.logger));
  app.notFound(notFoundHandler);
  return app;
}

/** The type of the app, for a typed client (`hc<AppType>()` from `hono/client`). */
export type AppType = ReturnType<typeof createHttpApp>;
