import type { Anchor } from '@shared/api/threads';
import { anchorContextOf, createClauseAnchor, createRangeAnchor, findClause } from '@shared/comments/anchor';
import type { Role } from '@shared/permissions';
import { BODY_FRAGMENT } from '@shared/schema';
import * as Y from 'yjs';
import type { Store } from '../store/db';
import { DocUpdates } from '../store/docUpdates';
import { Inbox, type NewInboxItem } from '../store/inbox';
import { Threads } from '../store/threads';
import { demoClauseIds } from './demoContent';

/** What the demo seed made that the threads refer to. */
export interface DemoThreadsInput {
  dialogueId: string;
  documentId: string;
  /** Demo user ids by role. */
  userIds: Record<string, string>;
}

const hour = 3600_000;

/**
 * Seeds the demo document's comment threads, in every state a reviewer meets: open and resolved,
 * with replies and mentions (and the matching unread inbox entries), with proposed wording, an
 * internal note, and a thread whose text the drafter deleted afterwards. The deleted sentence is a
 * real edit in the document's history (added, commented, then removed), so the text itself ends as
 * the demo content has it.
 */
export async function seedDemoThreads(store: Store, input: DemoThreadsInput): Promise<void> {
  const { dialogueId, documentId, userIds } = input;
  const who = (role: Role) => {
    const id = userIds[role];
    if (!id) throw new Error(`The demo has no ${role}`);
    return id;
  };
  const updates = new DocUpdates(store);
  const stored = await updates.load(documentId);
  const ydoc = new Y.Doc();
  if (stored.state) Y.applyUpdate(ydoc, stored.state);
  for (const update of stored.updates) Y.applyUpdate(ydoc, update);

  const number = (clauseId: string) =>
    Object.entries(demoClauseIds).find(([, id]) => id === clauseId)?.[0] ?? null;

  const rangeOn = (clauseNumber: string, words: string): Anchor => {
    const clauseId = demoClauseIds[clauseNumber] as string;
    const ctx = anchorContextOf(ydoc);
    const clause = findClause(ctx.doc, clauseId);
    const index = clause?.node.textContent.indexOf(words) ?? -1;
    if (!clause || index < 0) throw new Error(`Demo text "${words}" is not in clause ${clauseNumber}`);
    const from = clause.pos + 1 + index;
    const anchor = createRangeAnchor(ctx, from, from + words.length);
    if (!anchor) throw new Error(`No anchor on "${words}"`);
    return { ...anchor, clauseNumber: number(clauseId) };
  };
  const clauseOn = (clauseNumber: string): Anchor => {
    const anchor = createClauseAnchor(anchorContextOf(ydoc).doc, demoClauseIds[clauseNumber] as string);
    if (!anchor) throw new Error(`No clause ${clauseNumber}`);
    return { ...anchor, clauseNumber };
  };

  // The drafter adds a sentence to clause 5.1, the panel comments on it, the drafter removes it again.
  const added = ' Each review should also describe how civil society was consulted.';
  const deletedWords = 'how civil society was consulted';
  const drafterEdits: Uint8Array[] = [];
  const record = (update: Uint8Array) => drafterEdits.push(update);
  ydoc.on('update', record);
  const clause51 = () => xmlTextAt(ydoc.getXmlFragment(BODY_FRAGMENT), demoClauseIds['5.1'] as string);
  clause51().insert(clause51().length, added);
  const orphanAnchor = rangeOn('5.1', deletedWords);
  clause51().delete(plainText(clause51()).indexOf(added), added.length);
  ydoc.off('update', record);
  await updates.append(drafterEdits.map((data) => ({ documentId, data, userId: who('drafter') })));

  const threads = new Threads(store);
  const inbox: NewInboxItem[] = [];
  const start = Date.now() - 30 * hour;
  let clock = 0;
  const at = () => new Date(start + clock++ * 47 * 60_000).toISOString();

  const thread = async (
    anchor: Anchor,
    author: Role,
    body: string,
    options: { visibility?: 'everyone' | 'internal'; wording?: string } = {},
  ) => {
    const created = await threads.create({
      documentId,
      dialogueId,
      anchor,
      visibility: options.visibility ?? 'everyone',
      authorId: who(author),
      authorRole: author,
      body,
      proposedWording: options.wording ?? null,
      at: at(),
    });
    return created;
  };
  const reply = (threadId: string, author: Role, body: string) =>
    threads.addComment({ threadId, authorId: who(author), authorRole: author, body, proposedWording: null, at: at() });
  const notify = (userRole: Role, threadId: string, commentId: string, reason: 'mention' | 'reply') =>
    inbox.push({ userId: who(userRole), dialogueId, documentId, threadId, commentId, reason, at: at() });

  // Open, with proposed wording, a reply and a mention of the panel member.
  const stages = await thread(
    rangeOn('1.1', 'at every stage of negotiation and implementation'),
    'panel',
    'The Marisca consultation asked for a say in preparing agreements too, not only in negotiating them. "Every stage" is read very differently from one country to the next; naming the stages would help.',
    { wording: 'during the preparation, negotiation and implementation of agreements' },
  );
  const stagesReply = await reply(
    stages.threadId,
    'drafter',
    `<@${who('panel')}> Agreed in substance. We will take your wording to the steering group on Thursday.`,
  );
  notify('panel', stages.threadId, stagesReply, 'mention');

  // Resolved, after replies.
  const budgets = await thread(
    clauseOn('2.2'),
    'panel',
    'Machine-readable budgets matter most to the oversight bodies of 2.1. Could the two clauses refer to each other?',
  );
  const budgetsReply = await reply(
    budgets.threadId,
    'drafter',
    'The tracked change in this clause now asks for an open, machine-readable format; the cross-reference follows in Rev.1.',
  );
  notify('panel', budgets.threadId, budgetsReply, 'reply');
  await reply(budgets.threadId, 'co_chair', 'Thank you both. Resolving; the cross-reference is noted for Rev.1.');
  await threads.setStatus(budgets.threadId, 'resolved', who('co_chair'), 'co_chair');

  // Open, mentioning the Co-Chair (unread in her inbox).
  const share = await thread(
    rangeOn('3.1', 'a fixed share'),
    'drafter',
    `<@${who('co_chair')}> Veloria and Kestrania still disagree on a fixed share. Could the Co-Chairs propose bridging text before the plenary?`,
  );
  notify('co_chair', share.threadId, (await threads.get(share.threadId))?.thread.comments[0]?.id as string, 'mention');

  // Internal note of the Secretariat, for the chairs only.
  const timetable = await thread(
    { kind: 'document' },
    'secretariat',
    `Internal: the Orlandia delegation asks for the Zero draft two weeks before the meeting. <@${who('co_chair')}> can we confirm the timetable?`,
    { visibility: 'internal' },
  );
  notify('co_chair', timetable.threadId, (await threads.get(timetable.threadId))?.thread.comments[0]?.id as string, 'mention');

  // On text the drafter has since deleted: kept, with its quote.
  const orphan = await thread(
    orphanAnchor,
    'panel',
    'Reviews already cover consultation in their methodology annex; this sentence would duplicate it.',
  );
  await reply(orphan.threadId, 'drafter', 'Removed the sentence, as suggested.');

  // Open, on a whole clause, by a Co-Chair.
  await thread(
    clauseOn('4.3'),
    'co_chair',
    'Both alternatives stay bracketed until the legal advisers report at the next session.',
  );

  // Open, on the whole document.
  await thread(
    { kind: 'document' },
    'panel',
    'General remark: the panel will send proposed indicators for Objective 5 by the end of next week.',
  );

  await new Inbox(store).add(inbox);
}

/** The Y.XmlText of the clause with `clauseId` in the body fragment. */
function xmlTextAt(fragment: Y.XmlFragment, clauseId: string): Y.XmlText {
  for (const objective of fragment.toArray()) {
    if (!(objective instanceof Y.XmlElement)) continue;
    for (const child of objective.toArray()) {
      if (child instanceof Y.XmlElement && child.getAttribute('id') === clauseId) {
        const text = child.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
        if (text) return text;
      }
    }
  }
  throw new Error(`No text in clause ${clauseId}`);
}

/** The characters of a Y.XmlText without its formatting (toString() would include markup). */
function plainText(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}
