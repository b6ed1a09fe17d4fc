export { type Action, actions, type ClauseStatus, can, canSetStatus, clauseStatuses } from './can';
export { isRole, type Role, roleColors, roleLabels, roles } from './roles';
export {
  type CommentFacts,
  canApplyWording,
  canChangeVisibility,
  canDeleteComment,
  canEditComment,
  canReadThreadsOn,
  canReply,
  canResolve,
  canSeeThread,
  canStartThread,
  internalRoles,
  type ThreadFacts,
} from './threads';
