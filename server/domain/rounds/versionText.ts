/**
 * A frozen version's text as feedback needs it: the Y.Doc of its stored Yjs state (feedback threads are
 * anchored into its `body` fragment, like threads of the live draft), the ProseMirror document and
 * outline rendered from it, and the numbers of its clauses as frozen. Versions never change, so the
 * decoded texts of the few versions in use are kept in memory.
 */
import { type AnchorContext, anchorContextOf } from '@shared/comments/anchor';
import { computeOutline, type Outline } from '@shared/numbering';
import type { VersionContent } from '@shared/versions/content';
import * as Y from 'yjs';
import type { Store } from '../../store/db';
import { type VersionRecord, Versions } from '../../store/versions';
import { parseVersion } from '../versions/readVersion';

/** A version's text, ready to resolve anchors against. Treat as read-only: it is shared. */
export interface VersionText {
  record: VersionRecord;
  content: VersionContent;
  anchors: AnchorContext;
  outline: Outline;
  /** The clause numbers as frozen, by clause id. */
  clauseNumbers: Readonly<Record<string, string>>;
}

const CACHE_SIZE = 8;
const cache = new Map<string, VersionText>();

/** The text of version `versionId` of `documentId`, or null when there is no such version. */
export async function versionText(store: Store, documentId: string, versionId: string): Promise<VersionText | null> {
  const key = `${documentId}/${versionId}`;
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const record = await new Versions(store).getWithContent(documentId, versionId);
  if (!record) return null;
  const { content } = parseVersion(record);
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, record.yjsState);
  const anchors = anchorContextOf(ydoc);
  const { content: _text, yjsState: _state, ...summary } = record;
  const text: VersionText = {
    record: summary,
    content,
    anchors,
    outline: computeOutline(anchors.doc, { baseline: content.numbering }),
    clauseNumbers: content.numbering.clauses,
  };
  cache.set(key, text);
  while (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value as string;
    cache.get(oldest)?.anchors.ydoc.destroy();
    cache.delete(oldest);
  }
  return text;
}
