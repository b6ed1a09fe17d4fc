import { listBrackets, openBracketsByClause } from '@shared/brackets';
import { bracket, clause, doc, heading, objective, title } from '@tests/helpers/builders';
import type { Node } from 'prosemirror-model';
import { type Command, EditorState, TextSelection } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import { addAlternative, type BracketResolution, bracketSelection, chooseAlternative } from './brackets';

function run(d: Node, command: Command, select?: [number, number]): EditorState {
  let state = EditorState.create({ doc: d });
  if (select) state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, ...select)));
  let next = state;
  expect(command(state, (tr) => (next = state.apply(tr)))).toBe(true);
  return next;
}

const framework = doc(
  title('T'),
  objective(
    { id: 'o1' },
    heading('H'),
    clause({ id: 'c1' }, 'Its mandate ', bracket('shall', { group: 'g1', alt: 1 }), ' ', bracket('should', { group: 'g1', alt: 2 }), ' include ', bracket('a timetable', { group: 'g2' }), '.'),
    clause({ id: 'c2' }, 'No brackets here.'),
  ),
);

describe('listBrackets', () => {
  it('lists alternatives of one group as one bracket, with its clause', () => {
    const brackets = listBrackets(framework);
    expect(brackets.map((b) => [b.key, b.clauseId, b.alternatives.map((a) => [a.alt, a.text])])).toEqual([
      ['g1', 'c1', [[1, 'shall'], [2, 'should']]],
      ['g2', 'c1', [[null, 'a timetable']]],
    ]);
  });

  it('counts open brackets per clause', () => {
    expect([...openBracketsByClause(framework)]).toEqual([['c1', 2]]);
  });
});

describe('bracket commands', () => {
  it('brackets a selection as a new group', () => {
    const d = doc(title('T'), objective({ id: 'o1' }, heading('H'), clause({ id: 'c1' }, 'one two three')));
    const state = run(d, bracketSelection('gx'), [12, 15]);
    expect(listBrackets(state.doc)).toMatchObject([{ key: 'gx', alternatives: [{ alt: null, text: 'two' }] }]);
  });

  it('adds an alternative after the last one, numbering a plain bracket as Alt 1', () => {
    const state = run(framework, addAlternative('g2', 'a plan'));
    const g2 = listBrackets(state.doc).find((b) => b.key === 'g2');
    expect(g2?.alternatives.map((a) => [a.alt, a.text])).toEqual([[1, 'a timetable'], [2, 'a plan']]);
    expect(state.doc.textBetween(state.selection.from, state.selection.to)).toBe('a plan');
  });

  it('resolves a bracket: the chosen wording stays without brackets, the others go', () => {
    let resolution: BracketResolution | null = null;
    const state = run(framework, chooseAlternative('g1', 2, (r) => (resolution = r)));
    expect(state.doc.child(1).child(1).textContent).toBe('Its mandate should include a timetable.');
    expect(listBrackets(state.doc).map((b) => b.key)).toEqual(['g2']);
    expect(resolution).toEqual({
      group: 'g1',
      clauseId: 'c1',
      chosen: { alt: 2, text: 'should' },
      removed: [{ alt: 1, text: 'shall' }],
    });
  });

  it('resolves a plain bracket by removing its brackets', () => {
    const state = run(framework, chooseAlternative('g2', null));
    expect(openBracketsByClause(state.doc).get('c1')).toBe(1);
    expect(state.doc.child(1).child(1).textContent).toContain('a timetable');
  });
});
