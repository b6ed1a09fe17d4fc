import { importFieldsSchema, MAX_IMPORT_BYTES, uploadIdSchema } from '@shared/api/evidence';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { CollabControl, ServerContext } from '../../../context';
import { extractTextInWorker } from '../../../domain/evidence/extractInWorker';
import { ImportError } from '../../../domain/evidence/extractText';
import { ImportProgressBoard } from '../../../domain/evidence/importProgress';
import { auditLogFor } from '../../../store/auditLog';
import { EvidenceLibrary } from '../../../store/evidenceLibrary';
import { newId } from '../../../store/ids';
import type { AuthedEnv } from '../../env';
import { describeZodError, errorBody, HttpError } from '../../errors';
import { requireSession } from '../../middleware/requireSession';
import { idParam, validate } from '../../validate';
import { dialogueRole } from './access';
import { EvidenceAnnouncer } from './announce';

const importPath = /^\/api\/dialogues\/[A-Za-z0-9_-]{1,64}\/evidence\/imports\/?$/;

/** Whether a request path is a file import, which has its own body limit instead of the API's 1 MB. */
export function isEvidenceImportPath(path: string): boolean {
  return importPath.test(path);
}

/** The body limit of file imports ({@link MAX_IMPORT_BYTES}, plus room for the form around the file). */
export const importBodyLimit = bodyLimit({
  maxSize: MAX_IMPORT_BYTES + 64 * 1024,
  onError: (c) =>
    c.json(errorBody('payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB.`), 413),
});

const importQuery = z.object({ uploadId: uploadIdSchema.optional() });
const progressParam = idParam.extend({ uploadId: uploadIdSchema });

/** A file name as it may be shown and stored: no path, no control characters, at most 255 characters. */
function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (cleaned || 'upload').slice(0, 255);
}

function withoutExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name).replace(/[_-]+/g, ' ').trim() || name;
}

function field(form: Record<string, unknown>, name: string): string | undefined {
  const value = form[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `POST /api/dialogues/:id/evidence/imports` (multipart: `file` and the report's fields) extracts the
 * text of a plain-text, Markdown, DOCX or PDF file and stores the report in one statement — a file
 * that cannot be read leaves nothing behind. While the request runs, `GET …/imports/:uploadId` tells
 * the uploader where it stands (receiving, extracting page n of m, saving, done or failed).
 */
export function evidenceImportRoutes(ctx: ServerContext, collab: CollabControl) {
  const library = new EvidenceLibrary(ctx.store);
  const audit = auditLogFor(ctx.store);
  const announce = new EvidenceAnnouncer(ctx, collab);
  const board = new ImportProgressBoard();

  return new Hono<AuthedEnv>()
    // `/*` matches the bare `/imports` path too.
    .use('/:id/evidence/imports/*', requireSession(ctx))
    .get('/:id/evidence/imports/:uploadId', validate('param', progressParam), async (c) => {
      const { id, uploadId } = c.req.valid('param');
      await dialogueRole(ctx, c.var.user.id, id, 'evidence.manage');
      const progress = board.get(c.var.user.id, id, uploadId);
      if (!progress) throw new HttpError(404, 'not_found', 'No import with this id is known here.');
      return c.json(progress);
    })
    .post('/:id/evidence/imports', validate('param', idParam), validate('query', importQuery), async (c) => {
      const { id } = c.req.valid('param');
      const userId = c.var.user.id;
      await dialogueRole(ctx, userId, id, 'evidence.manage');
      const uploadId = c.req.valid('query').uploadId ?? newId();
      if (!board.start(userId, id, uploadId)) {
        throw new HttpError(409, 'conflict', 'An import with this upload id is already running.');
      }
      try {
        let form: Record<string, unknown>;
        try {
          form = (await c.req.parseBody()) as Record<string, unknown>;
        } catch (err) {
          if (err instanceof HttpError) throw err;
          throw new HttpError(400, 'invalid_input', 'The upload is not a valid multipart form with a "file" field.');
        }
        const file = form.file;
        if (!(file instanceof File)) {
          throw new HttpError(400, 'invalid_input', 'Invalid body: file: attach the file to import in the "file" field.');
        }
        const fields = importFieldsSchema.safeParse({
          country: field(form, 'country'),
          kind: field(form, 'kind'),
          focalPoint: field(form, 'focalPoint'),
          date: field(form, 'date'),
          title: field(form, 'title') || undefined,
        });
        if (!fields.success) throw new HttpError(400, 'invalid_input', describeZodError(fields.error));
        if (file.size === 0) throw new HttpError(422, 'unreadable_file', 'The file is empty.');
        if (file.size > MAX_IMPORT_BYTES) {
          throw new HttpError(413, 'payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB.`);
        }
        const filename = cleanFilename(file.name);
        board.set(userId, uploadId, 'extracting');
        const bytes = new Uint8Array(await file.arrayBuffer());
        const extracted = await extractTextInWorker(bytes, { filename, mediaType: file.type }, (pages) =>
          board.pages(userId, uploadId, pages),
        );
        board.set(userId, uploadId, 'saving');
        const meta = fields.data;
        const title = meta.title || extracted.title || withoutExtension(filename);
        const reportId = await library.createReport(
          id,
          { ...meta, title, text: extracted.text, source: extracted.format, sourceFilename: filename },
          userId,
        );
        board.set(userId, uploadId, 'done', { reportId });
        await audit.append({
          dialogueId: id,
          actorId: userId,
          action: 'evidence.report_imported',
          detail: {
            reportId,
            title,
            country: meta.country,
            kind: meta.kind,
            format: extracted.format,
            filename,
            bytes: file.size,
            characters: extracted.text.length,
          },
        });
        await announce.libraryChanged(id, 'report', reportId, 'created');
        return c.json({ report: await library.detail(id, reportId) }, 201);
      } catch (err) {
        const known =
          err instanceof ImportError
            ? new HttpError(err.status, err.code, err.message)
            : err instanceof HttpError
              ? err
              : null;
        board.set(userId, uploadId, 'failed', {
          error: known
            ? { code: known.code, message: known.message }
            : { code: 'internal', message: 'The import failed on the server.' },
        });
        throw known ?? err;
      }
    });
}
