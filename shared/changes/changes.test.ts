import { clause, del, doc, heading, ins, objective, title } from '@tests/helpers/builders';
import { schema } from '@shared/schema';
import type { Node } from 'prosemirror-model';
import { EditorState, type Transaction } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import { changesInScope, decideChanges, finalDoc, listChanges, originalDoc, suggestTransaction } from './index';

const alice = { id: 'u-alice', name: 'Alice' };
const bob = { id: 'u-bob', name: 'Bob' };
const T1 = '2030-01-01T10:00:00.000Z';
const T2 = '2030-01-01T11:00:00.000Z';

function ids(): () => string {
  let n = 0;
  return () => `id${++n}`;
}

function oneClause(...content: Parameters<typeof clause>[1][]): Node {
  return doc(title('T'), objective({ id: 'o1' }, heading('H'), clause({ id: 'c1' }, ...content)));
}

/** Position of the first occurrence of `text` in the doc. */
function find(d: Node, text: string): number {
  let found = -1;
  d.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isText && node.text?.includes(text)) found = pos + node.text.indexOf(text);
    return true;
  });
  if (found < 0) throw new Error(`"${text}" not in doc`);
  return found;
}

function suggest(
  state: EditorState,
  author: typeof alice,
  edit: (tr: Transaction) => void,
  now = T1,
  freshId = ids(),
): EditorState {
  const tr = state.tr;
  edit(tr);
  const out = suggestTransaction(state, tr, author, { now, freshId });
  if (!out.ok) throw new Error(`refused: ${out.reason}`);
  return state.apply(out.tr);
}

describe('suggestTransaction', () => {
  it('turns typed text into an insertion with author, time and a fresh id', () => {
    let state = EditorState.create({ doc: oneClause('The states will act.') });
    state = suggest(state, alice, (tr) => tr.insertText(' now', find(state.doc, '.')));
    const [change] = listChanges(state.doc);
    expect(change).toMatchObject({
      kind: 'insertion',
      inserted: ' now',
      authorId: 'u-alice',
      authorName: 'Alice',
      at: T1,
      clauseIds: ['c1'],
    });
    expect(state.doc.textContent).toContain('The states will act now.');
  });

  it('turns deleted text into a deletion that stays in the document', () => {
    let state = EditorState.create({ doc: oneClause('The states will act.') });
    const from = find(state.doc, ' will');
    state = suggest(state, bob, (tr) => tr.delete(from, from + 5));
    expect(state.doc.textContent).toContain('The states will act.');
    expect(listChanges(state.doc)).toMatchObject([{ kind: 'deletion', deleted: ' will', authorId: 'u-bob' }]);
  });

  it('groups consecutive typing by one author into one change', () => {
    let state = EditorState.create({ doc: oneClause('Act.') });
    const freshId = ids();
    for (const ch of ['n', 'o', 'w']) {
      const at = find(state.doc, '.');
      state = suggest(state, alice, (tr) => tr.insertText(ch, at), T1, freshId);
    }
    expect(listChanges(state.doc)).toMatchObject([{ kind: 'insertion', inserted: 'now', authorId: 'u-alice' }]);
  });

  it('keeps a change by another author separate and intact when typing right after it', () => {
    const d = oneClause('Budgets ', ins({ id: 'a1', authorId: 'u-alice', authorName: 'Alice', at: T1 }, 'open'), ' data.');
    let state = EditorState.create({ doc: d });
    const at = find(state.doc, 'open') + 4;
    state = suggest(state, bob, (tr) => tr.insertText(' and free', at), T2);
    const changes = listChanges(state.doc);
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({ id: 'a1', inserted: 'open', authorId: 'u-alice', at: T1 });
    expect(changes[1]).toMatchObject({ inserted: ' and free', authorId: 'u-bob', at: T2 });
    expect(changes[1]?.id).not.toBe('a1');
  });

  it('keeps another author\'s deletion intact when deleting right before it', () => {
    const d = oneClause('one two ', del({ id: 'a1', authorId: 'u-alice', authorName: 'Alice', at: T1 }, 'three'), ' four');
    let state = EditorState.create({ doc: d });
    const from = find(state.doc, 'two');
    state = suggest(state, bob, (tr) => tr.delete(from, from + 4), T2);
    const changes = listChanges(state.doc);
    const alices = changes.filter((c) => c.authorId === 'u-alice');
    const bobs = changes.filter((c) => c.authorId === 'u-bob');
    expect(alices).toMatchObject([{ id: 'a1', deleted: 'three', at: T1 }]);
    expect(bobs).toMatchObject([{ deleted: 'two ' }]);
  });

  it('refuses to delete text another member suggested', () => {
    const d = oneClause('Budgets ', ins({ id: 'a1', authorId: 'u-alice', authorName: 'Alice', at: T1 }, 'open'), '.');
    const state = EditorState.create({ doc: d });
    const from = find(state.doc, 'open');
    const out = suggestTransaction(state, state.tr.delete(from, from + 2), bob);
    expect(out).toEqual({ ok: false, reason: 'foreign-insertion' });
  });

  it('removes for real what the author deletes of their own suggestion', () => {
    let state = EditorState.create({ doc: oneClause('Act.') });
    state = suggest(state, alice, (tr) => tr.insertText(' now', find(state.doc, '.')));
    const from = find(state.doc, ' now');
    state = suggest(state, alice, (tr) => tr.delete(from, from + 4));
    expect(state.doc.textContent).toContain('Act.');
    expect(listChanges(state.doc)).toEqual([]);
  });

  it('suggests a clause split as one change that reject joins again', () => {
    let state = EditorState.create({ doc: oneClause('First part. Second part.') });
    const at = find(state.doc, ' Second');
    state = suggest(state, alice, (tr) => tr.split(at, 1, [{ type: schema.nodes.clause, attrs: { id: null } }]));
    const [change] = listChanges(state.doc);
    expect(change).toMatchObject({ kind: 'insertion', structural: true, authorId: 'u-alice' });
    const rejected = decideChanges(state, [change!.id], 'reject');
    expect(rejected?.doc.textContent).toBe('THFirst part. Second part.');
  });
});

