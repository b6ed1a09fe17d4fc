import type { Thread } from '@shared/api/threads';
import { resolveAnchor } from '@shared/comments/anchor';
import { bodyToText } from '@shared/comments/mentions';
import { readingText } from '@shared/diff/displayText';
import { buildFeedbackReport, type FeedbackPerson, type FeedbackReport, type FeedbackThread } from '@shared/rounds/feedback';
import type { ServerContext } from '../../context';
import type { DocumentRecord } from '../../store/documents';
import { Members, type MemberWithUser } from '../../store/members';
import { type RoundRecord, Rounds, roundSummary } from '../../store/rounds';
import { Threads } from '../../store/threads';
import { type VersionText, versionText } from './versionText';

/**
 * The feedback report of a round, as it stands now: every feedback thread placed in the round's
 * version (its clause and number there), its comments as plain text, who gave it and from which
 * country (the validator's affiliation), and whether it was carried to the live draft.
 */
export async function feedbackReportOf(ctx: ServerContext, document: DocumentRecord, round: RoundRecord): Promise<FeedbackReport> {
  const text = await versionText(ctx.store, document.id, round.versionId);
  if (!text) throw new Error(`round ${round.id} references a missing version`);
  const [threads, validators, members] = await Promise.all([
    new Threads(ctx.store).listForRound(document.id, round.id),
    new Rounds(ctx.store).validators(round.id),
    new Members(ctx.store).list(document.dialogueId),
  ]);
  const byId = new Map(members.map((m) => [m.userId, m]));
  return buildFeedbackReport({
    document: { id: document.id, title: document.title },
    round: roundSummary(round),
    version: { id: text.record.id, label: text.record.label, hash: text.record.hash, frozenAt: text.record.frozenAt },
    generatedAt: new Date().toISOString(),
    // The clause as a reader of the version sees it: brackets, and pending changes in CriticMarkup.
    clauses: text.outline.clauses.flatMap((c) => {
      const node = text.anchors.doc.nodeAt(c.pos);
      return c.id ? [{ id: c.id, number: c.number, text: node ? readingText(node) : c.text }] : [];
    }),
    validators: validators.map((v) => ({ id: v.userId, name: v.name, affiliation: v.affiliation })),
    threads: threads.map((thread) => feedbackThread(thread, text, byId, members)),
  });
}

function feedbackThread(
  thread: Thread,
  text: VersionText,
  byId: ReadonlyMap<string, MemberWithUser>,
  members: readonly MemberWithUser[],
): FeedbackThread {
  const person = (p: Thread['createdBy']): FeedbackPerson => ({
    id: p.id,
    name: p.name,
    role: p.role,
    affiliation: byId.get(p.id)?.affiliation ?? null,
  });
  const { anchor } = thread;
  let clauseId: string | null = anchor.kind === 'document' ? null : anchor.clauseId;
  let quote: string | null = anchor.kind === 'range' ? anchor.quote : null;
  // The version never changes, so this only confirms where the stored anchor points.
  const resolved = resolveAnchor(anchor, text.anchors);
  if (resolved.status === 'anchored' && anchor.kind !== 'document') {
    clauseId = resolved.clauseId ?? clauseId;
    if (anchor.kind === 'range') quote = resolved.text;
  }
  return {
    id: thread.id,
    kind: anchor.kind,
    clauseId,
    clauseNumber: clauseId ? (text.clauseNumbers[clauseId] ?? (anchor.kind === 'document' ? null : anchor.clauseNumber)) : null,
    quote,
    status: thread.status,
    givenBy: person(thread.createdBy),
    givenAt: thread.createdAt,
    comments: thread.comments
      .filter((c) => !c.deleted)
      .map((c) => ({
        id: c.id,
        author: person(c.author),
        at: c.createdAt,
        text: bodyToText(c.body, members).text,
        proposedWording: c.proposedWording,
      })),
    carried: thread.carriedTo ? { threadId: thread.carriedTo.threadId, by: thread.carriedTo.by.name, at: thread.carriedTo.at } : null,
  };
}
