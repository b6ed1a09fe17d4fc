import type { Thread } from '@shared/api/threads';
import { anchorContextOf, findClause, resolveAnchor } from '@shared/comments/anchor';
import { bodyToText } from '@shared/comments/mentions';
import { docToYDoc } from '@shared/collab/ydoc';
import type { OpenThreadsPart } from '@shared/versions/parts';
import type { Node } from 'prosemirror-model';
import * as Y from 'yjs';
import type { ServerContext } from '../../../context';
import { Documents } from '../../../store/documents';
import { Members } from '../../../store/members';
import { Threads } from '../../../store/threads';

/**
 * The `openThreads` part: the live draft's open threads at the moment of the freeze or export, each
 * placed in the text being frozen (its clause now, and the words it covers now), with its comments as
 * plain text. Never an internal note, never feedback of a validation round: every reader of a version
 * reads its parts, validators included.
 *
 * Anchors are resolved against `state`, the text's Yjs state, when the caller has it (freeze and
 * export do); otherwise against a Yjs copy of `doc`, where a range is found again by its words.
 */
export async function collectOpenThreads(
  ctx: ServerContext,
  documentId: string,
  doc: Node,
  state?: Uint8Array,
): Promise<OpenThreadsPart> {
  const threads = (await new Threads(ctx.store).listForDocument(documentId, null)).filter(
    (t) => t.status === 'open' && t.visibility === 'everyone' && t.versionId === null,
  );
  if (threads.length === 0) return [];
  const document = await new Documents(ctx.store).get(documentId);
  const members = document ? await new Members(ctx.store).list(document.dialogueId) : [];
  const affiliation = new Map(members.map((m) => [m.userId, m.affiliation]));

  let ydoc: Y.Doc;
  if (state) {
    ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, state);
  } else {
    ydoc = docToYDoc(doc);
  }
  const anchors = anchorContextOf(ydoc);
  try {
    const part: OpenThreadsPart = [];
    for (const thread of threads) {
      const messages = thread.comments
        .filter((c) => !c.deleted)
        .map((c) => ({
          author: c.author.name,
          affiliation: affiliation.get(c.author.id) ?? null,
          at: c.createdAt,
          text: messageText(c, members),
        }));
      if (messages.length === 0) continue;
      part.push({ id: thread.id, ...placeOf(thread, anchors), messages });
    }
    return part;
  } finally {
    ydoc.destroy();
  }
}

/** The clause a thread is on in the frozen text (null: the whole document) and the words it covers. */
function placeOf(thread: Thread, anchors: ReturnType<typeof anchorContextOf>): { clauseId: string | null; quote: string | null } {
  const { anchor } = thread;
  if (anchor.kind === 'document') return { clauseId: null, quote: null };
  const resolved = resolveAnchor(anchor, anchors);
  if (resolved.status === 'anchored') {
    return { clauseId: resolved.clauseId, quote: anchor.kind === 'range' ? resolved.text : null };
  }
  // Its words were deleted: it stays under its clause (if that is still there) with the words it had.
  const clauseId = anchor.clauseId && findClause(anchors.doc, anchor.clauseId) ? anchor.clauseId : null;
  return { clauseId, quote: anchor.quote || null };
}

function messageText(comment: Thread['comments'][number], members: Parameters<typeof bodyToText>[1]): string {
  const text = bodyToText(comment.body, members).text.trim();
  if (comment.proposedWording === null) return text;
  const wording = comment.proposedWording === '' ? 'delete the text' : `“${comment.proposedWording}”`;
  return text ? `${text}\nProposed wording: ${wording}` : `Proposed wording: ${wording}`;
}
