import { schema } from '@shared/schema';
import type { Node } from 'prosemirror-model';
import { type Command, EditorState, TextSelection } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import {
  enterFromObjectiveText,
  enterFromTitle,
  insertClauseAfter,
  insertObjective,
  moveClauseDown,
  moveClauseUp,
  splitClause,
} from './commands';

const n = schema.nodes;
const text = (s: string) => (s ? [schema.text(s)] : []);
const doc = (...children: Node[]) => n.doc.create(null, children);
const title = (s: string) => n.title.create(null, text(s));
const objective = (id: string, ...children: Node[]) => n.objective.create({ id }, children);
const heading = (s: string) => n.objective_heading.create(null, text(s));
const rationale = (s: string) => n.rationale.create(null, text(s));
const clause = (id: string | null, s: string) => n.clause.create({ id }, text(s));

/** A state whose cursor sits `offset` characters into the first textblock containing `marker`. */
function stateAt(d: Node, marker: string, offset: number): EditorState {
  let pos = -1;
  d.descendants((node, p) => {
    if (pos < 0 && node.isTextblock && node.textContent.includes(marker)) {
      pos = p + 1 + node.textContent.indexOf(marker) + offset;
    }
    return pos < 0;
  });
  if (pos < 0) throw new Error(`no textblock contains ${marker}`);
  return EditorState.create({ doc: d, selection: TextSelection.create(d, pos) });
}

function run(state: EditorState, command: Command): EditorState {
  let next = state;
  const handled = command(state, (tr) => {
    next = state.apply(tr);
  });
  expect(handled).toBe(true);
  return next;
}

/** The objectives and clauses of a document as `[heading, [clause id, text]…]` for readable asserts. */
function outline(d: Node) {
  const result: unknown[] = [];
  d.forEach((child) => {
    if (child.type !== n.objective) return;
    const clauses: [string | null, string][] = [];
    child.forEach((c) => {
      if (c.type === n.clause) clauses.push([c.attrs.id as string | null, c.textContent]);
    });
    result.push([child.firstChild?.textContent, clauses]);
  });
  return result;
}

const sample = () =>
  doc(
    title('Framework'),
    objective(
      'o1',
      heading('Settlements'),
      rationale('Why'),
      clause('c1', 'First clause'),
      clause('c2', 'Second'),
    ),
    objective('o2', heading('Institutions'), clause('c3', 'Third')),
  );

describe('splitClause', () => {
  it('starts a new clause without an id when Enter is pressed at the end of a clause', () => {
    const state = run(stateAt(sample(), 'First clause', 12), splitClause);
    expect(outline(state.doc)[0]).toEqual([
      'Settlements',
      [
        ['c1', 'First clause'],
        [null, ''],
        ['c2', 'Second'],
      ],
    ]);
    expect(state.selection.$head.parent.type).toBe(n.clause);
    expect(state.selection.$head.parent.attrs.id).toBeNull();
  });

  it('keeps the id on the first half when a clause is split in the middle', () => {
    const state = run(stateAt(sample(), 'First clause', 5), splitClause);
    expect(outline(state.doc)[0]).toEqual([
      'Settlements',
      [
        ['c1', 'First'],
        [null, ' clause'],
        ['c2', 'Second'],
      ],
    ]);
  });

  it('inserts an empty clause before when Enter is pressed at the start, so the text keeps its id', () => {
    const state = run(stateAt(sample(), 'Second', 0), splitClause);
    expect(outline(state.doc)[0]).toEqual([
      'Settlements',
      [
        ['c1', 'First clause'],
        [null, ''],
        ['c2', 'Second'],
      ],
    ]);
    expect(state.selection.$head.parent.attrs.id).toBe('c2');
  });

  it('does nothing outside a clause', () => {
    expect(splitClause(stateAt(sample(), 'Settlements', 3))).toBe(false);
  });
});

