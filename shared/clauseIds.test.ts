import { clause, doc, heading, objective, p, preamble, rationale, title } from '@tests/helpers/builders';
import fc from 'fast-check';
import type { Node } from 'prosemirror-model';
import { EditorState, type Transaction } from 'prosemirror-state';
import { canSplit } from 'prosemirror-transform';
import type { EditorView } from 'prosemirror-view';
import { describe, expect, it, vi } from 'vitest';
import { ySyncPluginKey } from 'y-prosemirror';
import {
  changedRanges,
  clauseIdPlugin,
  clauseIdPluginKey,
  findDuplicateIds,
  newClauseId,
  newObjectiveId,
  repairIds,
} from './clauseIds';
import { schema } from './schema';

function stateOf(node: Node): EditorState {
  return EditorState.create({ doc: node, plugins: [clauseIdPlugin()] });
}

/** Applies a transaction the way a view does, including the transactions plugins append. */
function apply(state: EditorState, build: (tr: Transaction) => Transaction): EditorState {
  return state.applyTransaction(build(state.tr)).state;
}

/** The ids of the clauses, in document order. */
function clauseIds(node: Node): (string | null)[] {
  const ids: (string | null)[] = [];
  node.descendants((n) => {
    if (n.type.name === 'clause') ids.push(n.attrs.id as string | null);
  });
  return ids;
}

/** Position just before the clause with `id`. */
function posOf(node: Node, id: string): number {
  let found = -1;
  node.descendants((n, pos) => {
    if (found < 0 && n.attrs.id === id) found = pos;
  });
  if (found < 0) throw new Error(`no node with id ${id}`);
  return found;
}

const base = () =>
  doc(
    title('Framework'),
    preamble(p('Recalling.')),
    objective(
      { id: 'o1' },
      heading('Inclusive politics'),
      rationale('Why.'),
      clause({ id: 'c1' }, 'First clause'),
      clause({ id: 'c2' }, 'Second clause'),
    ),
    objective({ id: 'o2' }, heading('Security'), clause({ id: 'c3' }, 'Third clause')),
  );

describe('fresh ids', () => {
  it('makes clause and objective ids with a prefix and 12 base-36 characters', () => {
    expect(newClauseId()).toMatch(/^c-[0-9a-z]{12}$/);
    expect(newObjectiveId()).toMatch(/^o-[0-9a-z]{12}$/);
    const many = new Set(Array.from({ length: 1000 }, newClauseId));
    expect(many.size).toBe(1000);
  });
});

describe('findDuplicateIds', () => {
  it('lists ids used by more than one objective or clause', () => {
    const node = doc(
      title(),
      objective(
        { id: 'x' },
        heading('A'),
        clause({ id: 'c1' }),
        clause({ id: 'c1' }),
        clause({ id: 'x' }),
        clause(),
      ),
    );
    expect(findDuplicateIds(node)).toEqual(['c1', 'x']);
    expect(findDuplicateIds(base())).toEqual([]);
  });
});

describe('repairIds', () => {
  it('returns null when every id is present and unique', () => {
    expect(repairIds(EditorState.create({ doc: base() }))).toBeNull();
  });

  it('gives missing objective and clause ids fresh ids of the right kind', () => {
    const state = EditorState.create({
      doc: doc(title(), objective(heading('A'), clause('x'), clause({ id: 'c1' }, 'y'))),
    });
    const tr = repairIds(state)!;
    expect(tr.getMeta(clauseIdPluginKey)).toBe('repair');
    expect(tr.doc.child(1).attrs.id).toMatch(/^o-/);
    expect(clauseIds(tr.doc)).toEqual([expect.stringMatching(/^c-/), 'c1']);
  });

  it('keeps the id on the duplicate outside the changed ranges', () => {
    const node = doc(
      title(),
      objective({ id: 'o1' }, heading('A'), clause({ id: 'c1' }, 'copy'), clause({ id: 'c1' }, 'original')),
    );
    const original = posOf(node, 'c1') + node.nodeAt(posOf(node, 'c1'))!.nodeSize;
    const copy = repairIds(EditorState.create({ doc: node }), [{ from: 0, to: original }])!;
    expect(clauseIds(copy.doc)).toEqual([expect.stringMatching(/^c-/), 'c1']);
    const noRanges = repairIds(EditorState.create({ doc: node }))!;
    expect(clauseIds(noRanges.doc)).toEqual(['c1', expect.stringMatching(/^c-/)]);
  });
});

