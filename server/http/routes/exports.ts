import { exportQuerySchema } from '@shared/api/versions';
import { partKeys } from '@shared/versions/parts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { CollabControl, ServerContext } from '../../context';
import { readDocumentText } from '../../domain/documentText';
import { buildExportModel, type ExportOptions } from '../../domain/export/model';
import { renderExport } from '../../domain/export/render';
import { liveNumbering } from '../../domain/versions/numbering';
import { parseVersion } from '../../domain/versions/readVersion';
import { collectSnapshotParts, snapshotParts } from '../../domain/versions/snapshotParts';
import { Versions } from '../../store/versions';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { idParam, validate } from '../validate';
import { fileStem, readerAccess, versionReaderAccess } from './versions';

const versionParam = idParam.extend({ versionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** Which optional contents the given parts can provide. */
function availableOptions(keys: Iterable<string>): ExportOptions {
  const set = new Set(keys);
  return {
    status: set.has(partKeys.clauseStatus),
    annex: set.has(partKeys.consultationAnnex),
    threads: set.has(partKeys.openThreads),
  };
}

/**
 * `/api/documents/:id/export` (the live draft) and `/api/documents/:id/versions/:versionId/export`:
 * the text as DOCX, PDF, Markdown, HTML or Akoma Ntoso, optionally with clause statuses, the record
 * of consultation annex and open threads (from the snapshot parts other features provide). A
 * version's export carries its label, freeze date and hash.
 */
export function exportRoutes(ctx: ServerContext, collab: CollabControl) {
  const versions = new Versions(ctx.store);

  const attachment = (stem: string, extension: string) =>
    `attachment; filename="${stem}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${stem}.${extension}`)}`;

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/:id/export/options', validate('param', idParam), async (c) => {
      await readerAccess(ctx, c.var.user.id, c.req.valid('param').id);
      return c.json(availableOptions(snapshotParts().map((p) => p.key)));
    })
    .get('/:id/versions/:versionId/export/options', validate('param', versionParam), async (c) => {
      const { id, versionId } = c.req.valid('param');
      await versionReaderAccess(ctx, c.var.user.id, id, versionId);
      const record = await versions.getWithContent(id, versionId);
      if (!record) throw new HttpError(404, 'not_found', 'Version not found.');
      return c.json(availableOptions(Object.keys(parseVersion(record).content.parts)));
    })
    .get('/:id/export', validate('param', idParam), validate('query', exportQuerySchema), async (c) => {
      const access = await readerAccess(ctx, c.var.user.id, c.req.valid('param').id);
      const { format, ...options } = c.req.valid('query');
      const [text, numbering] = await Promise.all([
        readDocumentText(collab, access.document.id),
        liveNumbering(ctx, access.document),
      ]);
      const parts = await collectSnapshotParts(ctx, access.document.id, text.doc, text.state);
      const model = buildExportModel({
        documentId: access.document.id,
        dialogue: access.document.dialogueName,
        doc: text.doc,
        baseline: numbering.baseline,
        parts,
        version: null,
        options,
      });
      const file = await renderExport(format, model);
      const stem = `${fileStem(access.document.title)}-live-draft-${model.generatedAt.slice(0, 10)}`;
      return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
        'content-type': file.contentType,
        'content-length': String(file.body.byteLength),
        'content-disposition': attachment(stem, file.extension),
      });
    })
    .get(
      '/:id/versions/:versionId/export',
      validate('param', versionParam),
      validate('query', exportQuerySchema),
      async (c) => {
        const { id, versionId } = c.req.valid('param');
        const access = await versionReaderAccess(ctx, c.var.user.id, id, versionId);
        const record = await versions.getWithContent(id, versionId);
        if (!record) throw new HttpError(404, 'not_found', 'Version not found.');
        const { format, ...options } = c.req.valid('query');
        const { content, doc } = parseVersion(record);
        const model = buildExportModel({
          documentId: id,
          dialogue: access.document.dialogueName,
          doc,
          baseline: content.numbering,
          parts: content.parts,
          version: {
            label: record.label,
            meeting: record.meeting,
            note: record.note,
            frozenAt: record.frozenAt,
            frozenBy: content.frozenBy.name,
            hash: record.hash,
          },
          options,
        });
        const file = await renderExport(format, model);
        const stem = `${fileStem(content.document.title)}-${fileStem(record.label)}`;
        return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
          'content-type': file.contentType,
          'content-length': String(file.body.byteLength),
          'content-disposition': attachment(stem, file.extension),
          'x-accord-version-hash': record.hash,
        });
      },
    );
}
