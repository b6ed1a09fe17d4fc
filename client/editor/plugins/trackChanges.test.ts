import { listChanges } from '@shared/changes';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { EditorState } from 'prosemirror-state';
import { ySyncPluginKey } from 'y-prosemirror';
import { describe, expect, it } from 'vitest';
import { modeKey, touchedClauseIds, trackChangesPlugins, transactionFor } from './trackChanges';

const me = { id: 'u-me', name: 'Me' };

function suggestingState() {
  return EditorState.create({
    doc: doc(title('T'), objective({ id: 'o1' }, heading('H'), clause({ id: 'c1' }, 'Act.'), clause({ id: 'c2' }, 'Agreed.'))),
    plugins: trackChangesPlugins({
      initial: { mode: 'suggesting', forced: false },
      isLocked: (id) => id === 'c2',
      onBlocked: () => {},
      roleOf: () => null,
    }),
  });
}

describe('suggesting mode', () => {
  it('tracks a local edit as the local author\'s suggestion', () => {
    const state = suggestingState();
    const out = transactionFor(state, state.tr.insertText('x', 9), { author: me, onRefused: () => {} });
    expect(listChanges(out!.doc)).toMatchObject([{ inserted: 'x', authorId: 'u-me' }]);
  });

  it('passes a remote transaction untouched, so a peer\'s edit never becomes the local user\'s suggestion', () => {
    const state = suggestingState();
    const remote = state.tr.insertText('x', 9).setMeta(ySyncPluginKey, { isChangeOrigin: true });
    expect(transactionFor(state, remote, { author: me, onRefused: () => {} })).toBe(remote);
    const undo = state.tr.insertText('y', 9).setMeta(ySyncPluginKey, { isChangeOrigin: true, isUndoRedoOperation: true });
    expect(transactionFor(state, undo, { author: me, onRefused: () => {} })).toBe(undo);
  });

  it('refuses Editing while the policy forces suggesting', () => {
    let state = suggestingState();
    state = state.apply(state.tr.setMeta(modeKey, { forced: true }));
    state = state.apply(state.tr.setMeta(modeKey, { mode: 'editing' }));
    expect(modeKey.getState(state)).toEqual({ mode: 'suggesting', forced: true });
  });

  it('locks an agreed clause against local edits but lets remote ones through', () => {
    const state = suggestingState();
    const inAgreed = state.tr.insertText('!', 15);
    expect(touchedClauseIds(inAgreed)).toEqual(['c2']);
    expect(state.applyTransaction(inAgreed).state.doc.eq(state.doc)).toBe(true);
    const remote = state.tr.insertText('!', 15).setMeta(ySyncPluginKey, { isChangeOrigin: true });
    expect(state.applyTransaction(remote).state.doc.eq(state.doc)).toBe(false);
  });
});
