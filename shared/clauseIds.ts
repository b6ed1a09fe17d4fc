/**
 * Stable ids for objectives and clauses. Every objective and clause carries an id that survives edits,
 * moves and renumbering; a node created by splitting, pasting or typing gets a fresh one. Ids are
 * assigned by the editor that made the change (never by a peer that merely received it), so two clients
 * never fight over an id.
 */
import type { Node } from 'prosemirror-model';
import { type EditorState, Plugin, PluginKey, type Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomBase36(length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const byte of bytes) {
      // 252 = 7 × 36: dropping the last four byte values keeps every character equally likely.
      if (byte < 252 && out.length < length) out += alphabet[byte % 36];
    }
  }
  return out;
}

/** A fresh clause id: "c-" and 12 random base-36 characters. */
export function newClauseId(): string {
  return `c-${randomBase36(12)}`;
}

/** A fresh objective id: "o-" and 12 random base-36 characters. */
export function newObjectiveId(): string {
  return `o-${randomBase36(12)}`;
}

/** A position range in a document. */
export interface Range {
  from: number;
  to: number;
}

interface IdNode {
  node: Node;
  pos: number;
}

function idNodes(doc: Node): IdNode[] {
  const found: IdNode[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'objective' || node.type.name === 'clause') found.push({ node, pos });
    // Clauses hold only inline content: nothing below them can carry an id.
    return node.type.name !== 'clause';
  });
  return found;
}

/**
 * The ids that occur on more than one objective or clause, in document order of their first
 * occurrence. Objectives and clauses share one id space.
 */
export function findDuplicateIds(doc: Node): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { node } of idNodes(doc)) {
    const id = node.attrs.id as string | null;
    if (id === null) continue;
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  return [...duplicates];
}

function touches(item: IdNode, ranges: readonly Range[]): boolean {
  const end = item.pos + item.node.nodeSize;
  return ranges.some((range) => item.pos < range.to && end > range.from);
}

/**
 * Returns a transaction that gives every objective or clause with a null or duplicate id a fresh id, or
 * null when every id is present and unique. Of the nodes sharing an id, the first one outside
 * `changedRanges` (the new or pasted content, in the state's coordinates) keeps it, so an original keeps
 * its id even when its copy is pasted before it; when all of them are inside, the first one keeps it
 * (the first half of a split clause).
 */
export function repairIds(state: EditorState, changedRanges: readonly Range[] = []): Transaction | null {
  const nodes = idNodes(state.doc);
  const byId = new Map<string, IdNode[]>();
  for (const item of nodes) {
    const id = item.node.attrs.id as string | null;
    if (id !== null) byId.set(id, [...(byId.get(id) ?? []), item]);
  }

  const renew: IdNode[] = nodes.filter((item) => item.node.attrs.id === null);
  for (const group of byId.values()) {
    if (group.length < 2) continue;
    const keeper = group.find((item) => !touches(item, changedRanges)) ?? group[0];
    for (const item of group) if (item !== keeper) renew.push(item);
  }
  if (renew.length === 0) return null;

  const tr = state.tr;
  for (const { node, pos } of renew) {
    const id = node.type.name === 'objective' ? newObjectiveId() : newClauseId();
    // Attribute steps do not move positions, so the original positions stay valid.
    tr.setNodeAttribute(pos, 'id', id);
  }
  return tr.setMeta(clauseIdPluginKey, 'repair');
}

/** Key of {@link clauseIdPlugin}; its meta ("repair") marks the transactions that assign ids. */
export const clauseIdPluginKey = new PluginKey('accord-clause-ids');

function isRemote(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return meta?.isChangeOrigin === true;
}

/** The ranges the transactions' steps replaced, mapped into the coordinates of the final document. */
export function changedRanges(transactions: readonly Transaction[]): Range[] {
  let ranges: Range[] = [];
  for (const tr of transactions) {
    for (const map of tr.mapping.maps) {
      ranges = ranges.map((r) => ({ from: map.map(r.from, -1), to: map.map(r.to, 1) }));
      map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
        ranges.push({ from: newStart, to: newEnd });
      });
    }
  }
  return ranges;
}

/**
 * Keeps objective and clause ids present and unique. After every local transaction that changes the
 * document it appends a repair (see {@link repairIds}) using the ranges those transactions changed.
 * Transactions that y-prosemirror applies for remote changes are skipped: the client that made a
 * change assigns its ids, so peers never race to assign different ones. When the view starts, an
 * editable view repairs the initial document once; a read-only view never writes.
 */
export function clauseIdPlugin(): Plugin {
  return new Plugin({
    key: clauseIdPluginKey,
    appendTransaction(transactions, _oldState, newState) {
      if (!transactions.some((tr) => tr.docChanged)) return null;
      if (transactions.some(isRemote)) return null;
      return repairIds(newState, changedRanges(transactions));
    },
    view(view: EditorView) {
      // Dispatching from inside the view constructor would run before the host's own setup is done.
      const timer = setTimeout(() => {
        if (view.isDestroyed || !view.editable) return;
        const tr = repairIds(view.state);
        if (tr) view.dispatch(tr);
      }, 0);
      return { destroy: () => clearTimeout(timer) };
    },
  });
}
