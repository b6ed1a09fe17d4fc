import type { Role } from './roles';

/**
 * Everything a member may try to do. One name per capability of PRODUCT.md §1; the server checks
 * each through `can`, and the client uses the same function only to hide what would be refused.
 */
export const actions = [
  'document.readLive',
  'document.edit',
  'document.suggest',
  'change.decide',
  'clause.setStatus',
  'thread.comment',
  'thread.resolveAny',
  'thread.resolveOwn',
  'thread.readInternal',
  'evidence.read',
  'thread.moderate',
  'evidence.manage',
  'version.freeze',
  'version.restore',
  'round.manage',
  'round.readFeedback',
  'member.manage',
  'document.setPolicy',
] as const;
export type Action = (typeof actions)[number];

const allow: Record<Action, readonly Role[]> = {
  'document.readLive': ['secretariat', 'co_chair', 'drafter', 'panel', 'observer'],
  'document.edit': ['secretariat', 'co_chair', 'drafter'],
  'document.suggest': ['secretariat', 'co_chair', 'drafter'],
  'change.decide': ['secretariat', 'co_chair'],
  // A drafter may set some statuses only; see `canSetStatus`.
  'clause.setStatus': ['secretariat', 'co_chair', 'drafter'],
  'thread.comment': ['secretariat', 'co_chair', 'drafter', 'panel', 'validator'],
  'thread.resolveAny': ['secretariat', 'co_chair'],
  'thread.resolveOwn': ['secretariat', 'co_chair', 'drafter', 'panel'],
  'thread.readInternal': ['secretariat', 'co_chair'],
  // Everyone who reads the live draft sees the evidence it rests on (validators see only their round).
  'evidence.read': ['secretariat', 'co_chair', 'drafter', 'panel', 'observer'],
  // Removing someone else's comment (abuse, a posting in the wrong place) is the Secretariat's call.
  'thread.moderate': ['secretariat'],
  'evidence.manage': ['secretariat', 'co_chair', 'drafter'],
  'version.freeze': ['secretariat', 'co_chair'],
  // Replaces the whole live text with a frozen one: the chairs' decision, like a freeze.
  'version.restore': ['secretariat', 'co_chair'],
  'round.manage': ['secretariat'],
  // Validators' feedback is input for those who process it into the text; a validator reads their own round's.
  'round.readFeedback': ['secretariat', 'co_chair', 'drafter'],
  'member.manage': ['secretariat'],
  'document.setPolicy': ['secretariat'],
};

/** True when a member with `role` may perform `action`. A missing role (not a member) may do nothing. */
export function can(role: Role | null | undefined, action: Action): boolean {
  if (!role) return false;
  return allow[action].includes(role);
}

/** The statuses of a clause (PRODUCT.md §2). */
export const clauseStatuses = ['draft', 'proposed', 'bracketed', 'agreed', 'withdrawn'] as const;
export type ClauseStatus = (typeof clauseStatuses)[number];

/** The statuses only a Co-Chair or the Secretariat decides: a drafter proposes them, and proposes leaving them. */
const decidedStatuses: readonly ClauseStatus[] = ['agreed', 'withdrawn'];

/**
 * Whether `role` may move a clause from status `from` to status `to`. Co-Chairs and Secretariat may
 * set any status; drafters may set draft, proposed and bracketed, and may only *propose* agreed or
 * withdrawn (a proposal is recorded, a Co-Chair confirms it). A drafter also only proposes moving a
 * clause *out of* agreed or withdrawn: otherwise "set draft" would undo a Co-Chair's decision and lift
 * the agreed-clause lock in one step. `from` defaults to `draft` (a clause without a status record).
 */
export function canSetStatus(
  role: Role | null | undefined,
  to: ClauseStatus,
  from: ClauseStatus = 'draft',
): 'yes' | 'propose' | 'no' {
  if (role === 'secretariat' || role === 'co_chair') return 'yes';
  if (role === 'drafter') return decidedStatuses.includes(to) || decidedStatuses.includes(from) ? 'propose' : 'yes';
  return 'no';
}
