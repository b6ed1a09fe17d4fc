import * as Y from 'yjs';
import { touchedClauses } from './attribution';

/** A tracked change named in a Yjs update: its id, author, and the clause it is in. */
export interface ChangeRef {
  changeId: string;
  authorId: string | null;
  clauseId: string | null;
}

/**
 * What one Yjs transaction did to the tracked changes of the text, seen from the member who wrote it
 * (`writerId`). The server's own reading of an update: it does not trust what the client says.
 */
export interface TextChangeSummary {
  /** Clauses the transaction touched (text, attributes, inserted or deleted). */
  clauses: string[];
  /** New text that is not marked as a suggestion. */
  plainInserted: string[];
  /** Text removed that was neither suggested nor marked deleted by a suggestion. */
  plainDeleted: string[];
  /** Characters suggested by the writer (inserted, or marked deleted). */
  suggested: number;
  /** Change marks written by this transaction that name someone other than the writer. */
  foreignAttributed: ChangeRef[];
  /** Other members' changes that this transaction resolved (mark removed, or their text deleted). */
  resolvedForeign: ChangeRef[];
  /** The writer's own changes that this transaction resolved or withdrew. */
  resolvedOwn: ChangeRef[];
}

const CHANGE_KEYS = ['insertion', 'deletion'] as const;
type ChangeKey = (typeof CHANGE_KEYS)[number];
type Attrs = Map<string, unknown>;

interface ChangeValue {
  id: unknown;
  authorId?: unknown;
}

function changeValue(attrs: Attrs, key: ChangeKey): ChangeValue | null {
  const v = attrs.get(key);
  return v && typeof v === 'object' ? (v as ChangeValue) : null;
}

function ref(v: ChangeValue, clauseId: string | null): ChangeRef {
  return {
    changeId: String(v.id),
    authorId: typeof v.authorId === 'string' ? v.authorId : null,
    clauseId,
  };
}

/** The id of the clause a shared type lies in (also for types deleted in this transaction), or null. */
function clauseOf(type: Y.AbstractType<unknown>): string | null {
  let t: Y.AbstractType<unknown> | null = type;
  while (t) {
    if (t instanceof Y.XmlElement && t.nodeName === 'clause') {
      const id = t._map.get('id')?.content.getContent().at(-1);
      return typeof id === 'string' ? id : null;
    }
    const parent: unknown = t._item?.parent;
    t = parent instanceof Y.AbstractType ? parent : null;
  }
  return null;
}

/** Every Y.XmlText inside a type (the type itself when it is one). */
function collectTexts(type: Y.AbstractType<unknown>, out: Set<Y.XmlText>): void {
  if (type instanceof Y.XmlText) {
    out.add(type);
    return;
  }
  for (let item = type._start; item; item = item.right) {
    if (item.content instanceof Y.ContentType) collectTexts(item.content.type, out);
  }
}

function isNew(tr: Y.Transaction, item: Y.Item): boolean {
  return item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
}

function sameRef(a: ChangeValue | null, b: ChangeValue | null): boolean {
  if (!a || !b) return a === b;
  return String(a.id) === String(b.id) && a.authorId === b.authorId;
}

/**
 * Reads a Yjs transaction the way the text's tracked changes see it. Must run before the transaction's
 * cleanup merges and garbage-collects its structs (the doc's `afterTransaction` event), because it
 * needs the content and formatting of the text deleted in it. `exhaustive` reads every text to its
 * end (tests compare it with the default, which stops after a text's last change).
 */