describe('clauseIdPlugin', () => {
  it('gives a newly inserted clause an id', () => {
    const state = stateOf(base());
    const end = posOf(state.doc, 'c2') + state.doc.nodeAt(posOf(state.doc, 'c2'))!.nodeSize;
    const next = apply(state, (tr) => tr.insert(end, schema.nodes.clause.create(null, schema.text('New'))));
    expect(clauseIds(next.doc)).toEqual(['c1', 'c2', expect.stringMatching(/^c-/), 'c3']);
  });

  it('gives the second half of a split clause a fresh id and lets the first keep its id', () => {
    const state = stateOf(base());
    const middle = posOf(state.doc, 'c1') + 1 + 'First'.length;
    const next = apply(state, (tr) => tr.split(middle));
    const [first, second] = [next.doc.child(2).child(2), next.doc.child(2).child(3)];
    expect(first.attrs.id).toBe('c1');
    expect(first.textContent).toBe('First');
    expect(second.attrs.id).toMatch(/^c-/);
    expect(second.textContent).toBe(' clause');
    expect(findDuplicateIds(next.doc)).toEqual([]);
  });

  it('gives a pasted copy a fresh id and lets the original keep its id, even when pasted before it', () => {
    const state = stateOf(base());
    const from = posOf(state.doc, 'c2');
    const slice = state.doc.slice(from, from + state.doc.nodeAt(from)!.nodeSize);
    const before = posOf(state.doc, 'c1');
    const next = apply(state, (tr) => tr.replace(before, before, slice));
    const [copy, , original] = [0, 1, 2].map((i) => next.doc.child(2).child(2 + i));
    expect(copy!.textContent).toBe('Second clause');
    expect(copy!.attrs.id).toMatch(/^c-/);
    expect(original!.attrs.id).toBe('c2');
    expect(original!.textContent).toBe('Second clause');
  });

  it('keeps the id of a clause that is cut and pasted elsewhere', () => {
    let state = stateOf(base());
    const from = posOf(state.doc, 'c1');
    const to = from + state.doc.nodeAt(from)!.nodeSize;
    const slice = state.doc.slice(from, to);
    state = apply(state, (tr) => tr.delete(from, to));
    const target = posOf(state.doc, 'c3') + state.doc.nodeAt(posOf(state.doc, 'c3'))!.nodeSize;
    state = apply(state, (tr) => tr.replace(target, target, slice));
    expect(clauseIds(state.doc)).toEqual(['c2', 'c3', 'c1']);
  });

  it('leaves remote changes applied by y-prosemirror alone', () => {
    const state = stateOf(base());
    const end = posOf(state.doc, 'c3') + state.doc.nodeAt(posOf(state.doc, 'c3'))!.nodeSize;
    const next = apply(state, (tr) =>
      tr.insert(end, schema.nodes.clause.create(null)).setMeta(ySyncPluginKey, { isChangeOrigin: true }),
    );
    expect(clauseIds(next.doc)).toEqual(['c1', 'c2', 'c3', null]);
  });

  it('does nothing for a transaction that does not change the document', () => {
    const state = stateOf(doc(title(), objective(heading('A'), clause('x'))));
    const result = state.applyTransaction(state.tr.setMeta('anything', true));
    expect(result.transactions).toHaveLength(1);
  });

  it('repairs the initial document once when an editable view starts, and never from a read-only view', async () => {
    const plugin = clauseIdPlugin();
    const state = EditorState.create({
      doc: doc(title(), objective(heading('A'), clause('x'))),
      plugins: [plugin],
    });
    const fakeView = (editable: boolean) => ({
      state,
      editable,
      isDestroyed: false,
      dispatch: vi.fn<(tr: Transaction) => void>(),
    });
    const editable = fakeView(true);
    const readOnly = fakeView(false);
    plugin.spec.view?.(editable as unknown as EditorView);
    plugin.spec.view?.(readOnly as unknown as EditorView);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(editable.dispatch).toHaveBeenCalledTimes(1);
    const repaired = editable.dispatch.mock.calls[0]![0].doc;
    expect(clauseIds(repaired)).toEqual([expect.stringMatching(/^c-/)]);
    expect(readOnly.dispatch).not.toHaveBeenCalled();
  });

  it('maps the ranges of earlier steps through later ones', () => {
    const state = EditorState.create({ doc: base() });
    // "abc" goes into the title, then "X" before it: the first range grows to cover both.
    const tr = state.tr.insertText('abc', 1).insertText('X', 1);
    expect(changedRanges([tr])).toEqual([
      { from: 1, to: 5 },
      { from: 1, to: 2 },
    ]);
  });
});

describe('ids under random edits', () => {
  const seed = Number(process.env.FC_SEED ?? 20260611);

  /** One random edit: split, copy/paste, delete, move or insert a new clause, at positions chosen by ratios. */
  const edit = fc.record({
    kind: fc.constantFrom('split', 'paste', 'delete', 'move', 'insert'),
    a: fc.double({ min: 0, max: 1, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    c: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  type Edit = { kind: string; a: number; b: number; c: number };

  function perform(state: EditorState, e: Edit): EditorState {
    const size = state.doc.content.size;
    const at = (r: number) => Math.round(r * size);
    const [from, to] = [at(Math.min(e.a, e.b)), at(Math.max(e.a, e.b))];
    return apply(state, (tr) => {
      if (e.kind === 'split') {
        if (canSplit(tr.doc, from)) tr.split(from);
      } else if (e.kind === 'paste') {
        tr.replace(at(e.c), at(e.c), tr.doc.slice(from, to));
      } else if (e.kind === 'delete') {
        tr.delete(from, to);
      } else if (e.kind === 'move') {
        const slice = tr.doc.slice(from, to);
        tr.delete(from, to);
        const target = tr.mapping.map(at(e.c));
        tr.replace(target, target, slice);
      } else {
        const objectives: number[] = [];
        tr.doc.forEach((node, offset) => {
          if (node.type.name === 'objective') objectives.push(offset + node.nodeSize - 1);
        });
        const end = objectives[Math.floor(e.c * objectives.length)];
        if (end !== undefined) tr.insert(end, schema.nodes.clause.create(null, schema.text('new')));
      }
      return tr;
    });
  }

  it(`keeps every id present and unique after random splits, pastes, deletes and moves (seed ${seed})`, () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 30 }), (edits) => {
        let state = stateOf(base());
        for (const e of edits) {
          state = perform(state, e);
          state.doc.check();
          expect(findDuplicateIds(state.doc)).toEqual([]);
          expect(clauseIds(state.doc)).not.toContain(null);
          state.doc.forEach((node) => {
            if (node.type.name === 'objective') expect(node.attrs.id).not.toBeNull();
          });
        }
      }),
      { seed, numRuns: 200 },
    );
  });
});
