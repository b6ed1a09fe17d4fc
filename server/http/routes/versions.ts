import {
  type CompareAnswer,
  compareQuerySchema,
  freezeBodySchema,
  type NumberingAnswer,
  numberingBodySchema,
  restoreBodySchema,
  type VersionSummary,
} from '@shared/api/versions';
import { compareDocuments } from '@shared/diff';
import { can } from '@shared/permissions';
import { sha256Hex } from '@shared/versions/content';
import { Hono } from 'hono';
import { z } from 'zod';
import { type DocumentAccess, documentAccess } from '../../auth/access';
import type { CollabControl, ServerContext } from '../../context';
import { readDocumentText } from '../../domain/documentText';
import { LIVE, loadSide } from '../../domain/versions/compareSides';
import { freezeVersion } from '../../domain/versions/freeze';
import { liveNumbering } from '../../domain/versions/numbering';
import { parseVersion } from '../../domain/versions/readVersion';
import { updateToMatch } from '../../domain/versions/restore';
import { auditLogFor } from '../../store/auditLog';
import { Documents } from '../../store/documents';
import { Rounds } from '../../store/rounds';
import { DuplicateLabelError, type VersionRecord, Versions } from '../../store/versions';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { idParam, validate } from '../validate';

const versionParam = idParam.extend({ versionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** The wire form of a stored version. */
export function versionSummary(record: VersionRecord): VersionSummary {
  return {
    id: record.id,
    seq: record.seq,
    label: record.label,
    meeting: record.meeting,
    note: record.note,
    frozenAt: record.frozenAt,
    frozenBy: { id: record.frozenBy, name: record.frozenByName },
    hash: record.hash,
  };
}

/** A filename-safe form of a label: "Rev.1" → "Rev.1", "Zero draft" → "Zero-draft". */
export function fileStem(label: string): string {
  return label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'version';
}

/**
 * The caller's access to a document for reading its versions and live text: 404 when not a member
 * (as everywhere), 403 for a role that may not read the live draft (a validator reads only the
 * version of their round: see {@link versionReaderAccess}).
 */
export async function readerAccess(ctx: ServerContext, userId: string, documentId: string): Promise<DocumentAccess> {
  const access = await documentAccess(ctx, userId, documentId);
  if (!access) throw new HttpError(404, 'not_found', 'Document not found.');
  if (!can(access.role, 'document.readLive')) {
    throw new HttpError(403, 'forbidden', 'Your role may read only the version of your validation round.');
  }
  return access;
}

/**
 * The caller's access to one version: everyone who reads the document reads its versions; a
 * validator reads a version only when they validate a round on it (403 otherwise).
 */
export async function versionReaderAccess(
  ctx: ServerContext,
  userId: string,
  documentId: string,
  versionId: string,
): Promise<DocumentAccess> {
  const access = await documentAccess(ctx, userId, documentId);
  if (!access) throw new HttpError(404, 'not_found', 'Document not found.');
  if (can(access.role, 'document.readLive')) return access;
  if (await new Rounds(ctx.store).validatesVersion(userId, documentId, versionId)) return access;
  throw new HttpError(403, 'forbidden', 'You may read only the version of your validation round.');
}

/**
 * `/api/documents/:id/versions…`, `/compare` and `/numbering`: the version timeline, freezing,
 * reading a version (and its exact content file), verifying its hash, restoring it as a forward
 * edit, comparing any two texts clause by clause, and the live draft's "bis" numbering.
 */
export function versionRoutes(ctx: ServerContext, collab: CollabControl) {
  const versions = new Versions(ctx.store);
  const documents = new Documents(ctx.store);
  const audit = auditLogFor(ctx.store);

  async function versionOf(documentId: string, versionId: string) {
    const record = await versions.getWithContent(documentId, versionId);
    if (!record) throw new HttpError(404, 'not_found', 'Version not found.');
    return record;
  }

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/:id/versions', validate('param', idParam), async (c) => {
      const access = await readerAccess(ctx, c.var.user.id, c.req.valid('param').id);
      const list = await versions.list(access.document.id);
      return c.json({ versions: list.map(versionSummary) });
    })
    .post('/:id/versions', validate('param', idParam), validate('json', freezeBodySchema), async (c) => {
      const access = await readerAccess(ctx, c.var.user.id, c.req.valid('param').id);
      if (!can(access.role, 'version.freeze')) {
        throw new HttpError(403, 'forbidden', 'Only the Secretariat and Co-Chairs may freeze a version.');
      }
      try {
        const version = await freezeVersion(
          ctx,
          collab,
          access.document,
          { id: c.var.user.id, name: c.var.user.name },
          c.req.valid('json'),
        );
        return c.json({ version: versionSummary(version) }, 201);
      } catch (err) {
        if (err instanceof DuplicateLabelError) throw new HttpError(409, 'conflict', err.message);
        throw err;
      }
    })
    .get('/:id/versions/:versionId', validate('param', versionParam), async (c) => {
      const { id, versionId } = c.req.valid('param');
      await versionReaderAccess(ctx, c.var.user.id, id, versionId);
      const record = await versionOf(id, versionId);
      return c.json({ version: versionSummary(record), content: parseVersion(record).content });
    })
    .get('/:id/versions/:versionId/content', validate('param', versionParam), async (c) => {
      const { id, versionId } = c.req.valid('param');
      await versionReaderAccess(ctx, c.var.user.id, id, versionId);
      const record = await versionOf(id, versionId);
      // The exact stored bytes: `sha256sum` on the downloaded file gives the version's hash.
      return c.body(record.content, 200, {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${fileStem(record.label)}.accord.json"`,
        'x-accord-version-hash': record.hash,
      });
    })
    .get('/:id/versions/:versionId/state', validate('param', versionParam), async (c) => {
      const { id, versionId } = c.req.valid('param');
      await versionReaderAccess(ctx, c.var.user.id, id, versionId);
      const record = await versionOf(id, versionId);
      // The frozen Yjs state (its SHA-256 is the content's `yjsStateSha256`): the version page renders
      // it to anchor feedback into the version's text with Yjs relative positions, as on the live draft.
      return c.body(record.yjsState as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'application/octet-stream',
        'content-length': String(record.yjsState.byteLength),
        'cache-control': 'private, no-cache',
      });
    })
    .get('/:id/versions/:versionId/verify', validate('param', versionParam), async (c) => {
      const { id, versionId } = c.req.valid('param');
      await versionReaderAccess(ctx, c.var.user.id, id, versionId);
      const record = await versionOf(id, versionId);
      const computedHash = await sha256Hex(record.content);
      return c.json({ ok: computedHash === record.hash, storedHash: record.hash, computedHash });
    })
    .post(
      '/:id/versions/:versionId/restore',
      validate('param', versionParam),
      validate('json', restoreBodySchema),
      async (c) => {
        const { id, versionId } = c.req.valid('param');
        const access = await readerAccess(ctx, c.var.user.id, id);
        if (!can(access.role, 'version.restore')) {
          throw new HttpError(403, 'forbidden', 'Only the Secretariat and Co-Chairs may restore a version.');
        }
        const { record, doc } = parseVersion(await versionOf(id, versionId));
        const current = await readDocumentText(collab, id);
        const update = updateToMatch(current.state, doc);
        await collab.applyServerUpdate(id, update, c.var.user.id);
        await audit.append({
          dialogueId: access.dialogueId,
          documentId: id,
          actorId: c.var.user.id,
          action: 'version.restored',
          detail: { versionId: record.id, label: record.label, hash: record.hash },
        });
        collab.publish({ type: 'version.restored', documentId: id, versionId: record.id, label: record.label });
        return c.json({ restored: versionSummary(record) });
      },
    )
    .get('/:id/compare', validate('param', idParam), validate('query', compareQuerySchema), async (c) => {
      const access = await readerAccess(ctx, c.var.user.id, c.req.valid('param').id);
      const { from, to } = c.req.valid('query');
      const [before, after] = await Promise.all([
        loadSide(ctx, collab, access.document, from),
        loadSide(ctx, collab, access.document, to),
      ]);
      if (!before || !after) {
        throw new HttpError(404, 'not_found', `Version not found: use a version id or "${LIVE}".`);
      }
      const answer: CompareAnswer = {
        from: before.meta,
        to: after.meta,
        comparison: compareDocuments(before.side, after.side),
      };
      return c.json(answer);
    })
    .get('/:id/numbering', validate('param', idParam), async (c) => {
      const access = await readerAccess(ctx, c.var.user.id, c.req.valid('param').id);
      const answer: NumberingAnswer = await liveNumbering(ctx, access.document);
      return c.json(answer);
    })
    .put('/:id/numbering', validate('param', idParam), validate('json', numberingBodySchema), async (c) => {
      const access = await readerAccess(ctx, c.var.user.id, c.req.valid('param').id);
      if (!can(access.role, 'document.setPolicy')) {
        throw new HttpError(403, 'forbidden', 'Only the Secretariat may change how the document is numbered.');
      }
      const { bisNumbering } = c.req.valid('json');
      const before = access.document.settings.bisNumbering;
      const settings = await documents.setSettings(access.document.id, { ...access.document.settings, bisNumbering });
      if (before !== bisNumbering) {
        await audit.append({
          dialogueId: access.dialogueId,
          documentId: access.document.id,
          actorId: c.var.user.id,
          action: 'document.numbering_changed',
          detail: { bisNumbering },
        });
        collab.publish({ type: 'version.numbering', documentId: access.document.id, bisNumbering });
      }
      const answer: NumberingAnswer = await liveNumbering(ctx, { ...access.document, settings });
      return c.json(answer);
    });
}
