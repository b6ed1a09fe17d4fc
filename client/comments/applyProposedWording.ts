import type { ApplyCancelReason, Comment, RangeAnchor, Thread } from '@shared/api/threads';
import { listChanges } from '@shared/changes';
import { ApiError } from '../api/client';
import {
  checkReplacement,
  type EditorLike,
  type ReplacementRefusal,
  SuggestionRefused,
  suggestReplacement,
  withdrawChange,
} from '../editor/suggestReplacement';
import type { threadsApi } from './api';
import { errorMessage } from './store';

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

/** Where a thread's words are now, as document positions; null when they are gone. */
export type Located = { from: number; to: number } | null;

/** What applying needs from around the editor: the page's (`pageApplyDeps`), or a test's. */
export interface ApplyDeps {
  api: Pick<typeof threadsApi, 'startApplying' | 'confirmApplying' | 'cancelApplying'>;
  /** Where the thread's words are in the editor's text now. */
  locate(view: EditorLike, thread: Thread): Located;
  /** A range anchor for `[from, to)` of the editor's text, or null when none can be made. */
  anchorFor(view: EditorLike, from: number, to: number): RangeAnchor | null;
  /** Resolves once the server has stored this editor's edits (false when it took too long). */
  whenStored(): Promise<boolean>;
  /** Waits before trying again. */
  pause(ms: number): Promise<void>;
  /** Takes a thread as the server now has it. */
  onThread(thread: Thread): void;
}

/** How often the confirmation is tried while the change is still on its way to the server. */
const CONFIRM_ATTEMPTS = 4;

/** Where the thread's words are, or an error saying why they cannot be replaced. */
function rangeOf(view: EditorLike, thread: Thread, deps: ApplyDeps): { from: number; to: number; current: string } {
  if (thread.anchor.kind !== 'range') throw new ApplyWordingError('Only a comment on selected text can replace it.');
  const located = deps.locate(view, thread);
  if (!located) throw new ApplyWordingError('The commented text was deleted, so there is nothing left to replace.');
  const { from, to } = located;
  if (to > view.state.doc.content.size || from >= to) {
    throw new ApplyWordingError('The commented text is changing right now. Try again in a moment.');
  }
  return { from, to, current: view.state.doc.textBetween(from, to, '\n', ' ') };
}

/** Why the editor cannot make the change, in words for the member. */
export function refusalMessage(reason: ReplacementRefusal): string {
  switch (reason) {
    case 'locked':
      return 'This clause is agreed and locked: only Co-Chairs and the Secretariat may change it, so the wording was not applied.';
    case 'pending-change':
    case 'foreign-insertion':
      return 'The commented words hold a pending suggestion. A Co-Chair must accept or reject it before this wording can be applied.';
    case 'unsupported':
      return 'This wording cannot be applied as a tracked change here (it would change the structure of the document).';
    case 'invalid-range':
      return 'The commented text is changing right now. Try again in a moment.';
  }
}

function cancelReasonOf(reason: ReplacementRefusal): ApplyCancelReason {
  if (reason === 'locked' || reason === 'unsupported') return reason;
  if (reason === 'invalid-range') return 'text-gone';
  return 'pending-change';
}

/** Checks, without changing anything, what applying `comment`'s wording would replace. */
export function checkProposedWording(view: EditorLike, thread: Thread, deps: ApplyDeps): ApplyCheck {
  const { current } = rangeOf(view, thread, deps);
  return { current, changedSinceQuote: thread.anchor.kind === 'range' && current !== thread.anchor.quote };
}

/**
 * The anchor of the change `changeId` for `thread`: both the old words (struck through) and the new
 * ones, so that the thread stays on the new words when the change is accepted and on the old ones
 * when it is rejected. The quote stays the words the thread was about.
 */
function changeAnchor(view: EditorLike, thread: Thread, changeId: string, deps: ApplyDeps): RangeAnchor | undefined {
  if (thread.anchor.kind !== 'range') return undefined;
  const change = listChanges(view.state.doc).find((c) => c.id === changeId);
  const anchor = change && deps.anchorFor(view, change.from, change.to);
  if (!anchor) return undefined;
  return { ...anchor, quote: thread.anchor.quote, clauseNumber: thread.anchor.clauseNumber };
}

