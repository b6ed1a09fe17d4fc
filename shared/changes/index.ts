export { reconcileAuthorship } from './authorship';
export { DECISION_META, type Decision, decideChanges, finalDoc, originalDoc } from './decide';
export { type ChangeScope, changesInScope, listChanges, type PendingChange } from './list';
export {
  type ChangeAuthor,
  type ChangeMarkAttrs,
  changeAttrs,
  changeKey,
  changeMarkOf,
  newChangeId,
  visibleText,
  ZWSP,
} from './marks';
export { type SuggestOutcome, type SuggestRefusal, suggestTransaction, TRACKED_META } from './suggest';
