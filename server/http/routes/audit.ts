import { type AuditPage, auditQuerySchema } from '@shared/api/audit';
import type { Role } from '@shared/permissions';
import { Hono } from 'hono';
import { documentAccess } from '../../auth/access';
import type { ServerContext } from '../../context';
import { auditLogFor } from '../../store/auditLog';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { idParam, validate } from '../validate';

/** Roles that may read a document's audit log. */
export const auditReaders: readonly Role[] = ['secretariat', 'co_chair'];

/**
 * `GET /api/documents/:id/audit`: the document's audit entries and its dialogue's membership
 * changes, newest first, for the Secretariat and Co-Chairs. Mounted inside `documentRoutes`, behind
 * its `requireSession`.
 */
export function auditRoutes(ctx: ServerContext) {
  const log = auditLogFor(ctx.store);

  return new Hono<AuthedEnv>().get(
    '/:id/audit',
    validate('param', idParam),
    validate('query', auditQuerySchema),
    async (c) => {
      const access = await documentAccess(ctx, c.var.user.id, c.req.valid('param').id);
      if (!access) throw new HttpError(404, 'not_found', 'Document not found.');
      if (!auditReaders.includes(access.role)) {
        throw new HttpError(403, 'forbidden', 'Only the Secretariat and Co-Chairs may read the audit log.');
      }
      const { limit, before } = c.req.valid('query');
      const rows = await log.list({
        documentId: access.document.id,
        dialogueId: access.dialogueId,
        includeDialogueWide: true,
        limit,
        before,
      });
      const page: AuditPage = {
        entries: rows.map((r) => ({
          id: r.id,
          at: r.createdAt,
          actorId: r.actorId,
          actorName: r.actorName,
          action: r.action,
          detail: r.detail,
        })),
        nextBefore: rows.length === limit ? (rows.at(-1)?.id ?? null) : null,
      };
      return c.json(page);
    },
  );
}
