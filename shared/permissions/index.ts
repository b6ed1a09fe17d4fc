export { type Action, actions, type ClauseStatus, can, canSetStatus, clauseStatuses } from './can';
export { isRole, type Role, roleColors, roleLabels, roles } from './roles';
export {
  type CommentFacts,
  canApplyWording,
  canCarryFeedback,
  canChangeVisibility,
  canDeleteComment,
  canEditComment,
  canReadThreadsOn,
  canReply,
  canResolve,
  canSeeThread,
  canStartFeedback,
  canStartThread,
  internalRoles,
  type RoundFacts,
  type ThreadFacts,
} from './threads';
