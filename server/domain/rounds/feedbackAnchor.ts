import type { Anchor } from '@shared/api/threads';
import { createClauseAnchor, createRangeAnchor, findClause, isRelativePosition, resolveAnchor } from '@shared/comments/anchor';
import type { VersionText } from './versionText';

/** Why an anchor of feedback was refused: a sentence for the 400 answer. */
export class FeedbackAnchorError extends Error {}

/**
 * Checks that an anchor sent with new feedback points into the round's version, and rewrites it from
 * the version's own text: the clause, objective and quote a report shows come from where the positions
 * really are, never from what a client claims. Throws {@link FeedbackAnchorError} when the anchor is not
 * in the version.
 */
export function anchorInVersion(anchor: Anchor, version: VersionText): Anchor {
  const ctx = version.anchors;
  const numberOf = (clauseId: string | null) => (clauseId ? (version.clauseNumbers[clauseId] ?? null) : null);
  if (anchor.kind === 'document') return anchor;
  if (anchor.kind === 'clause') {
    const made = findClause(ctx.doc, anchor.clauseId) && createClauseAnchor(ctx.doc, anchor.clauseId);
    if (!made) throw new FeedbackAnchorError(`There is no clause ${anchor.clauseId} in ${version.record.label}.`);
    return { ...made, clauseNumber: numberOf(made.clauseId) };
  }
  if (!(isRelativePosition(anchor.from) && isRelativePosition(anchor.to))) {
    throw new FeedbackAnchorError('The positions are not Yjs relative positions.');
  }
  const resolved = resolveAnchor(anchor, ctx);
  if (resolved.status !== 'anchored' || resolved.relocated) {
    throw new FeedbackAnchorError(`The commented text is not in ${version.record.label}.`);
  }
  const made = createRangeAnchor(ctx, resolved.from, resolved.to);
  if (!made) throw new FeedbackAnchorError('The commented range holds no text.');
  return { ...made, clauseNumber: numberOf(made.clauseId) };
}
