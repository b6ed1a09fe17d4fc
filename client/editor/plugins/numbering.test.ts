import { baselineFromOutline, computeOutline } from '@shared/numbering';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { EditorState } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import { numberingPlugin, numberingPluginKey } from './numbering';

const frozen = doc(title('T'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'a' }, 'A'), clause({ id: 'b' }, 'B')));
const withInsertion = doc(
  title('T'),
  objective({ id: 'o-1' }, heading('H'), clause({ id: 'a' }, 'A'), clause({ id: 'new' }, 'N'), clause({ id: 'b' }, 'B')),
);
const numbers = (state: EditorState) => numberingPluginKey.getState(state)?.outline.clauses.map((c) => c.number);

describe('numberingPlugin', () => {
  it('numbers plainly, and "bis" once given the baseline of the last freeze, without touching the text', () => {
    const state = EditorState.create({ doc: withInsertion, plugins: [numberingPlugin()] });
    expect(numbers(state)).toEqual(['1.1', '1.2', '1.3']);
    const baseline = baselineFromOutline(computeOutline(frozen));
    const tr = state.tr.setMeta(numberingPluginKey, { baseline });
    const next = state.apply(tr);
    expect(tr.docChanged).toBe(false);
    expect(numbers(next)).toEqual(['1.1', '1.1 bis', '1.2']);
    // The baseline stays in force across edits, until it is replaced (null: plain numbering again).
    const edited = next.apply(next.tr.insertText('x', 8));
    expect(edited.doc.child(1).child(1).textContent).toBe('xA');
    expect(numbers(edited)).toEqual(['1.1', '1.1 bis', '1.2']);
    expect(numbers(edited.apply(edited.tr.setMeta(numberingPluginKey, { baseline: null })))).toEqual(['1.1', '1.2', '1.3']);
  });
});
