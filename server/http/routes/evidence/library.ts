import {
  createExcerptBodySchema,
  createReportBodySchema,
  librarySearchQuerySchema,
  updateExcerptBodySchema,
  updateReportBodySchema,
} from '@shared/api/evidence';
import { Hono } from 'hono';
import { z } from 'zod';
import type { CollabControl, ServerContext } from '../../../context';
import { auditLogFor } from '../../../store/auditLog';
import { EvidenceLibrary } from '../../../store/evidenceLibrary';
import { evidenceSearchFor } from '../../../store/evidenceSearch';
import type { AuthedEnv } from '../../env';
import { HttpError } from '../../errors';
import { requireSession } from '../../middleware/requireSession';
import { idParam, validate } from '../../validate';
import { dialogueRole } from './access';
import { EvidenceAnnouncer } from './announce';

const recordId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const reportParam = idParam.extend({ reportId: recordId });
const excerptParam = idParam.extend({ excerptId: recordId });

/**
 * The evidence library of a dialogue, under `/api/dialogues/:id/evidence`: reports (list and search,
 * create by hand, read, change, delete), their excerpts (create from a passage, change themes and
 * note, delete, search) and the filters' facets. Any member who may read the live draft reads;
 * `evidence.manage` changes. Every change is audit-logged and announced live to the viewers of the
 * dialogue's documents. File imports are in `imports.ts`.
 */
