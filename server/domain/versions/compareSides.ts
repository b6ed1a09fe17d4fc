import type { CompareSide } from '@shared/diff';
import { clauseStatusPartSchema, partKeys, readPart } from '@shared/versions/parts';
import type { CollabControl, ServerContext } from '../../context';
import type { DocumentRecord } from '../../store/documents';
import { Versions } from '../../store/versions';
import { readDocumentText } from '../documentText';
import { liveNumbering } from './numbering';
import { parseVersion } from './readVersion';
import { collectPart } from './snapshotParts';

/** A text that can be compared: a frozen version, or the live draft (`live`). */
export interface LoadedSide {
  side: CompareSide;
  meta: {
    kind: 'version' | 'live';
    versionId: string | null;
    label: string;
    frozenAt: string | null;
    hash: string | null;
  };
}

/** The reference that names the live draft in comparisons and exports. */
export const LIVE = 'live';

/**
 * Loads one side of a comparison: a version of the document by id (its own text, numbering and
 * statuses as frozen), or the live draft (current text, its "bis" numbering when the setting is on,
 * current statuses when a feature provides them). Null when the version does not exist.
 */
export async function loadSide(
  ctx: ServerContext,
  collab: CollabControl,
  document: DocumentRecord,
  ref: string,
): Promise<LoadedSide | null> {
  if (ref === LIVE) {
    const [text, numbering] = await Promise.all([readDocumentText(collab, document.id), liveNumbering(ctx, document)]);
    const statuses = await collectPart(ctx, document.id, partKeys.clauseStatus, text.doc);
    return {
      side: {
        doc: text.doc,
        ...(numbering.baseline ? { baseline: numbering.baseline } : {}),
        statuses: readPart({ s: statuses }, 's', clauseStatusPartSchema),
      },
      meta: { kind: 'live', versionId: null, label: 'Live draft', frozenAt: null, hash: null },
    };
  }
  const record = await new Versions(ctx.store).getWithContent(document.id, ref);
  if (!record) return null;
  const { content, doc } = parseVersion(record);
  return {
    side: {
      doc,
      baseline: content.numbering,
      statuses: readPart(content.parts, partKeys.clauseStatus, clauseStatusPartSchema),
    },
    meta: { kind: 'version', versionId: record.id, label: record.label, frozenAt: record.frozenAt, hash: record.hash },
  };
}
