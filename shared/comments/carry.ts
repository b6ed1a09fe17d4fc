/**
 * Carrying a validation round's feedback to the live draft: where the new live thread goes, and what
 * its first comment says. Pure (a Y.Doc and documents in, an anchor and text out), so the server's
 * carry route and tests use the same code.
 *
 * The feedback is anchored in the frozen version's text; the live draft has moved on since. The new
 * thread goes, in this order of preference:
 *
 * 1. on the **same characters**, when the version was frozen from this draft (they share Yjs items)
 *    and those characters still hold the quoted words in the same clause;
 * 2. on the **quoted words** found again in the live clause with the same id (with their context
 *    first, else their first occurrence);
 * 3. on the **whole clause** with that id, when the words were changed;
 * 4. on the **whole document**, when the clause is no longer in the live draft.
 */
import {
  type Anchor,
  type CarryPlacement,
  MAX_COMMENT_LENGTH,
  type Thread,
} from '../api/threads';
import {
  type AnchorContext,
  createClauseAnchor,
  createRangeAnchor,
  findClause,
  positionOfTextIndex,
  resolveAnchor,
} from './anchor';
import { bodyToText, type Mentionable } from './mentions';

/** Where a carried thread lands in the live draft. */
export interface CarriedAnchor {
  anchor: Anchor;
  placement: CarryPlacement;
}

/** The anchor in the live draft (`live`) for a thread of feedback anchored at `feedback` in a version. */
export function carryAnchor(feedback: Anchor, live: AnchorContext): CarriedAnchor {
  if (feedback.kind === 'document' || !feedback.clauseId) return { anchor: { kind: 'document' }, placement: 'document' };
  const clause = findClause(live.doc, feedback.clauseId);
  if (!clause) return { anchor: { kind: 'document' }, placement: 'document' };

  if (feedback.kind === 'range') {
    const resolved = resolveAnchor(feedback, live);
    if (resolved.status === 'anchored' && resolved.clauseId === feedback.clauseId && resolved.text === feedback.quote) {
      // The same characters (or the same words with their context, in that clause).
      const anchor = resolved.relocated ? createRangeAnchor(live, resolved.from, resolved.to) : { ...feedback, objectiveId: resolved.objectiveId };
      if (anchor) return { anchor: { ...anchor, clauseNumber: feedback.clauseNumber }, placement: 'range' };
    }
    const text = clause.node.textContent;
    const withContext = text.indexOf(feedback.prefix + feedback.quote + feedback.suffix);
    const index = withContext >= 0 ? withContext + feedback.prefix.length : text.indexOf(feedback.quote);
    if (index >= 0) {
      const from = positionOfTextIndex(clause.node, clause.pos, index);
      const to = positionOfTextIndex(clause.node, clause.pos, index + feedback.quote.length);
      const anchor = from !== null && to !== null ? createRangeAnchor(live, from, to) : null;
      if (anchor) return { anchor: { ...anchor, clauseNumber: feedback.clauseNumber }, placement: 'range' };
    }
  }
  const anchor = createClauseAnchor(live.doc, feedback.clauseId);
  if (!anchor) return { anchor: { kind: 'document' }, placement: 'document' };
  return { anchor: { ...anchor, clauseNumber: feedback.clauseNumber }, placement: 'clause' };
}

/** What the first comment of a carried thread says where the feedback came from. */
export interface CarrySource {
  thread: Thread;
  roundTitle: string;
  versionLabel: string;
  /** Affiliations (country or organisation) of the people in the thread, by user id. */
  affiliations: Readonly<Record<string, string | null>>;
  /** The dialogue's members, to write mentions as names (a live thread cannot mention validators). */
  members: readonly Mentionable[];
  /** The drafter's note, put first. */
  note: string;
}

function who(name: string, affiliation: string | null | undefined): string {
  return affiliation ? `${name} (${affiliation})` : name;
}

/**
 * The first comment of a carried thread: the drafter's note, then the feedback as plain text — who
 * gave it, from where, in which round, on which version and clause — with every reply. Mentions are
 * written as names: the people mentioned may not read the live draft. Never longer than a comment may be.
 */
export function carriedBody(source: CarrySource): string {
  const { thread } = source;
  const plain = (body: string) => bodyToText(body, source.members).text.trim();
  const place =
    thread.anchor.kind === 'document'
      ? 'the whole text'
      : thread.anchor.clauseNumber
        ? `clause ${thread.anchor.clauseNumber}`
        : 'a clause';
  const comments = thread.comments.filter((c) => !c.deleted);
  const [first, ...replies] = comments;
  const lines: string[] = [];
  if (source.note.trim()) lines.push(source.note.trim(), '');
  const author = first?.author ?? thread.createdBy;
  lines.push(
    `Validation feedback from ${who(author.name, source.affiliations[author.id])} on ${source.versionLabel}, ${place} (${source.roundTitle}):`,
  );
  if (first) {
    if (first.body.trim()) lines.push(`“${plain(first.body)}”`);
    if (first.proposedWording !== null) lines.push(`Proposed wording: “${first.proposedWording}”`);
  }
  for (const reply of replies) {
    const text = reply.body.trim() ? `“${plain(reply.body)}”` : '';
    const wording = reply.proposedWording !== null ? ` Proposed wording: “${reply.proposedWording}”` : '';
    lines.push(`— ${who(reply.author.name, source.affiliations[reply.author.id])}: ${text}${wording}`.trimEnd());
  }
  const body = lines.join('\n');
  return body.length <= MAX_COMMENT_LENGTH ? body : `${body.slice(0, MAX_COMMENT_LENGTH - 1)}…`;
}

/** The wording a carried thread proposes: the latest proposed in the feedback (only onto the same words). */
export function carriedWording(thread: Thread, placement: CarryPlacement): string | null {
  if (placement !== 'range') return null;
  const proposals = thread.comments.filter((c) => !c.deleted && c.proposedWording !== null);
  return proposals.at(-1)?.proposedWording ?? null;
}
