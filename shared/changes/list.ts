import type { Node } from 'prosemirror-model';
import { changeAttrs, changeKey, changeMarkOf, visibleText } from './marks';

/** One pending tracked change: every span carrying the same change id, grouped. */
export interface PendingChange {
  /** The change id as a string (see `changeKey`). */
  id: string;
  kind: 'insertion' | 'deletion' | 'replacement';
  authorId: string | null;
  authorName: string | null;
  /** When the change was started (ISO-8601), or null for changes without a time. */
  at: string | null;
  /** The inserted text (zero-width anchors removed); empty for a pure deletion. */
  inserted: string;
  /** The deleted text; empty for a pure insertion. */
  deleted: string;
  /** The clauses the change lies in, in document order (empty when it is outside clauses). */
  clauseIds: string[];
  /** Document range from the first to the last span of the change. */
  from: number;
  to: number;
  /** True when a clause break was inserted or deleted (a split or a join of clauses). */
  structural: boolean;
}

/**
 * Every pending tracked change of a document, in document order of their first span. Spans with the
 * same id belong to one change: typing continues a change, and replacing text makes a deletion and an
 * insertion that share one id.
 */
export function listChanges(doc: Node): PendingChange[] {
  const byId = new Map<string, PendingChange & { blocks: Set<number> }>();
  let clauseId: string | null = null;
  let blockPos = -1;
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      clauseId = node.type.name === 'clause' ? ((node.attrs.id as string | null) ?? null) : null;
      blockPos = pos;
      return true;
    }
    if (!node.isText) return true;
    const mark = changeMarkOf(node);
    if (!mark) return false;
    const attrs = changeAttrs(mark);
    const id = changeKey(attrs.id);
    let change = byId.get(id);
    if (!change) {
      change = {
        id,
        kind: mark.type.name === 'insertion' ? 'insertion' : 'deletion',
        authorId: attrs.authorId,
        authorName: attrs.authorName,
        at: attrs.at,
        inserted: '',
        deleted: '',
        clauseIds: [],
        from: pos,
        to: pos + node.nodeSize,
        structural: false,
        blocks: new Set(),
      };
      byId.set(id, change);
    }
    const text = node.text ?? '';
    if (mark.type.name === 'insertion') change.inserted += text;
    else change.deleted += text;
    if (change.kind !== 'replacement' && change.kind !== mark.type.name) change.kind = 'replacement';
    change.to = pos + node.nodeSize;
    change.blocks.add(blockPos);
    if (clauseId && !change.clauseIds.includes(clauseId)) change.clauseIds.push(clauseId);
    // Keep the earliest time and the first named author of the spans.
    if (!change.at || (attrs.at && attrs.at < change.at)) change.at = attrs.at ?? change.at;
    change.authorId ??= attrs.authorId;
    change.authorName ??= attrs.authorName;
    return false;
  });
  return [...byId.values()].map(({ blocks, ...change }) => ({
    ...change,
    structural: blocks.size > 1,
    inserted: visibleText(change.inserted),
    deleted: visibleText(change.deleted),
  }));
}

/** The changes of `changes` matching a scope: one id, an author, a clause, or all. */
export type ChangeScope =
  | { kind: 'all' }
  | { kind: 'ids'; ids: readonly string[] }
  | { kind: 'author'; authorId: string | null }
  | { kind: 'clause'; clauseId: string };

/** Filters changes by scope, keeping document order. */
export function changesInScope(changes: readonly PendingChange[], scope: ChangeScope): PendingChange[] {
  switch (scope.kind) {
    case 'all':
      return [...changes];
    case 'ids':
      return changes.filter((c) => scope.ids.includes(c.id));
    case 'author':
      return changes.filter((c) => c.authorId === scope.authorId);
    case 'clause':
      return changes.filter((c) => c.clauseIds.includes(scope.clauseId));
  }
}