export function evidenceLibraryRoutes(ctx: ServerContext, collab: CollabControl) {
  const library = new EvidenceLibrary(ctx.store);
  const search = evidenceSearchFor(ctx.store);
  const audit = auditLogFor(ctx.store);
  const announce = new EvidenceAnnouncer(ctx, collab);

  return new Hono<AuthedEnv>()
    .use('/:id/evidence/*', requireSession(ctx))
    .get('/:id/evidence/facets', validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await dialogueRole(ctx, c.var.user.id, id, 'evidence.read');
      return c.json(await library.facets(id));
    })
    .get('/:id/evidence/reports', validate('param', idParam), validate('query', librarySearchQuerySchema), async (c) => {
      const { id } = c.req.valid('param');
      await dialogueRole(ctx, c.var.user.id, id, 'evidence.read');
      return c.json(await search.reports(id, c.req.valid('query')));
    })
    .get('/:id/evidence/excerpts', validate('param', idParam), validate('query', librarySearchQuerySchema), async (c) => {
      const { id } = c.req.valid('param');
      await dialogueRole(ctx, c.var.user.id, id, 'evidence.read');
      return c.json(await search.excerpts(id, c.req.valid('query')));
    })
    .post('/:id/evidence/reports', validate('param', idParam), validate('json', createReportBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      await dialogueRole(ctx, c.var.user.id, id, 'evidence.manage');
      const body = c.req.valid('json');
      const text = body.text.replace(/\r\n?/g, '\n');
      const reportId = await library.createReport(
        id,
        { ...body, text, source: 'manual', sourceFilename: null },
        c.var.user.id,
      );
      await audit.append({
        dialogueId: id,
        actorId: c.var.user.id,
        action: 'evidence.report_created',
        detail: { reportId, title: body.title, country: body.country, kind: body.kind, characters: text.length },
      });
      await announce.libraryChanged(id, 'report', reportId, 'created');
      return c.json({ report: await library.detail(id, reportId) }, 201);
    })
    .get('/:id/evidence/reports/:reportId', validate('param', reportParam), async (c) => {
      const { id, reportId } = c.req.valid('param');
      await dialogueRole(ctx, c.var.user.id, id, 'evidence.read');
      const report = await library.detail(id, reportId);
      if (!report) throw new HttpError(404, 'not_found', 'Report not found.');
      return c.json({ report });
    })
    .patch(
      '/:id/evidence/reports/:reportId',
      validate('param', reportParam),
      validate('json', updateReportBodySchema),
      async (c) => {
        const { id, reportId } = c.req.valid('param');
        await dialogueRole(ctx, c.var.user.id, id, 'evidence.manage');
        const before = await library.summary(id, reportId);
        if (!before) throw new HttpError(404, 'not_found', 'Report not found.');
        const change = c.req.valid('json');
        await library.updateReport(id, reportId, change);
        const from: Record<string, unknown> = {};
        for (const key of Object.keys(change) as (keyof typeof change)[]) from[key] = before[key];
        await audit.append({
          dialogueId: id,
          actorId: c.var.user.id,
          action: 'evidence.report_updated',
          detail: { reportId, from, to: change },
        });
        await announce.libraryChanged(id, 'report', reportId, 'updated');
        return c.json({ report: await library.detail(id, reportId) });
      },
    )
    .delete('/:id/evidence/reports/:reportId', validate('param', reportParam), async (c) => {
      const { id, reportId } = c.req.valid('param');
      await dialogueRole(ctx, c.var.user.id, id, 'evidence.manage');
      const removed = await library.deleteReport(id, reportId);
      if (!removed) throw new HttpError(404, 'not_found', 'Report not found.');
      await audit.append({
        dialogueId: id,
        actorId: c.var.user.id,
        action: 'evidence.report_deleted',
        detail: { reportId, title: removed.title, excerpts: removed.excerpts, links: removed.links.length },
      });
      await announce.libraryChanged(id, 'report', reportId, 'deleted');
      announce.linksRemoved(removed.links);
      return c.body(null, 204);
    })
    .post(
      '/:id/evidence/reports/:reportId/excerpts',
      validate('param', reportParam),
      validate('json', createExcerptBodySchema),
      async (c) => {
        const { id, reportId } = c.req.valid('param');
        await dialogueRole(ctx, c.var.user.id, id, 'evidence.manage');
        const text = await library.text(id, reportId);
        if (text === null) throw new HttpError(404, 'not_found', 'Report not found.');
        const body = c.req.valid('json');
        if (body.end > text.length || text.slice(body.start, body.end) !== body.quote) {
          throw new HttpError(
            400,
            'invalid_input',
            'Invalid body: quote: the quoted passage is not the text of the report at these offsets.',
          );
        }
        if (body.quote.trim().length === 0) {
          throw new HttpError(400, 'invalid_input', 'Invalid body: quote: select some text, not only spaces.');
        }
        const excerpt = await library.createExcerpt(id, reportId, body, c.var.user.id);
        await audit.append({
          dialogueId: id,
          actorId: c.var.user.id,
          action: 'evidence.excerpt_created',
          detail: { reportId, excerptId: excerpt.id, start: body.start, end: body.end, themes: excerpt.themes },
        });
        await announce.libraryChanged(id, 'excerpt', excerpt.id, 'created');
        return c.json({ excerpt }, 201);
      },
    )
    .patch(
      '/:id/evidence/excerpts/:excerptId',
      validate('param', excerptParam),
      validate('json', updateExcerptBodySchema),
      async (c) => {
        const { id, excerptId } = c.req.valid('param');
        await dialogueRole(ctx, c.var.user.id, id, 'evidence.manage');
        const before = await library.excerpt(id, excerptId);
        if (!before) throw new HttpError(404, 'not_found', 'Excerpt not found.');
        const change = c.req.valid('json');
        await library.updateExcerpt(id, excerptId, change);
        await audit.append({
          dialogueId: id,
          actorId: c.var.user.id,
          action: 'evidence.excerpt_updated',
          detail: {
            excerptId,
            reportId: before.reportId,
            ...(change.themes !== undefined && { themes: { from: before.themes, to: change.themes } }),
            ...(change.note !== undefined && { note: { from: before.note, to: change.note } }),
          },
        });
        await announce.libraryChanged(id, 'excerpt', excerptId, 'updated');
        return c.json({ excerpt: await library.excerpt(id, excerptId) });
      },
    )
    .delete('/:id/evidence/excerpts/:excerptId', validate('param', excerptParam), async (c) => {
      const { id, excerptId } = c.req.valid('param');
      await dialogueRole(ctx, c.var.user.id, id, 'evidence.manage');
      const removed = await library.deleteExcerpt(id, excerptId);
      if (!removed) throw new HttpError(404, 'not_found', 'Excerpt not found.');
      await audit.append({
        dialogueId: id,
        actorId: c.var.user.id,
        action: 'evidence.excerpt_deleted',
        detail: { excerptId, reportId: removed.reportId, links: removed.links.length },
      });
      await announce.libraryChanged(id, 'excerpt', excerptId, 'deleted');
      announce.linksRemoved(removed.links);
      return c.body(null, 204);
    });
}
