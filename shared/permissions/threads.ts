import type { ThreadVisibility } from '../api/threads';
import { can } from './can';
import { type Role, roles } from './roles';

/**
 * The rules of comment threads (PRODUCT.md §1, "comment, reply, propose wording" and "resolve /
 * reopen a thread"), on top of `can`. The server enforces them; the client uses the same functions to
 * hide what would be refused.
 */

/** What the rules need to know about a thread. */
export interface ThreadFacts {
  visibility: ThreadVisibility;
  /** The member who started the thread. */
  createdBy: string;
  /** The frozen version it is on, or null for the live draft. */
  versionId: string | null;
}

/**
 * What the rules need to know about the viewer and the validation round a thread of feedback belongs
 * to (threads on a frozen version are feedback of one round). Whether the round is still open is not
 * a permission: the server answers 409 for new feedback on a closed round, the client hides the forms.
 */
export interface RoundFacts {
  /** The viewer validates this round (invited and joined). */
  validator: boolean;
}

/** What the rules need to know about a comment. */
export interface CommentFacts {
  authorId: string;
  deleted: boolean;
}

/** The roles that may read internal threads: the audience of their live events. */
export const internalRoles: readonly Role[] = roles.filter((role) => can(role, 'thread.readInternal'));

/**
 * Whether `role` may see threads on the live draft, or (with a version id) the feedback of a
 * validation round on a frozen version: the round's validators, and the roles that process feedback
 * (`round.readFeedback`: Secretariat, Co-Chairs, drafters). A validator never sees the live draft's threads.
 */
export function canReadThreadsOn(role: Role | null | undefined, versionId: string | null, round?: RoundFacts): boolean {
  if (versionId === null) return can(role, 'document.readLive');
  return !!role && (round?.validator === true || can(role, 'round.readFeedback'));
}

/** Whether `role` may see `thread`: internal threads are for Secretariat and Co-Chairs only. */
export function canSeeThread(role: Role | null | undefined, thread: ThreadFacts, round?: RoundFacts): boolean {
  if (!canReadThreadsOn(role, thread.versionId, round)) return false;
  return thread.visibility === 'everyone' || can(role, 'thread.readInternal');
}

/** Whether `role` may start a thread with `visibility` (on the live draft). */
export function canStartThread(role: Role | null | undefined, visibility: ThreadVisibility): boolean {
  if (!can(role, 'thread.comment') || !canReadThreadsOn(role, null)) return false;
  return visibility === 'everyone' || can(role, 'thread.readInternal');
}

/**
 * Whether `role` may start a thread of feedback in a round: only its validators (being invited to
 * validate a round is what lets a person comment on its version). Feedback is never internal.
 */
export function canStartFeedback(role: Role | null | undefined, round: RoundFacts): boolean {
  return !!role && round.validator;
}

/**
 * Whether `role` may reply to `thread` (open or resolved). In a round's feedback, its validators and
 * those who process feedback (to ask what a validator meant) may reply.
 */
export function canReply(role: Role | null | undefined, thread: ThreadFacts, round?: RoundFacts): boolean {
  if (!canSeeThread(role, thread, round)) return false;
  if (thread.versionId !== null && round?.validator === true) return true;
  return can(role, 'thread.comment');
}

/** Whether member `userId` with `role` may edit `comment`: only its author, while they may comment. */
export function canEditComment(
  role: Role | null | undefined,
  userId: string,
  thread: ThreadFacts,
  comment: CommentFacts,
  round?: RoundFacts,
): boolean {
  return !comment.deleted && comment.authorId === userId && canReply(role, thread, round);
}

/** Whether member `userId` with `role` may delete `comment`: its author, or the Secretariat. */
export function canDeleteComment(
  role: Role | null | undefined,
  userId: string,
  thread: ThreadFacts,
  comment: CommentFacts,
  round?: RoundFacts,
): boolean {
  if (comment.deleted || !canSeeThread(role, thread, round)) return false;
  if (comment.authorId === userId) return canReply(role, thread, round);
  return can(role, 'thread.moderate');
}

/**
 * Whether member `userId` with `role` may resolve or reopen `thread`: any (chairs) or their own. Feedback
 * is resolved by the chairs only (validators do not resolve, PRODUCT.md §1).
 */
export function canResolve(role: Role | null | undefined, userId: string, thread: ThreadFacts, round?: RoundFacts): boolean {
  if (!canSeeThread(role, thread, round)) return false;
  if (can(role, 'thread.resolveAny')) return true;
  return thread.versionId === null && thread.createdBy === userId && can(role, 'thread.resolveOwn');
}

/** Whether `role` may make a thread internal or visible to everyone (not feedback: its validators must see it). */
export function canChangeVisibility(role: Role | null | undefined, thread: ThreadFacts): boolean {
  return thread.versionId === null && canSeeThread(role, thread) && can(role, 'thread.readInternal');
}

/** Whether `role` may apply a comment's proposed wording to the text: whoever may edit it. */
export function canApplyWording(role: Role | null | undefined, thread: ThreadFacts): boolean {
  return canSeeThread(role, thread) && thread.versionId === null && can(role, 'document.edit');
}

/**
 * Whether `role` may carry a round's feedback thread to the live draft (a new live thread on the same
 * clause, linked to the feedback): whoever may edit the text and read the feedback.
 */
export function canCarryFeedback(role: Role | null | undefined, thread: ThreadFacts): boolean {
  return thread.versionId !== null && canSeeThread(role, thread) && can(role, 'document.edit');
}