export function summariseTextChanges(
  tr: Y.Transaction,
  writerId: string,
  { exhaustive = false }: { exhaustive?: boolean } = {},
): TextChangeSummary {
  const texts = new Set<Y.XmlText>();
  for (const type of tr.changed.keys()) {
    if (type instanceof Y.XmlText) texts.add(type);
  }
  // The items of each text this transaction created or deleted, and the texts whose formatting it
  // changed. A text whose formatting did not change reads the same before and after past its last
  // changed item, so its scan can stop there: typing into a long clause costs up to the caret, not
  // the whole clause.
  const changedItems = new Map<Y.XmlText, Set<Y.Item>>();
  const formatChanged = new Set<Y.XmlText>();
  const noteChanged = (item: Y.Item) => {
    const parent = item.parent;
    if (!(parent instanceof Y.XmlText)) return;
    let set = changedItems.get(parent);
    if (!set) changedItems.set(parent, (set = new Set()));
    set.add(item);
    if (item.content instanceof Y.ContentFormat) formatChanged.add(parent);
  };
  // Types created or deleted in this transaction are not in `tr.changed`: find them through their items.
  for (const [client, clock] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (clock <= before) continue;
    const structs = tr.doc.store.clients.get(client) ?? [];
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i];
      if (!(s instanceof Y.Item)) continue;
      noteChanged(s);
      if (s.content instanceof Y.ContentType) collectTexts(s.content.type, texts);
    }
  }
  Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
    if (!(s instanceof Y.Item)) return;
    noteChanged(s);
    if (s.content instanceof Y.ContentType) collectTexts(s.content.type, texts);
  });

  const summary: TextChangeSummary = {
    clauses: [...touchedClauses(tr)],
    plainInserted: [],
    plainDeleted: [],
    suggested: 0,
    foreignAttributed: [],
    resolvedForeign: [],
    resolvedOwn: [],
  };
  const seen = new Set<string>();
  const add = (list: ChangeRef[], r: ChangeRef, tag: string) => {
    const key = `${tag}\u0000${r.changeId}\u0000${r.authorId ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    list.push(r);
  };
  const resolved = (v: ChangeValue, clauseId: string | null) => {
    const r = ref(v, clauseId);
    if (r.authorId === writerId) add(summary.resolvedOwn, r, 'own');
    else add(summary.resolvedForeign, r, 'foreign');
  };

  for (const text of texts) {
    const clauseId = clauseOf(text as unknown as Y.AbstractType<unknown>);
    const before: Attrs = new Map();
    const after: Attrs = new Map();
    // Null: scan to the end (formatting changed, or a text made in this transaction).
    const remaining = exhaustive || formatChanged.has(text) ? null : new Set(changedItems.get(text));
    for (let item = text._start; item; item = item.right) {
      if (remaining) {
        if (remaining.size === 0) break;
        remaining.delete(item);
      }
      const created = isNew(tr, item);
      const deletedNow = item.deleted && Y.isDeleted(tr.deleteSet, item.id);
      const visibleBefore = !created && (!item.deleted || deletedNow);
      const visibleAfter = !item.deleted;
      const content = item.content;
      if (content instanceof Y.ContentFormat) {
        if (visibleBefore) setAttr(before, content);
        if (visibleAfter) setAttr(after, content);
        continue;
      }
      if (!(content instanceof Y.ContentString)) continue;
      const str = content.str;
      if (visibleAfter && !visibleBefore) {
        let marked = false;
        for (const key of CHANGE_KEYS) {
          const v = changeValue(after, key);
          if (!v) continue;
          marked = true;
          if (v.authorId === writerId) summary.suggested += str.length;
          else add(summary.foreignAttributed, ref(v, clauseId), 'forged');
        }
        if (!marked && str.replaceAll('\u200B', '').length > 0) summary.plainInserted.push(str);
      } else if (visibleBefore && !visibleAfter) {
        const ins = changeValue(before, 'insertion');
        const del = changeValue(before, 'deletion');
        if (ins) resolved(ins, clauseId);
        else if (del) resolved(del, clauseId);
        else if (str.replaceAll('\u200B', '').length > 0) summary.plainDeleted.push(str);
      } else if (visibleBefore && visibleAfter) {
        for (const key of CHANGE_KEYS) {
          const was = changeValue(before, key);
          const now = changeValue(after, key);
          if (sameRef(was, now)) continue;
          if (now) {
            if (now.authorId === writerId) {
              if (!was) summary.suggested += str.length;
            } else if (!was || was.authorId !== now.authorId) {
              add(summary.foreignAttributed, ref(now, clauseId), 'forged');
            }
          } else if (was) {
            resolved(was, clauseId);
          }
        }
      }
    }
  }
  return summary;
}

function setAttr(attrs: Attrs, content: Y.ContentFormat): void {
  if (content.value === null) attrs.delete(content.key);
  else attrs.set(content.key, content.value);
}

/**
 * True when the plain text a transaction inserted and deleted is only moved around (a clause split
 * or joined by a suggestion moves the text after the break into another element), so that no word
 * was added or removed outside tracked changes.
 */
export function onlyMovedText(summary: TextChangeSummary): boolean {
  const inserted = summary.plainInserted.join('').replaceAll('\u200B', '');
  const deleted = summary.plainDeleted.join('').replaceAll('\u200B', '');
  if (inserted.length === 0 && deleted.length === 0) return true;
  return inserted.length === deleted.length && [...inserted].sort().join('') === [...deleted].sort().join('');
}
