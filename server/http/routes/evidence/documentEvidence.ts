import {
  coverageQuerySchema,
  createLinkBodySchema,
  linkListQuerySchema,
  recordQuerySchema,
  updateLinkBodySchema,
} from '@shared/api/evidence';
import { coverageClausesCsv, coverageReportsCsv } from '@shared/evidence/coverage';
import { renderRecordHtml, renderRecordMarkdown } from '@shared/evidence/record';
import type { Action } from '@shared/permissions';
import { Hono } from 'hono';
import { z } from 'zod';
import { type DocumentAccess, documentAccess } from '../../../auth/access';
import type { CollabControl, ServerContext } from '../../../context';
import { loadConsultationRecord, loadCoverage } from '../../../domain/evidence/documentEvidence';
import { readDocumentOutline } from '../../../domain/documentText';
import { auditLogFor } from '../../../store/auditLog';
import { EvidenceLibrary } from '../../../store/evidenceLibrary';
import { EvidenceLinks } from '../../../store/evidenceLinks';
import type { AuthedEnv } from '../../env';
import { HttpError } from '../../errors';
import { requireSession } from '../../middleware/requireSession';
import { idParam, validate } from '../../validate';
import { requireCan } from './access';
import { EvidenceAnnouncer } from './announce';

const linkParam = idParam.extend({ linkId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** A file name made from a document title: lower-case words joined by dashes. */
function slug(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return s || 'document';
}

/**
 * Evidence of one document, under `/api/documents/:id/evidence`: the links from its clauses to
 * excerpts (list, link, change, unlink), its coverage (JSON or CSV) and its record of consultation
 * (JSON, Markdown or HTML). Reading needs `evidence.read`, changing links `evidence.manage`.
 */
export function documentEvidenceRoutes(ctx: ServerContext, collab: CollabControl) {
  const links = new EvidenceLinks(ctx.store);
  const library = new EvidenceLibrary(ctx.store);
  const audit = auditLogFor(ctx.store);
  const announce = new EvidenceAnnouncer(ctx, collab);

  async function access(userId: string, documentId: string, action: Action): Promise<DocumentAccess> {
    const found = await documentAccess(ctx, userId, documentId);
    if (!found) throw new HttpError(404, 'not_found', 'Document not found.');
    requireCan(found.role, action);
    return found;
  }

  return new Hono<AuthedEnv>()
    .use('/:id/evidence/*', requireSession(ctx))
    .get('/:id/evidence/links', validate('param', idParam), validate('query', linkListQuerySchema), async (c) => {
      const { document } = await access(c.var.user.id, c.req.valid('param').id, 'evidence.read');
      return c.json({ links: await links.list(document.id, c.req.valid('query').clauseId) });
    })
    .post('/:id/evidence/links', validate('param', idParam), validate('json', createLinkBodySchema), async (c) => {
      const { document, dialogueId } = await access(c.var.user.id, c.req.valid('param').id, 'evidence.manage');
      const body = c.req.valid('json');
      const excerpt = await library.excerpt(dialogueId, body.excerptId);
      if (!excerpt) throw new HttpError(404, 'not_found', 'Excerpt not found in this dialogue’s library.');
      const { outline } = await readDocumentOutline(collab, document.id);
      const clause = outline.clauseById.get(body.clauseId);
      if (!clause) {
        throw new HttpError(
          404,
          'not_found',
          'This clause is not in the current text of the document. If it was just written, wait until it is saved and try again.',
        );
      }
      if (await links.exists(document.id, body.clauseId, body.excerptId)) {
        throw new HttpError(409, 'conflict', `Clause ${clause.number} already cites this excerpt.`);
      }
      let linkId: string;
      try {
        linkId = await links.create({ ...body, dialogueId, documentId: document.id }, c.var.user.id);
      } catch (err) {
        // Two people linked the same excerpt at the same moment: the unique constraint decided.
        if (await links.exists(document.id, body.clauseId, body.excerptId)) {
          throw new HttpError(409, 'conflict', `Clause ${clause.number} already cites this excerpt.`);
        }
        throw err;
      }
      await audit.append({
        dialogueId,
        documentId: document.id,
        actorId: c.var.user.id,
        action: 'evidence.link_created',
        detail: {
          linkId,
          clauseId: body.clauseId,
          clauseNumber: clause.number,
          excerptId: body.excerptId,
          reportId: excerpt.reportId,
          relation: body.relation,
        },
      });
      announce.linksChanged(document.id, [body.clauseId], linkId, 'created');
      return c.json({ link: await links.get(document.id, linkId) }, 201);
    })
    .patch(
      '/:id/evidence/links/:linkId',
      validate('param', linkParam),
      validate('json', updateLinkBodySchema),
      async (c) => {
        const { id, linkId } = c.req.valid('param');
        const { document, dialogueId } = await access(c.var.user.id, id, 'evidence.manage');
        const before = await links.get(document.id, linkId);
        if (!before) throw new HttpError(404, 'not_found', 'Link not found.');
        const change = c.req.valid('json');
        await links.update(document.id, linkId, change);
        await audit.append({
          dialogueId,
          documentId: document.id,
          actorId: c.var.user.id,
          action: 'evidence.link_updated',
          detail: {
            linkId,
            clauseId: before.clauseId,
            ...(change.relation !== undefined && { relation: { from: before.relation, to: change.relation } }),
            ...(change.note !== undefined && { note: { from: before.note, to: change.note } }),
          },
        });
        announce.linksChanged(document.id, [before.clauseId], linkId, 'updated');
        return c.json({ link: await links.get(document.id, linkId) });
      },
    )
    .delete('/:id/evidence/links/:linkId', validate('param', linkParam), async (c) => {
      const { id, linkId } = c.req.valid('param');
      const { document, dialogueId } = await access(c.var.user.id, id, 'evidence.manage');
      const before = await links.get(document.id, linkId);
      if (!before || !(await links.delete(document.id, linkId))) throw new HttpError(404, 'not_found', 'Link not found.');
      await audit.append({
        dialogueId,
        documentId: document.id,
        actorId: c.var.user.id,
        action: 'evidence.link_deleted',
        detail: {
          linkId,
          clauseId: before.clauseId,
          excerptId: before.excerpt.id,
          reportId: before.report.id,
          relation: before.relation,
        },
      });
      announce.linksChanged(document.id, [before.clauseId], linkId, 'deleted');
      return c.body(null, 204);
    })
    .get('/:id/evidence/coverage', validate('param', idParam), validate('query', coverageQuerySchema), async (c) => {
      const { document } = await access(c.var.user.id, c.req.valid('param').id, 'evidence.read');
      const coverage = await loadCoverage(ctx, collab, document);
      const { format, table } = c.req.valid('query');
      if (format === 'json') return c.json(coverage);
      const body = table === 'reports' ? coverageReportsCsv(coverage) : coverageClausesCsv(coverage);
      const name = `${slug(document.title)}-${table === 'reports' ? 'reports' : 'coverage'}.csv`;
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="${name}"`);
      // A byte-order mark, so that spreadsheets read the file as UTF-8 (country names with accents).
      return c.body(`\uFEFF${body}`);
    })
    .get('/:id/evidence/record', validate('param', idParam), validate('query', recordQuerySchema), async (c) => {
      const { document } = await access(c.var.user.id, c.req.valid('param').id, 'evidence.read');
      const record = await loadConsultationRecord(ctx, collab, document);
      const { format } = c.req.valid('query');
      if (format === 'json') return c.json(record);
      const name = `${slug(document.title)}-record-of-consultation`;
      if (format === 'markdown') {
        c.header('content-type', 'text/markdown; charset=utf-8');
        c.header('content-disposition', `attachment; filename="${name}.md"`);
        return c.body(renderRecordMarkdown(record));
      }
      c.header('content-type', 'text/html; charset=utf-8');
      c.header('content-disposition', `inline; filename="${name}.html"`);
      // The page is our own escaped HTML; forbid scripts outright all the same.
      c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      return c.body(renderRecordHtml(record, { standalone: true }));
    });
}
