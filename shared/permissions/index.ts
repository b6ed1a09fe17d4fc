export { type Action, actions, type ClauseStatus, can, canSetStatus, clauseStatuses } from './can';
export { isRole, type Role, roleColors, roleLabels, roles } from './roles';
