import type { Comment, Thread } from '@shared/api/threads';
import { createRangeAnchor } from '@shared/comments/anchor';
import type { EditorView } from 'prosemirror-view';
import { anchorContextOfView } from '../editor/plugins/commentHighlights';
import { threadsApi } from './api';
import { upsertThread, useComments } from './store';

/** Why proposed wording could not be applied, in words for the member. */
export class ApplyWordingError extends Error {
  override readonly name = 'ApplyWordingError';
}

/** What applying found in the text before changing it. */
export interface ApplyCheck {
  /** The words the thread covers now. */
  current: string;
  /** True when someone edited those words since the comment quoted them. */
  changedSinceQuote: boolean;
}

/** Where the thread's words are now, or an error saying why they cannot be replaced. */
function rangeOf(view: EditorView, thread: Thread): { from: number; to: number; current: string } {
  if (thread.anchor.kind !== 'range') throw new ApplyWordingError('Only a comment on selected text can replace it.');
  const placement = useComments.getState().placements[thread.id];
  if (!placement || placement.status !== 'anchored') {
    throw new ApplyWordingError('The commented text was deleted, so there is nothing left to replace.');
  }
  const { from, to } = placement;
  if (to > view.state.doc.content.size || from >= to) {
    throw new ApplyWordingError('The commented text is changing right now. Try again in a moment.');
  }
  return { from, to, current: view.state.doc.textBetween(from, to, '\n', ' ') };
}

/** Checks, without changing anything, what applying `comment`'s wording would replace. */
export function checkProposedWording(view: EditorView, thread: Thread): ApplyCheck {
  const { current } = rangeOf(view, thread);
  return { current, changedSinceQuote: thread.anchor.kind === 'range' && current !== thread.anchor.quote };
}

/**
 * Applies a comment's proposed wording in one step: replaces the thread's words in the editor with
 * the wording and records on the server who applied it (the comment already names who proposed it),
 * then moves the thread onto the new words.
 *
 * The server is asked first: it accepts one application per comment, so two members clicking at once
 * never replace the text twice. Only then is the text changed, as one undoable edit of the applier.
 *
 * This is the one seam between comments and suggesting mode (issue 4): to make the application a
 * tracked change attributed to the proposer, replace the `view.dispatch(tr)` below with the
 * suggesting-mode command that inserts `wording` as a suggestion by `comment.author` — nothing else in
 * the comments code touches the text.
 */
export async function applyProposedWording(
  view: EditorView,
  documentId: string,
  thread: Thread,
  comment: Comment,
): Promise<Thread | null> {
  const wording = comment.proposedWording;
  if (wording === null) throw new ApplyWordingError('This comment proposes no wording.');
  if (comment.applied) throw new ApplyWordingError(`${comment.applied.by.name} has already applied this wording.`);
  if (!view.editable) throw new ApplyWordingError('Your role may not edit the text.');
  rangeOf(view, thread);

  const recorded = await threadsApi.applyWording(documentId, thread.id, comment.id);
  if (recorded) upsertThread(recorded);

  // The text may have moved while the request was under way: find the words again.
  const { from, to } = rangeOf(view, thread);
  const $from = view.state.doc.resolve(from);
  const marks = $from.marksAcross(view.state.doc.resolve(to)) ?? $from.marks();
  const tr = view.state.tr;
  if (wording === '') tr.delete(from, to);
  else tr.replaceWith(from, to, view.state.schema.text(wording, marks));
  view.dispatch(tr.scrollIntoView());
  view.focus();

  // Yjs sees a replacement as a deletion, which would leave the thread "on deleted text": move the
  // thread onto the words that replaced its old ones.
  if (wording === '') return recorded;
  const ctx = anchorContextOfView(view.state);
  const anchor = ctx && createRangeAnchor(ctx, from, from + wording.length);
  if (!anchor || thread.anchor.kind !== 'range') return recorded;
  const moved = await threadsApi.move(documentId, thread.id, { ...anchor, clauseNumber: thread.anchor.clauseNumber });
  if (moved) upsertThread(moved);
  return moved ?? recorded;
}
