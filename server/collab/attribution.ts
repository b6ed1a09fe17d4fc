import * as Y from 'yjs';

/**
 * The ids of the clauses a Yjs transaction touched: clauses whose text or attributes changed, and
 * clauses inserted or deleted. Used to attribute every update to the clauses it changed.
 */
export function touchedClauses(tr: Y.Transaction): Set<string> {
  // Asked twice per transaction (inspection, then storage): read the structs once.
  const cached = computed.get(tr);
  if (cached) return cached;
  const ids = readTouchedClauses(tr);
  computed.set(tr, ids);
  return ids;
}

const computed = new WeakMap<Y.Transaction, Set<string>>();

function readTouchedClauses(tr: Y.Transaction): Set<string> {
  const ids = new Set<string>();
  for (const type of tr.changed.keys()) addEnclosingClause(type, ids);
  // Inserted clauses (new structs) and deleted ones (delete set) whose element is itself the clause.
  for (const [client, clock] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (clock <= before) continue;
    const structs = tr.doc.store.clients.get(client);
    if (!structs) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i];
      if (s instanceof Y.Item) addClauseContent(s, ids);
    }
  }
  Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
    if (s instanceof Y.Item) {
      addClauseContent(s, ids);
      if (s.parent instanceof Y.AbstractType) addEnclosingClause(s.parent as TypeWithItem, ids);
    }
  });
  return ids;
}

function addClauseContent(item: Y.Item, ids: Set<string>): void {
  if (item.content instanceof Y.ContentType) {
    const type = item.content.type;
    if (type instanceof Y.XmlElement) collectClauses(type, ids);
  }
}

/** Adds a clause element and every clause inside an element (an objective inserted with its clauses). */
function collectClauses(el: Y.XmlElement, ids: Set<string>): void {
  if (el.nodeName === 'clause') {
    const id = rawAttribute(el, 'id');
    if (typeof id === 'string') ids.add(id);
    return;
  }
  // Children of a deleted element are deleted too, so walk the item list rather than `toArray()`.
  for (let item = el._start; item; item = item.right) {
    if (item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement) {
      collectClauses(item.content.type, ids);
    }
  }
}

/** An attribute's value even when the element (and so the attribute) was deleted in this transaction. */
function rawAttribute(el: Y.XmlElement, key: string): unknown {
  const item = el._map.get(key);
  return item?.content.getContent().at(-1);
}

/** A Yjs shared type, seen only through the link to the item that holds it. */
interface TypeWithItem {
  _item: Y.Item | null;
}

function addEnclosingClause(type: TypeWithItem, ids: Set<string>): void {
  let t: TypeWithItem | null = type;
  while (t) {
    if (t instanceof Y.XmlElement && t.nodeName === 'clause') {
      const id = t.getAttribute('id');
      if (typeof id === 'string') ids.add(id);
      return;
    }
    const parent: unknown = t._item?.parent;
    t = parent instanceof Y.AbstractType ? (parent as TypeWithItem) : null;
  }
}
