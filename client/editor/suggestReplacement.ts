import { type ChangeAuthor, listChanges, newChangeId, suggestTransaction } from '@shared/changes';
import type { EditorView } from 'prosemirror-view';

/** Why {@link suggestReplacement} made no change. */
export class SuggestionRefused extends Error {
  constructor(readonly reason: 'foreign-insertion' | 'unsupported' | 'locked' | 'invalid-range') {
    super(
      {
        'foreign-insertion': 'The text to replace contains another member\'s pending suggestion.',
        unsupported: 'This change cannot be made as a suggestion.',
        locked: 'The clause is locked (agreed).',
        'invalid-range': 'The range to replace is not in the document.',
      }[reason],
    );
    this.name = 'SuggestionRefused';
  }
}

/**
 * Replaces the text between `from` and `to` with `text` as a tracked change attributed to `author`
 * (not to the person at the keyboard): a deletion of the old text and an insertion of the new one
 * under one change id, whatever mode the editor is in. Used to apply a panel member's proposed wording
 * from a comment. Returns the id of the new change; throws {@link SuggestionRefused} when nothing
 * could be changed. The server flags changes attributed to someone other than their writer unless
 * the route that applies the proposal first calls `collab.allowAttribution(documentId, { writerId,
 * authorId, changeId })` — pass the id you will use as `options.id`.
 */
export function suggestReplacement(
  view: EditorView,
  from: number,
  to: number,
  text: string,
  author: ChangeAuthor,
  options: { id?: string; now?: string } = {},
): string {
  const { state } = view;
  if (from < 0 || to > state.doc.content.size || from > to) throw new SuggestionRefused('invalid-range');
  const id = options.id ?? newChangeId();
  const tr = text.length > 0 ? state.tr.insertText(text, from, to) : state.tr.delete(from, to);
  const out = suggestTransaction(state, tr, author, { now: options.now, freshId: () => id });
  if (!out.ok) throw new SuggestionRefused(out.reason);
  const before = view.state;
  view.dispatch(out.tr);
  // The clause lock filters the transaction away when the clause is agreed.
  if (view.state === before) throw new SuggestionRefused('locked');
  const made = listChanges(view.state.doc).find((c) => c.id === id || c.authorId === author.id && c.from <= from + text.length && c.to >= from);
  return made?.id ?? id;
}
