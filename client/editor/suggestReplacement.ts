import {
  type ChangeAuthor,
  changeMarkOf,
  decideChanges,
  listChanges,
  newChangeId,
  suggestTransaction,
} from '@shared/changes';
import type { EditorState, Transaction } from 'prosemirror-state';

/** Why a tracked replacement cannot be made. */
export type ReplacementRefusal = 'foreign-insertion' | 'pending-change' | 'unsupported' | 'locked' | 'invalid-range';

/** Why {@link suggestReplacement} made no change. */
export class SuggestionRefused extends Error {
  constructor(readonly reason: ReplacementRefusal) {
    super(
      {
        'foreign-insertion': 'The text to replace contains another member\'s pending suggestion.',
        'pending-change': 'The text to replace holds a pending suggestion: a Co-Chair must accept or reject it first.',
        unsupported: 'This change cannot be made as a suggestion.',
        locked: 'The clause is locked (agreed).',
        'invalid-range': 'The range to replace is not in the document.',
      }[reason],
    );
    this.name = 'SuggestionRefused';
  }
}

/** What the functions here need of an editor: its state, and a way to apply a transaction (an EditorView). */
export interface EditorLike {
  readonly state: EditorState;
  dispatch(tr: Transaction): void;
}

/** True when `[from, to)` holds text that someone suggested inserting (their change is still pending). */
function holdsPendingInsertion(state: EditorState, from: number, to: number): boolean {
  let found = false;
  state.doc.nodesBetween(from, to, (node) => {
    if (found) return false;
    if (node.isText && changeMarkOf(node)?.type.name === 'insertion') found = true;
    return !found;
  });
  return found;
}

/** The tracked form of the replacement, or why there is none. */
function trackedReplacement(
  state: EditorState,
  from: number,
  to: number,
  text: string,
  author: ChangeAuthor,
  id: string,
  now?: string,
): { ok: true; tr: Transaction } | { ok: false; reason: ReplacementRefusal } {
  if (from < 0 || to > state.doc.content.size || from > to) return { ok: false, reason: 'invalid-range' };
  // Replacing words that hold a pending insertion would delete it for real (a decision) or stack one
  // suggestion on another: the pending one is decided first.
  if (holdsPendingInsertion(state, from, to)) return { ok: false, reason: 'pending-change' };
  const tr = text.length > 0 ? state.tr.insertText(text, from, to) : state.tr.delete(from, to);
  const out = suggestTransaction(state, tr, author, { now, freshId: () => id, standalone: true });
  if (!out.ok) return out;
  // The editor's filters (the agreed-clause lock) would drop it.
  if (state.applyTransaction(out.tr).transactions.length === 0) return { ok: false, reason: 'locked' };
  return { ok: true, tr: out.tr };
}

/**
 * Checks, without changing anything, whether {@link suggestReplacement} could replace `[from, to)`
 * with `text` for `author`; returns null when it could, or why not. Note that a locked clause also
 * makes the editor show its "clause locked" notice.
 */
export function checkReplacement(
  state: EditorState,
  from: number,
  to: number,
  text: string,
  author: ChangeAuthor,
): ReplacementRefusal | null {
  const out = trackedReplacement(state, from, to, text, author, 'check');
  return out.ok ? null : out.reason;
}

/**
 * Replaces the text between `from` and `to` with `text` as a tracked change attributed to `author`
 * (not to the person at the keyboard): a deletion of the old text and an insertion of the new one
 * under one change id, whatever mode the editor is in. Used to apply a panel member's proposed wording
 * from a comment. Returns the id of the new change; throws {@link SuggestionRefused} when nothing
 * could be changed. The change is always one of its own (never joined to an adjacent change of the
 * same author), under `options.id` when given. The server flags changes attributed to someone other
 * than their writer unless the route that applies the proposal granted that id first
 * (`collab.allowAttribution(documentId, { writerId, authorId, changeId })`).
 */
export function suggestReplacement(
  view: EditorLike,
  from: number,
  to: number,
  text: string,
  author: ChangeAuthor,
  options: { id?: string; now?: string } = {},
): string {
  const id = options.id ?? newChangeId();
  const out = trackedReplacement(view.state, from, to, text, author, id, options.now);
  if (!out.ok) throw new SuggestionRefused(out.reason);
  const before = view.state;
  view.dispatch(out.tr);
  // The clause lock filters the transaction away when the clause is agreed.
  if (view.state === before) throw new SuggestionRefused('locked');
  return id;
}

/**
 * Takes back a change this editor just made with {@link suggestReplacement} (the server could not
 * record it): rejects it locally, which the grant for its id lets the writer do without a flag.
 * Returns whether it was taken back (false when it is not there, or the editor refused).
 */
export function withdrawChange(view: EditorLike, changeId: string): boolean {
  if (!listChanges(view.state.doc).some((c) => c.id === changeId)) return false;
  const tr = decideChanges(view.state, [changeId], 'reject');
  if (!tr) return false;
  const before = view.state;
  view.dispatch(tr);
  // The clause lock drops it when the clause was agreed meanwhile.
  return view.state !== before;
}
