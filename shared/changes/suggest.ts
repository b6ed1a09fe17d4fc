import { suggestChangesKey, transformToSuggestionTransaction } from '@handlewithcare/prosemirror-suggest-changes';
import { ReplaceStep } from 'prosemirror-transform';
import type { EditorState, Transaction } from 'prosemirror-state';
import { reconcileAuthorship } from './authorship';
import { type ChangeAuthor, changeAttrs, changeMarkOf, newChangeId } from './marks';

/** Meta key set on transactions that are already tracked (made by {@link suggestTransaction}). */
export const TRACKED_META = 'accord-tracked';

/** Why a suggestion was refused. */
export type SuggestRefusal =
  /** The edit deletes text another member suggested: only a Co-Chair's reject may remove it. */
  | 'foreign-insertion'
  /** The edit changes the structure in a way tracked changes cannot represent (a whole new objective …). */
  | 'unsupported';

/** The tracked form of an edit, or why it cannot be suggested. */
export type SuggestOutcome = { ok: true; tr: Transaction } | { ok: false; reason: SuggestRefusal };

/** Options of {@link suggestTransaction}. */
export interface SuggestOptions {
  /** The time stamped on new changes (ISO-8601); now by default. */
  now?: string;
  /** Makes change ids; random ids by default, so concurrent suggesters never share one. */
  freshId?: () => string;
}

/** True when `tr` deletes text that carries an insertion by someone other than `authorId`. */
function deletesForeignInsertion(tr: Transaction, authorId: string): boolean {
  let foreign = false;
  tr.steps.forEach((step, i) => {
    if (foreign || !(step instanceof ReplaceStep) || step.from === step.to) return;
    const doc = tr.docs[i];
    doc?.nodesBetween(step.from, step.to, (node) => {
      if (foreign) return false;
      const mark = node.isText ? changeMarkOf(node) : null;
      if (mark?.type.name === 'insertion' && changeAttrs(mark).authorId !== authorId) foreign = true;
      return !foreign;
    });
  });
  return foreign;
}

/**
 * Turns a local edit into a tracked suggestion by `author`: typed text becomes an insertion, deleted
 * text a deletion (still there, struck through). The library's transform does the tracking; Accord
 * then stamps author and time on the new marks and keeps other members' marks intact (see
 * `reconcileAuthorship`). Deleting another member's suggested text is refused: that is a decision.
 */
export function suggestTransaction(
  state: EditorState,
  tr: Transaction,
  author: ChangeAuthor,
  { now = new Date().toISOString(), freshId = newChangeId }: SuggestOptions = {},
): SuggestOutcome {
  if (deletesForeignInsertion(tr, author.id)) return { ok: false, reason: 'foreign-insertion' };
  let tracked: Transaction;
  try {
    tracked = transformToSuggestionTransaction(tr, state, () => freshId());
    reconcileAuthorship(state.doc, tracked, author, now, freshId);
  } catch {
    // The library throws when a step cannot be tracked with inline marks (our schema has no block
    // marks: y-prosemirror 1.3 does not sync them).
    return { ok: false, reason: 'unsupported' };
  }
  tracked.setMeta(suggestChangesKey, { skip: true });
  tracked.setMeta(TRACKED_META, true);
  return { ok: true, tr: tracked };
}
