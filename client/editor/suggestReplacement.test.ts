import { listChanges, suggestTransaction } from '@shared/changes';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { EditorState, type Transaction } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import { trackChangesPlugins } from './plugins/trackChanges';
import { checkReplacement, type EditorLike, SuggestionRefused, suggestReplacement, withdrawChange } from './suggestReplacement';

const proposer = { id: 'u-panel', name: 'Nadia' };

/** An editor stand-in: a state with the track-changes plugins, where clause `locked` is agreed. */
function editor(text = 'Include young people now.', locked: { id: string | null } = { id: null }): EditorLike & { text(): string } {
  let state = EditorState.create({
    doc: doc(title('T'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, text))),
    plugins: trackChangesPlugins({
      initial: { mode: 'editing', forced: false },
      isLocked: (id) => id === locked.id,
      onBlocked: () => {},
      roleOf: () => null,
    }),
  });
  return {
    get state() {
      return state;
    },
    dispatch(tr: Transaction) {
      state = state.apply(tr);
    },
    text: () => state.doc.textBetween(0, state.doc.content.size, '\n'),
  };
}

/** The positions of `words` in the first clause. */
function range(view: EditorLike, words: string): [number, number] {
  let at = -1;
  view.state.doc.descendants((node, pos) => {
    if (at >= 0 || node.type.name !== 'clause') return at < 0;
    at = pos + 1 + node.textContent.indexOf(words);
    return false;
  });
  return [at, at + words.length];
}

describe('a tracked replacement for someone else', () => {
  it('replaces the words with a deletion and an insertion under the given id, attributed to the proposer', () => {
    const view = editor();
    const [from, to] = range(view, 'young people');
    expect(checkReplacement(view.state, from, to, 'youth', proposer)).toBeNull();
    expect(suggestReplacement(view, from, to, 'youth', proposer, { id: 's-granted' })).toBe('s-granted');
    expect(listChanges(view.state.doc)).toEqual([
      expect.objectContaining({ id: 's-granted', kind: 'replacement', deleted: 'young people', inserted: 'youth', authorId: 'u-panel', authorName: 'Nadia' }),
    ]);
  });

  it('never joins an adjacent pending change of the proposer: the granted id stays its own', () => {
    const view = editor();
    // The proposer's own earlier suggestion right before the words.
    const [at] = range(view, 'young people');
    const own = suggestTransaction(view.state, view.state.tr.insertText('all ', at), proposer, { freshId: () => 's-earlier' });
    if (!own.ok) throw new Error(own.reason);
    view.dispatch(own.tr);
    const [from, to] = range(view, 'young people');
    suggestReplacement(view, from, to, 'youth', proposer, { id: 's-granted' });
    expect(listChanges(view.state.doc).map((c) => [c.id, c.inserted, c.deleted])).toEqual([
      ['s-earlier', 'all ', ''],
      ['s-granted', 'youth', 'young people'],
    ]);
  });

  it('refuses words that hold a pending insertion, and changes nothing', () => {
    const view = editor();
    const [at] = range(view, 'people');
    const other = suggestTransaction(view.state, view.state.tr.insertText('brave ', at), { id: 'u-other', name: 'O' });
    if (!other.ok) throw new Error(other.reason);
    view.dispatch(other.tr);
    const before = view.state.doc;
    const [from, to] = range(view, 'young brave people');
    expect(checkReplacement(view.state, from, to, 'youth', proposer)).toBe('pending-change');
    expect(() => suggestReplacement(view, from, to, 'youth', proposer)).toThrow(SuggestionRefused);
    expect(view.state.doc.eq(before)).toBe(true);
  });

  it('refuses a locked clause, both when checking and when replacing', () => {
    const locked = { id: null as string | null };
    const view = editor(undefined, locked);
    const [from, to] = range(view, 'young people');
    locked.id = 'c-1';
    expect(checkReplacement(view.state, from, to, 'youth', proposer)).toBe('locked');
    const refused = (() => {
      try {
        suggestReplacement(view, from, to, 'youth', proposer);
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(SuggestionRefused);
    expect((refused as SuggestionRefused).reason).toBe('locked');
    expect(listChanges(view.state.doc)).toEqual([]);
  });

  it('refuses a range outside the document', () => {
    const view = editor();
    expect(checkReplacement(view.state, 5, view.state.doc.content.size + 3, 'x', proposer)).toBe('invalid-range');
  });

  it('makes empty wording a tracked deletion', () => {
    const view = editor();
    const [from, to] = range(view, 'young ');
    suggestReplacement(view, from, to, '', proposer, { id: 's-cut' });
    expect(listChanges(view.state.doc)).toEqual([expect.objectContaining({ id: 's-cut', kind: 'deletion', deleted: 'young ' })]);
  });

  it('withdraws its change again, leaving the text as it was', () => {
    const view = editor();
    const before = view.text();
    const [from, to] = range(view, 'young people');
    suggestReplacement(view, from, to, 'youth', proposer, { id: 's-granted' });
    expect(withdrawChange(view, 's-granted')).toBe(true);
    expect(view.text()).toBe(before);
    expect(listChanges(view.state.doc)).toEqual([]);
    expect(withdrawChange(view, 's-granted')).toBe(false);
  });
});
