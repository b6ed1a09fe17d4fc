/**
 * The feedback of the demo's closed validation round ("Regional validation — West", on the Zero
 * draft): four fictional validators of four countries, invited and joined, who commented on the
 * frozen text — on words, on whole clauses and on the whole text, with proposed wording, replies, a
 * mention and a resolved thread — and three threads a drafter or Co-Chair has since carried to the
 * live draft (one onto the same words, one onto a clause whose words changed, one whole-clause).
 */
import type { Anchor } from '@shared/api/threads';
import { createClauseAnchor, createRangeAnchor, findClause } from '@shared/comments/anchor';
import type { Role } from '@shared/permissions';
import * as Y from 'yjs';
import { carryFeedback } from '../domain/rounds/carry';
import { versionText } from '../domain/rounds/versionText';
import { auditLogFor } from '../store/auditLog';
import type { Store } from '../store/db';
import { DocUpdates } from '../store/docUpdates';
import { Inbox } from '../store/inbox';
import { Members } from '../store/members';
import { Rounds } from '../store/rounds';
import { Threads } from '../store/threads';
import { Users } from '../store/users';
import { demoClauseIds } from './demoContent';

/** The demo's validator accounts (password `accord-demo`, like every demo account); fictional people. */
export const demoValidators = [
  { key: 'kestrania', email: 'validator.kestrania@demo.accord', name: 'Irena Valk', affiliation: 'Kestrania' },
  { key: 'veloria', email: 'validator.veloria@demo.accord', name: 'Mateo Sandoval', affiliation: 'Veloria' },
  { key: 'orlandia', email: 'validator.orlandia@demo.accord', name: 'Sefa Adjei-Brandt', affiliation: 'Orlandia' },
  { key: 'marisca', email: 'validator.marisca@demo.accord', name: 'Lena Moreau', affiliation: 'Marisca' },
] as const;
type ValidatorKey = (typeof demoValidators)[number]['key'];

/** What the demo seed made that the feedback builds on. */
export interface DemoFeedbackInput {
  dialogueId: string;
  documentId: string;
  /** Demo user ids by role. */
  userIds: Record<string, string>;
  /** The hash of the demo password (hashing is slow: the demo seed does it once). */
  passwordHash: string;
}

const day = 24 * 3600_000;

