/**
 * Threads on tracked changes, the pure part: which threads are on a change, and the anchor and label
 * of a new thread on one. The Changes panel's button and badge are in `changeThreads.tsx`.
 */
import { MAX_QUOTE_LENGTH, type RangeAnchor, type Thread } from '@shared/api/threads';
import { listChanges, type PendingChange } from '@shared/changes';
import type { EditorState } from 'prosemirror-state';

/** The threads on change `changeId`, open ones first, then by age. */
export function threadsOnChange(threads: readonly Thread[], changeId: string): Thread[] {
  return threads
    .filter((t) => t.anchor.kind === 'range' && t.anchor.change?.id === changeId)
    .sort((a, b) => (a.status === b.status ? a.createdAt.localeCompare(b.createdAt) : a.status === 'open' ? -1 : 1));
}

/**
 * The words a thread on `change` quotes: what the change proposes (its inserted text), or for a pure
 * deletion the words it would remove. They are the words that stay when the change is accepted.
 */
export function changeQuote(change: Pick<PendingChange, 'inserted' | 'deleted'>): string {
  return (change.inserted || change.deleted).slice(0, MAX_QUOTE_LENGTH);
}

/** "Change by Tomas Ilvesaar · Clause 5.3": what the composer says it is commenting on. */
export function changeLabel(change: Pick<PendingChange, 'authorName'>, clauseNumber: string | null): string {
  const who = `Change by ${change.authorName ?? 'an unknown author'}`;
  return clauseNumber ? `${who} · Clause ${clauseNumber}` : who;
}

/**
 * The anchor of a new thread on change `changeId` in `state`, or why there is none. The change is
 * looked up again by id: the Changes panel's positions may be a moment old.
 */
export function anchorOnChange(
  state: EditorState,
  changeId: string,
  make: (from: number, to: number) => RangeAnchor | null,
): { anchor: RangeAnchor; change: PendingChange } | { problem: string } {
  const change = listChanges(state.doc).find((c) => c.id === changeId);
  if (!change) return { problem: 'This change is no longer pending: it was accepted, rejected or withdrawn.' };
  const anchor = make(change.from, change.to);
  if (!anchor) return { problem: 'This change holds no text to comment on.' };
  return { anchor: { ...anchor, quote: changeQuote(change), change: { id: change.id, decision: null } }, change };
}
