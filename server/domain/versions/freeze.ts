import { computeOutline, baselineFromOutline } from '@shared/numbering';
import {
  canonicalVersionText,
  sha256Hex,
  VERSION_FORMAT,
  type ProseMirrorJson,
  type VersionContent,
} from '@shared/versions/content';
import type { Node } from 'prosemirror-model';
import type { CollabControl, ServerContext } from '../../context';
import { auditLogFor } from '../../store/auditLog';
import type { DocumentRecord } from '../../store/documents';
import { type NewVersion, type VersionRecord, Versions } from '../../store/versions';
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
  const composed = await composeVersion({
    document: { id: document.id, title: document.title },
    ...input,
    frozenAt: new Date().toISOString(),
    frozenBy: actor,
    doc: text.doc,
    state: text.state,
    parts: await collectSnapshotParts(ctx, document.id, text.doc, text.state),
  });
  const version = await new Versions(ctx.store).create(composed.row);
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

/** Everything a version is made of, before it is hashed. */
export interface VersionSource extends FreezeInput {
  document: { id: string; title: string };
  frozenAt: string;
  frozenBy: { id: string; name: string };
  /** The text to freeze. */
  doc: Node;
  /** Its encoded Yjs state. */
  state: Uint8Array;
  parts: Record<string, unknown>;
}

/**
 * Composes a version: its canonical content (the text numbered afresh — a freeze renumbers, so "4 bis"
 * becomes 5 — and the parts), the content's SHA-256, and the row to store.
 */
export async function composeVersion(source: VersionSource): Promise<{ content: VersionContent; row: NewVersion }> {
  const content: VersionContent = {
    format: VERSION_FORMAT,
    document: source.document,
    label: source.label,
    meeting: source.meeting,
    note: source.note,
    frozenAt: source.frozenAt,
    frozenBy: source.frozenBy,
    doc: source.doc.toJSON() as ProseMirrorJson,
    numbering: baselineFromOutline(computeOutline(source.doc)),
    yjsStateSha256: await sha256Hex(source.state),
    parts: source.parts,
  };
  const canonical = canonicalVersionText(content);
  return {
    content,
    row: {
      documentId: source.document.id,
      label: source.label,
      meeting: source.meeting,
      note: source.note,
      frozenBy: source.frozenBy.id,
      frozenAt: source.frozenAt,
      content: canonical,
      yjsState: source.state,
      hash: await sha256Hex(canonical),
    },
  };
}
