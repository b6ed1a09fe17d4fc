import { computeOutline, baselineFromOutline } from '@shared/numbering';
import {
  canonicalVersionText,
  sha256Hex,
  VERSION_FORMAT,
  type ProseMirrorJson,
  type VersionContent,
} from '@shared/versions/content';
import type { CollabControl, ServerContext } from '../../context';
import { auditLogFor } from '../../store/auditLog';
import type { DocumentRecord } from '../../store/documents';
import { type VersionRecord, Versions } from '../../store/versions';
import { readDocumentText } from '../documentText';
import { collectSnapshotParts } from './snapshotParts';

/** What the person freezing says about the version. */
export interface FreezeInput {
  label: string;
  meeting: string | null;
  note: string | null;
}

/**
 * Freezes the live draft of `document` as a new version: reads its current text (every accepted
 * edit, stored), numbers it afresh (a freeze renumbers: "4 bis" becomes 5), collects the other
 * features' parts, hashes the canonical content and stores it. Audit-logged and announced to viewers
 * as `version.frozen`.
 */
export async function freezeVersion(
  ctx: ServerContext,
  collab: CollabControl,
  document: DocumentRecord,
  actor: { id: string; name: string },
  input: FreezeInput,
): Promise<VersionRecord> {
  const text = await readDocumentText(collab, document.id);
  const frozenAt = new Date().toISOString();
  const content: VersionContent = {
    format: VERSION_FORMAT,
    document: { id: document.id, title: document.title },
    label: input.label,
    meeting: input.meeting,
    note: input.note,
    frozenAt,
    frozenBy: { id: actor.id, name: actor.name },
    doc: text.doc.toJSON() as ProseMirrorJson,
    numbering: baselineFromOutline(computeOutline(text.doc)),
    yjsStateSha256: await sha256Hex(text.state),
    parts: await collectSnapshotParts(ctx, document.id),
  };
  const canonical = canonicalVersionText(content);
  const version = await new Versions(ctx.store).create({
    documentId: document.id,
    label: input.label,
    meeting: input.meeting,
    note: input.note,
    frozenBy: actor.id,
    frozenAt,
    content: canonical,
    yjsState: text.state,
    hash: await sha256Hex(canonical),
  });
  await auditLogFor(ctx.store).append({
    dialogueId: document.dialogueId,
    documentId: document.id,
    actorId: actor.id,
    action: 'version.frozen',
    detail: { versionId: version.id, label: version.label, hash: version.hash },
  });
  collab.publish({ type: 'version.frozen', documentId: document.id, versionId: version.id, label: version.label });
  return version;
}
