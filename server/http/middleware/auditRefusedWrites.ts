import { createMiddleware } from 'hono/factory';
import { FixedWindowLimiter } from '../../auth/rateLimit';
import type { Logger } from '../../logger';
import type { AuditLog } from '../../store/auditLog';
import type { BaseEnv, SessionVariables } from '../env';
import { loggablePath } from './requestLog';

/** Options of `auditRefusedWrites`. */
export interface AuditRefusedWritesOptions {
  /** Refusals recorded per member per minute; past it they are only logged (a script cannot flood the log). */
  perMinute?: number;
}

/** The audit action of a state-changing request refused for want of rights. */
export const WRITE_REFUSED = 'request.write_refused';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records in the audit log every state-changing request a signed-in member was refused with 403
 * (PRODUCT §7: rejected writes are audited; the collaboration server does the same for writes over a
 * read-only socket). Signed-out and cross-origin requests never reach a member's rights and are only
 * in the request log. The request's document or dialogue is taken from its path.
 */
export function auditRefusedWrites(audit: AuditLog, logger: Logger, { perMinute = 120 }: AuditRefusedWritesOptions = {}) {
  const limiter = new FixedWindowLimiter({ max: perMinute, windowMs: 60_000 });
  return createMiddleware<BaseEnv>(async function auditRefusedWrites(c, next) {
    await next();
    if (c.res.status !== 403 || READS.has(c.req.method)) return;
    // Set by `requireSession` inside the sub-app that refused; absent when no member was established.
    const user = (c.var as Partial<SessionVariables>).user;
    if (!user) return;
    if (!limiter.hit(user.id).allowed) return;

    // Capped: a hostile path must not make a large entry.
    const path = loggablePath(c.req.path).slice(0, 300);
    const code = await c.res
      .clone()
      .json()
      .then((body: unknown) => (body as { error?: { code?: unknown } }).error?.code)
      .catch(() => undefined);
    try {
      await audit.append({
        documentId: /^\/api\/documents\/([^/]+)/.exec(path)?.[1] ?? null,
        dialogueId: /^\/api\/dialogues\/([^/]+)/.exec(path)?.[1] ?? null,
        actorId: user.id,
        action: WRITE_REFUSED,
        detail: { method: c.req.method, path, code: typeof code === 'string' ? code : 'forbidden' },
      });
    } catch (err) {
      // The refusal stands whether or not it could be recorded.
      logger.error({ err }, 'audit append failed');
    }
  });
}