/** Seeds the validators and the feedback of the demo's validation round. */
export async function seedDemoFeedback(store: Store, input: DemoFeedbackInput, now = Date.now()): Promise<void> {
  const { dialogueId, documentId, userIds } = input;
  const staff = (role: Role) => {
    const id = userIds[role];
    if (!id) throw new Error(`The demo has no ${role}`);
    return id;
  };
  const [round] = await new Rounds(store).list(documentId);
  if (!round) throw new Error('The demo has no validation round');
  const text = await versionText(store, documentId, round.versionId);
  if (!text) throw new Error('The demo round has no version');

  // The validators: invited when the round opened, joined the next day.
  const users = new Users(store);
  const members = new Members(store);
  const invitedAt = new Rounds(store, () => now - 28 * day);
  const joinedAt = new Rounds(store, () => now - 27 * day);
  const validator: Record<string, string> = {};
  for (const v of demoValidators) {
    const user = await users.create({ email: v.email, name: v.name, affiliation: v.affiliation, passwordHash: input.passwordHash });
    await members.add(dialogueId, user.id, 'validator');
    const { invitation } = await invitedAt.invite(round.id, v.email, staff('secretariat'));
    await joinedAt.accept(invitation.id, user.id);
    await joinedAt.addValidator(round.id, user.id);
    validator[v.key] = user.id;
  }

  const zero = text.anchors;
  const numberOf = (clauseId: string) => text.clauseNumbers[clauseId] ?? null;
  const onWords = (clauseId: string, words: string): Anchor => {
    const clause = findClause(zero.doc, clauseId);
    const index = clause?.node.textContent.indexOf(words) ?? -1;
    if (!clause || index < 0) throw new Error(`"${words}" is not in the Zero draft's clause ${clauseId}`);
    const from = clause.pos + 1 + index;
    const anchor = createRangeAnchor(zero, from, from + words.length);
    if (!anchor) throw new Error(`No anchor on "${words}"`);
    return { ...anchor, clauseNumber: numberOf(clauseId) };
  };
  const onClause = (clauseId: string): Anchor => {
    const anchor = createClauseAnchor(zero.doc, clauseId);
    if (!anchor) throw new Error(`No clause ${clauseId} in the Zero draft`);
    return { ...anchor, clauseNumber: numberOf(clauseId) };
  };

  const threads = new Threads(store);
  let clock = now - 26 * day;
  const at = () => new Date((clock += 7 * 3600_000)).toISOString();
  const feedback = async (who: ValidatorKey, anchor: Anchor, body: string, wording: string | null = null) =>
    threads.create({
      documentId,
      dialogueId,
      versionId: round.versionId,
      roundId: round.id,
      anchor,
      visibility: 'everyone',
      authorId: validator[who]!,
      authorRole: 'validator',
      body,
      proposedWording: wording,
      at: at(),
    });
  const reply = (threadId: string, authorId: string, authorRole: Role, body: string) =>
    threads.addComment({ threadId, authorId, authorRole, body, proposedWording: null, at: at() });

  const review = await feedback(
    'kestrania',
    onWords(demoClauseIds['1.3']!, 'reviewed annually'),
    'Our national consultation found an annual review too frequent for an authority that is still building its administration. Reviewing the timetable at each plenary session would keep it on the Dialogue’s agenda without a separate reporting cycle.',
    'reviewed at each plenary session of the Dialogue',
  );
  await reply(
    review.threadId,
    staff('drafter'),
    'drafter',
    'Thank you. Would Kestrania accept both options in brackets at the second plenary, so that delegations can choose?',
  );
  await reply(review.threadId, validator.kestrania!, 'validator', 'Yes, bracketed alternatives are acceptable to us.');

  const debt = await feedback(
    'veloria',
    onClause(demoClauseIds['3.4']!),
    'Veloria supports debt relief in the framework, provided that relief is tied to transparent reporting on how the resources it frees are spent.',
  );

  const budgets = await feedback(
    'orlandia',
    onWords(demoClauseIds['2.2']!, 'no later than thirty days after their adoption'),
    `Regional budgets in Orlandia are adopted by assemblies that meet twice a year; thirty days is not enough to prepare them for publication. Sixty days would be realistic. <@${staff('secretariat')}> could the Secretariat share how other delegations manage this?`,
    'no later than sixty days after their adoption',
  );
  await reply(budgets.threadId, validator.veloria!, 'validator', 'Veloria would support sixty days as well.');

  const truth = await feedback(
    'marisca',
    onWords('c-demo-zero-truth', 'within two years of their establishment'),
    'Commissions that cover decades of conflict need more time; two years risks a truncated record. Marisca asks for at least four years, with a possible extension.',
    'within four years of their establishment, renewable once',
  );
  await reply(
    truth.threadId,
    staff('co_chair'),
    'co_chair',
    'The first plenary dropped this clause: the duration of commissions is left to national law. Resolving with thanks.',
  );
  await threads.setStatus(truth.threadId, 'resolved', staff('co_chair'), 'co_chair');

  await feedback(
    'orlandia',
    { kind: 'document' },
    'The framework should say how the findings of national consultations feed into each revision, so that focal points can see where their contributions went.',
  );

  const indicators = await feedback(
    'kestrania',
    onWords(demoClauseIds['5.3']!, 'disaggregated by sex, age and region'),
    'Please add disability to the disaggregation, as our national disability council recommended in the consultation.',
  );

  // The Secretariat was mentioned: an unread entry in her inbox, pointing at the version's page.
  const mention = (await threads.get(budgets.threadId))?.thread.comments[0]?.id;
  if (mention) {
    await new Inbox(store).add([
      { userId: staff('secretariat'), dialogueId, documentId, threadId: budgets.threadId, commentId: mention, reason: 'mention', at: at() },
    ]);
  }

  // After the round closed, the steering group carried three threads to the live draft.
  const stored = await new DocUpdates(store).load(documentId);
  const ydoc = new Y.Doc();
  if (stored.state) Y.applyUpdate(ydoc, stored.state);
  for (const update of stored.updates) Y.applyUpdate(ydoc, update);
  const liveState = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  const dialogueMembers = await members.list(dialogueId);
  const audit = auditLogFor(store);
  const carries: { threadId: string; role: Role; note: string }[] = [
    { threadId: review.threadId, role: 'drafter', note: 'Both options are now bracketed in this clause.' },
    { threadId: debt.threadId, role: 'co_chair', note: 'For the discussion of the debt relief brackets.' },
    { threadId: indicators.threadId, role: 'drafter', note: 'Rev.1 added disability; please check the wording.' },
  ];
  let carriedAt = now - 11 * day;
  for (const carry of carries) {
    const source = await threads.get(carry.threadId);
    if (!source) throw new Error('demo feedback vanished');
    const done = await carryFeedback(store, {
      documentId,
      dialogueId,
      feedback: source.thread,
      round: round,
      liveState,
      baseline: null,
      members: dialogueMembers,
      carrier: { id: staff(carry.role), role: carry.role },
      note: carry.note,
      at: new Date((carriedAt += 5 * 3600_000)).toISOString(),
    });
    if (!done) throw new Error('demo feedback was carried twice');
    await audit.append({
      dialogueId,
      documentId,
      actorId: staff(carry.role),
      action: 'thread.carried',
      detail: { feedbackThreadId: carry.threadId, threadId: done.threadId, roundId: round.id, placement: done.placement, demo: true },
    });
  }
}