/** Confirms, trying again while the change is still on its way to the server (or the network hiccups). */
async function confirm(
  deps: ApplyDeps,
  ids: { documentId: string; threadId: string; commentId: string },
  body: { changeId: string; anchor?: RangeAnchor },
): Promise<Thread | null> {
  for (let attempt = 1; ; attempt++) {
    await deps.whenStored();
    try {
      return await deps.api.confirmApplying(ids.documentId, ids.threadId, ids.commentId, body);
    } catch (error) {
      const retry = error instanceof ApiError && (error.code === 'change_not_found' || error.status === 0);
      if (!retry || attempt >= CONFIRM_ATTEMPTS) throw error;
      await deps.pause(attempt * 500);
    }
  }
}

/**
 * Applies a comment's proposed wording as a **tracked change attributed to the member who proposed
 * it**, which a Co-Chair then accepts or rejects like any other. This is the one seam between comments
 * and suggesting mode; nothing else in the comments code touches the text. The steps, in an order that
 * never leaves the record and the text disagreeing:
 *
 * 1. Check in the editor whether the change can be made (the clause is not locked, the words hold no
 *    pending suggestion …): most refusals end here, before anything is recorded.
 * 2. `POST …/apply`: the server reserves the wording for this member (two members clicking at once
 *    never double the text) and grants a fresh change id in the proposer's name, so the change is not
 *    flagged as forged attribution.
 * 3. The editor makes the replacement under that id. If it refuses after all (the clause became agreed
 *    meanwhile), `POST …/apply/cancel` ends the reservation: nothing was recorded as applied.
 * 4. Once the server has stored the edit, `POST …/apply/confirm` records who applied it. The server
 *    accepts only when its own copy of the text holds the change, attributed to the proposer; the
 *    thread moves onto the change in the same step.
 * 5. If the server refuses the confirmation, the editor takes its change back and cancels, so the text
 *    never holds a change the record denies. (When the server cannot be reached at all, the change is
 *    left: the server counts it as applied the next time anyone tries, finding it in its text.)
 *
 * Returns the thread as the server now has it.
 */
export async function applyProposedWording(
  view: EditorLike,
  documentId: string,
  thread: Thread,
  comment: Comment,
  deps: ApplyDeps,
): Promise<Thread | null> {
  if (comment.proposedWording === null) throw new ApplyWordingError('This comment proposes no wording.');
  if (comment.applied) throw new ApplyWordingError(`${comment.applied.by.name} has already applied this wording.`);
  const proposer = { id: comment.author.id, name: comment.author.name };
  const ids = { documentId, threadId: thread.id, commentId: comment.id };

  const planned = rangeOf(view, thread, deps);
  const refusal = checkReplacement(view.state, planned.from, planned.to, comment.proposedWording, proposer);
  if (refusal) throw new ApplyWordingError(refusalMessage(refusal));

  const { application } = await deps.api.startApplying(documentId, thread.id, comment.id);
  const { changeId } = application;

  try {
    // The text may have moved while the request was under way: find the words again.
    const { from, to } = rangeOf(view, thread, deps);
    suggestReplacement(view, from, to, application.wording, application.author, { id: changeId });
  } catch (error) {
    const reason = error instanceof SuggestionRefused ? cancelReasonOf(error.reason) : 'text-gone';
    await deps.api.cancelApplying(documentId, thread.id, comment.id, { changeId, reason }).catch(() => null);
    if (error instanceof SuggestionRefused) throw new ApplyWordingError(refusalMessage(error.reason));
    throw error;
  }

  const anchor = changeAnchor(view, thread, changeId, deps);
  try {
    const recorded = await confirm(deps, ids, anchor ? { changeId, anchor } : { changeId });
    if (recorded) deps.onThread(recorded);
    return recorded;
  } catch (error) {
    if (error instanceof ApiError && error.status === 0) {
      throw new ApplyWordingError(
        'The wording is in the text as a tracked change, but the server could not be reached to record who applied it. It will be recorded the next time anyone applies this wording.',
      );
    }
    if (!withdrawChange(view, changeId)) {
      // Left in place (the clause was locked meanwhile): the reservation stays, so the server records the
      // change as applied the next time anyone applies this wording.
      throw new ApplyWordingError(
        `${errorMessage(error)} The change could not be taken back either: ask a Co-Chair to reject it if it should not stay.`,
      );
    }
    await deps.whenStored();
    await deps.api.cancelApplying(documentId, thread.id, comment.id, { changeId, reason: 'not-recorded' }).catch(() => null);
    throw new ApplyWordingError(`${errorMessage(error)} The change was taken back.`);
  }
}
