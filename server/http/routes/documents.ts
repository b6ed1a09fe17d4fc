import type { DocumentDetail, DocumentSummary } from '@shared/api/documents';
import { Hono } from 'hono';
import { documentAccess } from '../../auth/access';
import type { ServerContext } from '../../context';
import { Documents } from '../../store/documents';
import { Members } from '../../store/members';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { idParam, validate } from '../validate';
import { auditRoutes } from './audit';

/**
 * `/api/documents`: the documents the user may read (every document of every dialogue they are a
 * member of), and one document with its settings and members.
 */
export function documentRoutes(ctx: ServerContext) {
  const documents = new Documents(ctx.store);
  const members = new Members(ctx.store);

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/', async (c) => {
      const list: DocumentSummary[] = await documents.listReadableBy(c.var.user.id);
      return c.json(list);
    })
    .get('/:id', validate('param', idParam), async (c) => {
      const access = await documentAccess(ctx, c.var.user.id, c.req.valid('param').id);
      if (!access) throw new HttpError(404, 'not_found', 'Document not found.');
      const { document } = access;
      const detail: DocumentDetail = {
        id: document.id,
        title: document.title,
        dialogueId: document.dialogueId,
        dialogueName: document.dialogueName,
        role: access.role,
        settings: document.settings,
        members: await members.list(document.dialogueId),
      };
      return c.json(detail);
    })
    .route('/', auditRoutes(ctx));
}
