import { schema } from '@shared/schema';
import { Fragment, Slice } from 'prosemirror-model';
import { EditorState, TextSelection } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import { stripTrackedChanges, unwrapObjectiveSlice } from './clipboard';

const n = schema.nodes;
const t = (s: string) => [schema.text(s)];
const doc = n.doc.create(null, [
  n.title.create(null, t('T')),
  n.objective.create({ id: 'o1' }, [
    n.objective_heading.create(null, t('Heading')),
    n.clause.create({ id: 'a' }, t('Alpha')),
    n.clause.create({ id: 'b' }, t('Bravo')),
    n.clause.create({ id: 'c' }, t('Charlie')),
  ]),
]);
const at = (text: string) => {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found < 0 && node.isTextblock && node.textContent === text) found = pos + 1;
    return found < 0;
  });
  return found;
};

describe('copying clauses', () => {
  it('copies clauses of one objective without the objective around them, so they paste as clauses', () => {
    // What the view copies: the selection with its parents (from the end of Bravo to the end of Charlie).
    const copied = doc.slice(at('Bravo') + 5, at('Charlie') + 7, true);
    expect(copied.content.firstChild?.type).toBe(n.objective);
    const slice = unwrapObjectiveSlice(copied);
    expect(slice.content.firstChild?.type).toBe(n.clause);

    let state = EditorState.create({ doc, selection: TextSelection.create(doc, at('Alpha') + 5) });
    state = state.apply(state.tr.replaceSelection(slice));
    const objective = state.doc.child(1);
    expect(state.doc.childCount).toBe(2);
    expect(objective.child(0).textContent).toBe('Heading');
    expect(objective.content.content.map((c) => c.textContent)).toEqual(['Heading', 'Alpha', 'Charlie', 'Bravo', 'Charlie']);
  });

  it('leaves a slice of whole objectives, or one closed at an end, as it is', () => {
    const whole = doc.slice(at('Heading') - 2, doc.content.size, true);
    expect(unwrapObjectiveSlice(whole)).toBe(whole);
    const inline = new Slice(doc.slice(at('Alpha'), at('Alpha') + 3).content, 0, 0);
    expect(unwrapObjectiveSlice(inline)).toBe(inline);
  });
});

describe('pasting text with pending suggestions', () => {
  it('leaves out text a suggestion deletes and keeps inserted words without their mark', () => {
    const by = { id: 's1', authorId: 'u1', authorName: 'Alice', at: null };
    const para = n.clause.create({ id: 'x' }, [
      schema.text('keep '),
      schema.text('gone ', [schema.marks.deletion.create(by)]),
      schema.text('new', [schema.marks.insertion.create(by), schema.marks.bold.create()]),
    ]);
    const slice = stripTrackedChanges(new Slice(Fragment.from(para), 1, 1));
    const clause = slice.content.firstChild;
    expect(clause?.textContent).toBe('keep new');
    const marks = new Set<string>();
    clause?.descendants((child) => {
      for (const m of child.marks) marks.add(m.type.name);
    });
    expect([...marks]).toEqual(['bold']);
    expect(slice.openStart).toBe(1);
  });
});