describe('insertClauseAfter', () => {
  it('adds the first clause after the rationale when the cursor is in the heading', () => {
    const state = run(stateAt(sample(), 'Settlements', 2), insertClauseAfter);
    expect(outline(state.doc)[0]).toEqual([
      'Settlements',
      [
        [null, ''],
        ['c1', 'First clause'],
        ['c2', 'Second'],
      ],
    ]);
  });

  it('adds a clause after the current one wherever the cursor is in it', () => {
    const state = run(stateAt(sample(), 'First clause', 2), insertClauseAfter);
    expect(outline(state.doc)[0]).toEqual([
      'Settlements',
      [
        ['c1', 'First clause'],
        [null, ''],
        ['c2', 'Second'],
      ],
    ]);
  });
});

describe('insertObjective', () => {
  it('adds an objective with an empty heading and one empty clause after the current objective', () => {
    const state = run(stateAt(sample(), 'First clause', 0), insertObjective);
    expect(outline(state.doc)).toEqual([
      ['Settlements', expect.any(Array)],
      ['', [[null, '']]],
      ['Institutions', [['c3', 'Third']]],
    ]);
    expect(state.selection.$head.parent.type).toBe(n.objective_heading);
  });

  it('adds the objective before the first one when the cursor is in the title', () => {
    const state = run(stateAt(sample(), 'Framework', 0), insertObjective);
    expect(outline(state.doc).map((o) => (o as [string])[0])).toEqual(['', 'Settlements', 'Institutions']);
  });
});

describe('Enter outside clauses', () => {
  it('moves from a new objective heading into its empty clause instead of adding another', () => {
    const withNew = run(stateAt(sample(), 'Third', 0), insertObjective);
    const state = run(withNew, enterFromObjectiveText);
    expect(outline(state.doc)[2]).toEqual(['', [[null, '']]]);
    expect(state.selection.$head.parent.type).toBe(n.clause);
  });

  it('starts a preamble from a title that stands alone', () => {
    const state = run(stateAt(doc(title('Only a title')), 'Only', 12), enterFromTitle);
    expect(state.doc.child(1).type).toBe(n.preamble);
    expect(state.selection.$head.parent.type).toBe(n.paragraph);
  });
});

describe('moving a clause', () => {
  const text2 = () =>
    doc(
      title('T'),
      objective('o1', heading('First'), clause('a', 'Alpha'), clause('b', 'Bravo')),
      objective('o2', heading('Second'), rationale('Why'), clause('c', 'Charlie')),
    );
  const order = (d: Node) => {
    const out: string[] = [];
    d.descendants((node, _pos, parent) => {
      if (node.type === n.clause) out.push(`${parent?.attrs.id as string}:${node.attrs.id as string}`);
      return true;
    });
    return out;
  };

  it('swaps a clause with the one above it, keeping its id and the cursor in it', () => {
    const next = run(stateAt(text2(), 'Bravo', 2), moveClauseUp);
    expect(order(next.doc)).toEqual(['o1:b', 'o1:a', 'o2:c']);
    expect(next.selection.$head.parent.textContent).toBe('Bravo');
    expect(next.selection.$head.parentOffset).toBe(2);
  });

  it('moves the last clause of an objective to the top of the next one, after its rationale', () => {
    const next = run(stateAt(text2(), 'Bravo', 0), moveClauseDown);
    expect(order(next.doc)).toEqual(['o1:a', 'o2:b', 'o2:c']);
    expect(next.doc.child(2).child(1).type).toBe(n.rationale);
  });

  it('moves the first clause of an objective to the end of the previous one', () => {
    const next = run(stateAt(text2(), 'Charlie', 3), moveClauseUp);
    expect(order(next.doc)).toEqual(['o1:a', 'o1:b', 'o1:c']);
    expect(next.selection.$head.parent.textContent).toBe('Charlie');
  });

  it('refuses to move past the first or last clause of the document, or outside a clause', () => {
    expect(moveClauseUp(stateAt(text2(), 'Alpha', 0))).toBe(false);
    expect(moveClauseDown(stateAt(text2(), 'Charlie', 0))).toBe(false);
    expect(moveClauseUp(stateAt(text2(), 'First', 0))).toBe(false);
  });
});
