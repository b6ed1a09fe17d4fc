import type { Anchor, CarryPlacement, Thread } from '@shared/api/threads';
import { anchorContextOf } from '@shared/comments/anchor';
import { carriedBody, carriedWording, carryAnchor } from '@shared/comments/carry';
import { computeOutline, type NumberingBaseline } from '@shared/numbering';
import type { Role } from '@shared/permissions';
import * as Y from 'yjs';
import type { Store } from '../../store/db';
import type { MemberWithUser } from '../../store/members';
import { Threads } from '../../store/threads';

/** What carrying a thread of feedback needs. */
export interface CarryInput {
  documentId: string;
  dialogueId: string;
  /** The feedback thread (on a version, of `round`). */
  feedback: Thread;
  round: { id: string; title: string; versionLabel: string };
  /** The live draft's current Yjs state, and the "bis" baseline it is numbered with (if any). */
  liveState: Uint8Array;
  baseline: NumberingBaseline | null;
  /** The dialogue's members (for names and affiliations in the carried text). */
  members: readonly MemberWithUser[];
  carrier: { id: string; role: Role };
  note: string;
  /** When (the demo seed backdates); now when omitted. */
  at?: string;
}

/** A carried thread: the new live thread, its first comment, and where it landed. */
export interface Carried {
  threadId: string;
  commentId: string;
  placement: CarryPlacement;
  anchor: Anchor;
}

/**
 * Carries a thread of feedback to the live draft: a new live thread on the same clause (on the same
 * words where they still stand, see `carryAnchor`), whose first comment gives the feedback with its
 * author, country, round and version, and the latest proposed wording when it lands on the same words;
 * the feedback is marked carried. Returns null when someone else carried it first (nothing is left
 * behind then). Audit and live events are the caller's.
 */
export async function carryFeedback(store: Store, input: CarryInput): Promise<Carried | null> {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, input.liveState);
  const live = anchorContextOf(ydoc);
  const { anchor, placement } = carryAnchor(input.feedback.anchor, live);
  const outline = computeOutline(live.doc, { baseline: input.baseline ?? undefined });
  ydoc.destroy();
  // The number it has in the live draft now (the feedback's number was the version's).
  const placed: Anchor =
    anchor.kind === 'document' ? anchor : { ...anchor, clauseNumber: outline.clauseById.get(anchor.clauseId ?? '')?.number ?? null };

  const threads = new Threads(store);
  const made = await threads.create({
    documentId: input.documentId,
    dialogueId: input.dialogueId,
    anchor: placed,
    visibility: 'everyone',
    authorId: input.carrier.id,
    authorRole: input.carrier.role,
    body: carriedBody({
      thread: input.feedback,
      roundTitle: input.round.title,
      versionLabel: input.round.versionLabel,
      affiliations: Object.fromEntries(input.members.map((m) => [m.userId, m.affiliation])),
      members: input.members,
      note: input.note,
    }),
    proposedWording: carriedWording(input.feedback, placement),
    at: input.at,
  });
  const recorded = await threads.recordCarry({
    sourceId: input.feedback.id,
    targetId: made.threadId,
    documentId: input.documentId,
    roundId: input.round.id,
    placement,
    by: input.carrier.id,
    role: input.carrier.role,
    at: input.at,
  });
  if (!recorded) {
    await threads.discard(made.threadId);
    return null;
  }
  return { ...made, placement, anchor: placed };
}
