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

/** What the rules need to know about a comment. */
export interface CommentFacts {
  authorId: string;
  deleted: boolean;
}

/** The roles that may read internal threads: the audience of their live events. */
export const internalRoles: readonly Role[] = roles.filter((role) => can(role, 'thread.readInternal'));

/** Whether `role` may see threads on the live draft, or (with a version id) on a frozen version. */
export function canReadThreadsOn(role: Role | null | undefined, versionId: string | null): boolean {
  // Rounds (issue 6) will let a validator read the threads of their round's version too.
  void versionId;
  return can(role, 'document.readLive');
}

/** Whether `role` may see `thread`: internal threads are for Secretariat and Co-Chairs only. */
export function canSeeThread(role: Role | null | undefined, thread: ThreadFacts): boolean {
  if (!canReadThreadsOn(role, thread.versionId)) return false;
  return thread.visibility === 'everyone' || can(role, 'thread.readInternal');
}

/** Whether `role` may start a thread with `visibility` (on the live draft). */
export function canStartThread(role: Role | null | undefined, visibility: ThreadVisibility): boolean {
  if (!can(role, 'thread.comment') || !canReadThreadsOn(role, null)) return false;
  return visibility === 'everyone' || can(role, 'thread.readInternal');
}

/** Whether `role` may reply to `thread` (open or resolved). */
export function canReply(role: Role | null | undefined, thread: ThreadFacts): boolean {
  return can(role, 'thread.comment') && canSeeThread(role, thread);
}

/** Whether member `userId` with `role` may edit `comment`: only its author, while they may comment. */
export function canEditComment(
  role: Role | null | undefined,
  userId: string,
  thread: ThreadFacts,
  comment: CommentFacts,
): boolean {
  return !comment.deleted && comment.authorId === userId && canReply(role, thread);
}

/** Whether member `userId` with `role` may delete `comment`: its author, or the Secretariat. */
export function canDeleteComment(
  role: Role | null | undefined,
  userId: string,
  thread: ThreadFacts,
  comment: CommentFacts,
): boolean {
  if (comment.deleted || !canSeeThread(role, thread)) return false;
  if (comment.authorId === userId) return can(role, 'thread.comment');
  return can(role, 'thread.moderate');
}

/** Whether member `userId` with `role` may resolve or reopen `thread`: any (chairs) or their own. */
export function canResolve(role: Role | null | undefined, userId: string, thread: ThreadFacts): boolean {
  if (!canSeeThread(role, thread)) return false;
  if (can(role, 'thread.resolveAny')) return true;
  return thread.createdBy === userId && can(role, 'thread.resolveOwn');
}

/** Whether `role` may make a thread internal or visible to everyone. */
export function canChangeVisibility(role: Role | null | undefined, thread: ThreadFacts): boolean {
  return canSeeThread(role, thread) && can(role, 'thread.readInternal');
}

/** Whether `role` may apply a comment's proposed wording to the text: whoever may edit it. */
export function canApplyWording(role: Role | null | undefined, thread: ThreadFacts): boolean {
  return canSeeThread(role, thread) && thread.versionId === null && can(role, 'document.edit');
}