describe('decideChanges', () => {
  const d = oneClause(
    'Budgets in ',
    del({ id: 1, authorId: 'u-alice', authorName: 'Alice', at: T1 }, 'an accessible'),
    ins({ id: 1, authorId: 'u-alice', authorName: 'Alice', at: T1 }, 'a machine-readable'),
    ' format',
    ins({ id: 'b1', authorId: 'u-bob', authorName: 'Bob', at: T2 }, ' within thirty days'),
    '.',
  );

  it('lists a replacement as one change and an insertion as another', () => {
    expect(listChanges(d)).toMatchObject([
      { id: '1', kind: 'replacement', deleted: 'an accessible', inserted: 'a machine-readable' },
      { id: 'b1', kind: 'insertion', inserted: ' within thirty days', authorName: 'Bob' },
    ]);
  });

  it('accepting keeps the new wording and rejecting restores the old', () => {
    const state = EditorState.create({ doc: d });
    const accepted = decideChanges(state, ['1'], 'accept')!;
    const afterAccept = state.apply(accepted).doc;
    expect(afterAccept.textContent).toBe('THBudgets in a machine-readable format within thirty days.');
    expect(listChanges(afterAccept).map((c) => c.id)).toEqual(['b1']);
    const rejected = state.apply(decideChanges(state, ['b1'], 'reject')!).doc;
    expect(rejected.textContent).toBe('THBudgets in an accessiblea machine-readable format.');
  });

  it('accepts several changes in one transaction', () => {
    const state = EditorState.create({ doc: d });
    const tr = decideChanges(state, ['1', 'b1'], 'accept')!;
    expect(tr.doc.textContent).toBe('THBudgets in a machine-readable format within thirty days.');
    expect(listChanges(tr.doc)).toEqual([]);
  });

  it('answers null for ids that are not in the document', () => {
    expect(decideChanges(EditorState.create({ doc: d }), ['nope'], 'accept')).toBeNull();
  });

  it('previews the final and the original text without changing the document', () => {
    expect(finalDoc(d).textContent).toBe('THBudgets in a machine-readable format within thirty days.');
    expect(originalDoc(d).textContent).toBe('THBudgets in an accessible format.');
    expect(listChanges(d)).toHaveLength(2);
  });
});

describe('deciding all changes by one author, or all in one clause', () => {
  const a = (id: string) => ({ id, authorId: 'u-alice', authorName: 'Alice', at: T1 });
  const b = (id: string) => ({ id, authorId: 'u-bob', authorName: 'Bob', at: T2 });
  const d = doc(
    title('T'),
    objective(
      { id: 'o1' },
      heading('H'),
      clause({ id: 'c1' }, 'One ', ins(a('a1'), 'open '), 'budget', ins(b('b1'), ' now'), '.'),
      clause({ id: 'c2' }, 'Two ', del(a('a2'), 'old '), 'rules', ins(b('b2'), ' apply'), '.'),
    ),
  );

  it('accepts every change of one author and leaves the other author\'s pending', () => {
    const state = EditorState.create({ doc: d });
    const alices = changesInScope(listChanges(d), { kind: 'author', authorId: 'u-alice' });
    expect(alices.map((c) => c.id)).toEqual(['a1', 'a2']);
    const after = state.apply(decideChanges(state, alices.map((c) => c.id), 'accept')!).doc;
    expect(after.textContent).toBe('THOne open budget now.Two rules apply.');
    expect(listChanges(after).map((c) => [c.id, c.authorId])).toEqual([
      ['b1', 'u-bob'],
      ['b2', 'u-bob'],
    ]);
  });

  it('rejects every change in one clause and leaves the other clauses\' changes pending', () => {
    const state = EditorState.create({ doc: d });
    const inC2 = changesInScope(listChanges(d), { kind: 'clause', clauseId: 'c2' });
    expect(inC2.map((c) => c.id)).toEqual(['a2', 'b2']);
    const after = state.apply(decideChanges(state, inC2.map((c) => c.id), 'reject')!).doc;
    expect(after.textContent).toBe('THOne open budget now.Two old rules.');
    expect(listChanges(after).map((c) => c.id)).toEqual(['a1', 'b1']);
  });

  it('accepts all changes of the document at once', () => {
    const state = EditorState.create({ doc: d });
    const all = changesInScope(listChanges(d), { kind: 'all' });
    const after = state.apply(decideChanges(state, all.map((c) => c.id), 'accept')!).doc;
    expect(after.textContent).toBe('THOne open budget now.Two rules apply.');
    expect(listChanges(after)).toEqual([]);
  });
});
