import {
  type Anchor,
  carryBodySchema,
  applyCancelBodySchema,
  applyConfirmBodySchema,
  type Comment,
  createThreadBodySchema,
  editCommentBodySchema,
  type RangeAnchor,
  replyBodySchema,
  type Thread,
  type ThreadEvent,
  updateThreadBodySchema,
} from '@shared/api/threads';
import { listChanges, newChangeId } from '@shared/changes';
import { isRelativePosition } from '@shared/comments/anchor';
import { mentionedIds } from '@shared/comments/mentions';
import {
  can,
  canApplyWording,
  canCarryFeedback,
  canChangeVisibility,
  canDeleteComment,
  canEditComment,
  canReadThreadsOn,
  canReply,
  canResolve,
  canSeeThread,
  canStartFeedback,
  canStartThread,
  internalRoles,
  type Role,
  type RoundFacts,
  roles,
} from '@shared/permissions';
import { Hono } from 'hono';
import { z } from 'zod';
import { documentAccess } from '../../auth/access';
import type { Audience, CollabControl, ServerContext } from '../../context';
import { readDocumentText } from '../../domain/documentText';
import { carryFeedback } from '../../domain/rounds/carry';
import { anchorInVersion, FeedbackAnchorError } from '../../domain/rounds/feedbackAnchor';
import { versionText } from '../../domain/rounds/versionText';
import { liveNumbering } from '../../domain/versions/numbering';
import { auditLogFor } from '../../store/auditLog';
import { Documents } from '../../store/documents';
import { Inbox, type NewInboxItem } from '../../store/inbox';
import { Members, type MemberWithUser } from '../../store/members';
import { type RoundRecord, Rounds } from '../../store/rounds';
import { type ThreadRecord, Threads } from '../../store/threads';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { idParam, validate } from '../validate';
import { type WordingReservation, WordingReservations } from './wordingApplications';

const recordId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const threadParam = idParam.extend({ threadId: recordId });
const commentParam = threadParam.extend({ commentId: recordId });
const listQuery = z.object({ versionId: recordId.optional(), roundId: recordId.optional() });

/**
 * A round of feedback as the viewer meets it: the round (open or closed), who validates it, and the
 * viewer's own relation to it.
 */
interface RoundScope {
  round: RoundRecord;
  validatorIds: ReadonlySet<string>;
  facts: RoundFacts;
}

/** The answer to new feedback, a reply or an edit on a closed round. */
function roundClosed(round: RoundRecord): HttpError {
  const when = (round.closedAt ?? round.closesAt).slice(0, 10);
  return new HttpError(
    409,
    'round_closed',
    `The validation round “${round.title}” closed on ${when}: it takes no new feedback, replies or edits.`,
  );
}

/** Who receives live events about a thread: everyone on the document, or the internal roles only. */
export function audienceOf(thread: Thread): Audience | undefined {
  return thread.visibility === 'internal' ? { roles: internalRoles } : undefined;
}

/** The roles that may not read internal threads. */
const publicRoles: readonly Role[] = roles.filter((role) => !internalRoles.includes(role));

/**
 * `/api/documents/:id/threads`: comment threads of a document. Every member who may read the live
 * draft sees its threads (internal ones only Secretariat and Co-Chairs); the rules of
 * `shared/permissions/threads.ts` decide who may write. Every change is audit-logged and pushed live
 * over the document socket (`thread.created`, `thread.updated`, `thread.removed`); members who are
 * mentioned, or who take part in a thread that gets a reply, get an inbox entry and `inbox.changed`.
 * A thread a member may not see answers 404, as if it did not exist.
 *
 * Threads with a `roundId` are the **feedback** of a validation round, anchored into the round's
 * frozen version: its validators start them while the round is open (409 once it closed), the roles
 * that process feedback read and answer them, and a member who may edit carries one to the live draft
 * (`POST …/carry`). Feedback is never pushed over the live draft's socket: validators have none, and
 * it must never land in the live draft's thread lists; the version page refreshes it.
 */
export function threadRoutes(ctx: ServerContext, collab: CollabControl) {
  const threads = new Threads(ctx.store);
  const inbox = new Inbox(ctx.store);
  const members = new Members(ctx.store);
  const documents = new Documents(ctx.store);
  const rounds = new Rounds(ctx.store);
  const audit = auditLogFor(ctx.store);
  const reservations = new WordingReservations();

  async function access(userId: string, documentId: string) {
    const found = await documentAccess(ctx, userId, documentId);
    if (!found) throw new HttpError(404, 'not_found', 'Document not found.');
    return found;
  }

  async function roundScope(documentId: string, roundId: string, userId: string): Promise<RoundScope> {
    const round = await rounds.get(documentId, roundId);
    if (!round) throw new HttpError(404, 'not_found', 'Validation round not found.');
    const validatorIds = new Set((await rounds.validators(round.id)).map((v) => v.userId));
    return { round, validatorIds, facts: { validator: validatorIds.has(userId) } };
  }

  /** A thread the viewer may see, with its round when it is feedback; 404 otherwise. */
  async function visibleThread(
    documentId: string,
    threadId: string,
    role: Role,
    userId: string,
  ): Promise<ThreadRecord & { scope: RoundScope | null }> {
    const record = await threads.get(threadId);
    if (!record || record.thread.documentId !== documentId) throw new HttpError(404, 'not_found', 'Thread not found.');
    const roundId = record.thread.roundId ?? null;
    const scope = roundId ? await roundScope(documentId, roundId, userId) : null;
    if (!canSeeThread(role, facts(record.thread), scope?.facts)) throw new HttpError(404, 'not_found', 'Thread not found.');
    return { ...record, scope };
  }

  /** Whether `member` can see a thread (of `scope`'s round, when feedback). */
  function memberSees(member: MemberWithUser, thread: Pick<Thread, 'visibility' | 'versionId'>, scope: RoundScope | null): boolean {
    const round = scope ? { validator: scope.validatorIds.has(member.userId) } : undefined;
    return canSeeThread(member.role, { ...thread, createdBy: '' }, round);
  }

  async function current(threadId: string): Promise<Thread> {
    const record = await threads.get(threadId);
    if (!record) throw new HttpError(404, 'not_found', 'Thread not found.');
    return record.thread;
  }

  function publish(type: 'thread.created' | 'thread.updated', thread: Thread): void {
    if (thread.versionId !== null) return; // Feedback: see above.
    const event: ThreadEvent = { type, documentId: thread.documentId, thread };
    collab.publish(event, audienceOf(thread));
  }

  function publishRemoved(thread: Thread, audience: Audience | undefined): void {
    if (thread.versionId !== null) return;
    const event: ThreadEvent = { type: 'thread.removed', documentId: thread.documentId, threadId: thread.id };
    collab.publish(event, audience);
  }

  /**
   * Checks the mentions of a body: each must be a member of the dialogue who can see the thread
   * (an internal note can mention Secretariat and Co-Chairs only).
   */
  function checkMentions(
    body: string,
    dialogueMembers: MemberWithUser[],
    thread: Pick<Thread, 'visibility' | 'versionId'>,
    scope: RoundScope | null,
  ) {
    const ids = mentionedIds(body);
    for (const id of ids) {
      const member = dialogueMembers.find((m) => m.userId === id);
      if (!member) {
        throw new HttpError(400, 'invalid_input', 'The comment mentions someone who is not a member of this dialogue.');
      }
      if (!memberSees(member, thread, scope)) {
        const why =
          thread.visibility === 'internal'
            ? 'internal notes are seen by Secretariat and Co-Chairs only'
            : thread.versionId !== null
              ? 'they do not read the feedback of this validation round'
              : 'they cannot read the live draft';
        throw new HttpError(400, 'invalid_input', `${member.name} cannot be mentioned here: ${why}.`);
      }
    }
    return ids;
  }

  /** Inbox entries for a new comment: who it mentions, and (for a reply) who else takes part. */
  async function notify(
    thread: Thread,
    dialogueId: string,
    commentId: string,
    authorId: string,
    mentioned: string[],
    participants: string[],
    dialogueMembers: MemberWithUser[],
    scope: RoundScope | null,
  ): Promise<void> {
    const items: NewInboxItem[] = [];
    const base = { dialogueId, documentId: thread.documentId, threadId: thread.id, commentId };
    const canSee = (userId: string) => {
      const member = dialogueMembers.find((m) => m.userId === userId);
      return member !== undefined && memberSees(member, thread, scope);
    };
    for (const userId of mentioned) {
      if (userId !== authorId && canSee(userId)) items.push({ ...base, userId, reason: 'mention' });
    }
    for (const userId of participants) {
      if (userId !== authorId && !mentioned.includes(userId) && canSee(userId)) {
        items.push({ ...base, userId, reason: 'reply' });
      }
    }
    if (items.length === 0) return;
    await inbox.add(items);
    collab.publish(
      { type: 'inbox.changed', documentId: thread.documentId },
      { userIds: items.map((item) => item.userId) },
    );
  }

  /** Tells members whose unread entries just disappeared (deleted comment, thread made internal). */
  async function inboxShrank(documentId: string, which: { commentId: string } | { threadId: string }): Promise<void> {
    const userIds = await inbox.unreadHolders(which);
    if (userIds.length > 0) collab.publish({ type: 'inbox.changed', documentId }, { userIds });
  }

  async function changed(documentId: string): Promise<void> {
    await documents.touch(documentId);
  }

  /** Feedback may be given, answered and edited only while its round is open. */
  function requireOpen(scope: RoundScope | null): void {
    if (scope && !scope.round.open) throw roundClosed(scope.round);
  }

  /** The threads a list request asks for: the live draft's, one round's feedback, or a version's feedback. */
  async function listFor(documentId: string, role: Role, userId: string, query: z.infer<typeof listQuery>): Promise<Thread[]> {
    if (query.roundId) {
      const scope = await roundScope(documentId, query.roundId, userId);
      if (query.versionId && query.versionId !== scope.round.versionId) {
        throw new HttpError(400, 'invalid_input', 'Invalid query: versionId: the round is on another version.');
      }
      if (!canReadThreadsOn(role, scope.round.versionId, scope.facts)) {
        throw new HttpError(403, 'forbidden', 'Only the validators of this round, the Secretariat, Co-Chairs and drafters read its feedback.');
      }
      const list = await threads.listForRound(documentId, scope.round.id);
      return list.filter((thread) => canSeeThread(role, facts(thread), scope.facts));
    }
    if (query.versionId) {
      if (can(role, 'round.readFeedback')) return threads.listForDocument(documentId, query.versionId);
      const roundIds = await rounds.validatedRoundIds(userId, documentId, query.versionId);
      if (roundIds.length === 0) {
        throw new HttpError(403, 'forbidden', 'Only the validators of a round on this version, the Secretariat, Co-Chairs and drafters read its feedback.');
      }
      const lists = await Promise.all(roundIds.map((roundId) => threads.listForRound(documentId, roundId)));
      return lists.flat().sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    }
    if (!canReadThreadsOn(role, null)) {
      throw new HttpError(403, 'forbidden', 'Your role may not read the threads of this document.');
    }
    const list = await threads.listForDocument(documentId, null);
    return list.filter((thread) => canSeeThread(role, facts(thread)));
  }

  /** Checks the start of new feedback in a round, and places its anchor in the round's version. */
  async function feedbackStart(documentId: string, roundId: string, role: Role, userId: string, input: { visibility: string; anchor: Anchor }) {
    const scope = await roundScope(documentId, roundId, userId);
    if (!canStartFeedback(role, scope.facts)) {
      throw new HttpError(
        403,
        'forbidden',
        can(role, 'round.readFeedback')
          ? 'Only the validators of this round give feedback on it; you may reply to theirs.'
          : 'Only the validators of this round may give feedback on it.',
      );
    }
    if (input.visibility !== 'everyone') {
      throw new HttpError(400, 'invalid_input', 'Invalid body: visibility: feedback is seen by the round\'s validators, so it cannot be internal.');
    }
    requireOpen(scope);
    const text = await versionText(ctx.store, documentId, scope.round.versionId);
    if (!text) throw new HttpError(404, 'not_found', 'Version not found.');
    try {
      return { scope, anchor: anchorInVersion(input.anchor, text) };
    } catch (err) {
      if (err instanceof FeedbackAnchorError) throw new HttpError(400, 'invalid_input', `Invalid body: anchor: ${err.message}`);
      throw err;
    }
  }

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/:id/threads', validate('param', idParam), validate('query', listQuery), async (c) => {
      const { role, document } = await access(c.var.user.id, c.req.valid('param').id);
      return c.json({ threads: await listFor(document.id, role, c.var.user.id, c.req.valid('query')) });
    })
    .get('/:id/threads/:threadId', validate('param', threadParam), async (c) => {
      const { id, threadId } = c.req.valid('param');
      const { role } = await access(c.var.user.id, id);
      return c.json({ thread: (await visibleThread(id, threadId, role, c.var.user.id)).thread });
    })
    .post('/:id/threads', validate('param', idParam), validate('json', createThreadBodySchema), async (c) => {
      const { role, document, dialogueId } = await access(c.var.user.id, c.req.valid('param').id);
      const input = c.req.valid('json');
      let anchor: Anchor = input.anchor;
      let scope: RoundScope | null = null;
      if (input.roundId !== undefined) {
        ({ scope, anchor } = await feedbackStart(document.id, input.roundId, role, c.var.user.id, input));
      } else {
        if (!canStartThread(role, input.visibility)) {
          throw new HttpError(
            403,
            'forbidden',
            input.visibility === 'internal' && canStartThread(role, 'everyone')
              ? 'Only Secretariat and Co-Chairs may write internal notes.'
              : role === 'validator'
                ? 'Validators comment on their round\'s version only: name the round (roundId).'
                : 'Your role may not comment on this document.',
          );
        }
        // A thread may be opened on a tracked change; only the server records what became of the change.
        if (anchor.kind === 'range' && anchor.change) {
          anchor = { ...anchor, change: { id: anchor.change.id, decision: null } };
        }
        if (anchor.kind === 'range' && !(isRelativePosition(anchor.from) && isRelativePosition(anchor.to))) {
          throw new HttpError(400, 'invalid_input', 'Invalid body: anchor: the positions are not Yjs relative positions.');
        }
      }
      const body = input.body.trim();
      const versionId = scope?.round.versionId ?? null;
      const dialogueMembers = await members.list(dialogueId);
      const mentioned = checkMentions(body, dialogueMembers, { visibility: input.visibility, versionId }, scope);
      const { threadId, commentId } = await threads.create({
        documentId: document.id,
        dialogueId,
        versionId,
        roundId: scope?.round.id ?? null,
        anchor,
        visibility: input.visibility,
        authorId: c.var.user.id,
        authorRole: role,
        body,
        proposedWording: input.proposedWording,
      });
      await audit.append({
        dialogueId,
        documentId: document.id,
        actorId: c.var.user.id,
        action: 'thread.created',
        detail: {
          threadId,
          commentId,
          ...(scope ? { roundId: scope.round.id, versionId } : {}),
          anchor: anchor.kind,
          clauseId: anchor.kind === 'document' ? null : anchor.clauseId,
          changeId: anchor.kind === 'range' ? (anchor.change?.id ?? null) : null,
          visibility: input.visibility,
          mentions: mentioned,
          proposedWording: input.proposedWording !== null,
        },
      });
      const thread = await current(threadId);
      await notify(thread, dialogueId, commentId, c.var.user.id, mentioned, [], dialogueMembers, scope);
      await changed(document.id);
      publish('thread.created', thread);
      return c.json({ thread }, 201);
    })
    .post(
      '/:id/threads/:threadId/comments',
      validate('param', threadParam),
      validate('json', replyBodySchema),
      async (c) => {
        const { id, threadId } = c.req.valid('param');
        const { role, dialogueId } = await access(c.var.user.id, id);
        const { thread: before, scope } = await visibleThread(id, threadId, role, c.var.user.id);
        if (!canReply(role, facts(before), scope?.facts)) throw new HttpError(403, 'forbidden', 'Your role may not reply to threads.');
        requireOpen(scope);
        const input = c.req.valid('json');
        if (input.proposedWording !== null && before.anchor.kind !== 'range') {
          throw new HttpError(
            400,
            'invalid_input',
            'Invalid body: proposedWording: proposed wording replaces commented text, so it needs a thread on a text range',
          );
        }
        const body = input.body.trim();
        const dialogueMembers = await members.list(dialogueId);
        const mentioned = checkMentions(body, dialogueMembers, before, scope);
        const participants = await threads.participants(threadId);
        const commentId = await threads.addComment({
          threadId,
          authorId: c.var.user.id,
          authorRole: role,
          body,
          proposedWording: input.proposedWording,
        });
        await audit.append({
          dialogueId,
          documentId: id,
          actorId: c.var.user.id,
          action: 'comment.added',
          detail: { threadId, commentId, mentions: mentioned, proposedWording: input.proposedWording !== null },
        });
        const thread = await current(threadId);
        await notify(thread, dialogueId, commentId, c.var.user.id, mentioned, participants, dialogueMembers, scope);
        await changed(id);
        publish('thread.updated', thread);
        return c.json({ thread }, 201);
      },
    )
    .patch(
      '/:id/threads/:threadId/comments/:commentId',
      validate('param', commentParam),
      validate('json', editCommentBodySchema),
      async (c) => {
        const { id, threadId, commentId } = c.req.valid('param');
        const { role, dialogueId } = await access(c.var.user.id, id);
        const { thread: before, scope } = await visibleThread(id, threadId, role, c.var.user.id);
        const comment = before.comments.find((m) => m.id === commentId);
        if (!comment || comment.deleted) throw new HttpError(404, 'not_found', 'Comment not found.');
        if (!canEditComment(role, c.var.user.id, facts(before), commentFacts(comment), scope?.facts)) {
          throw new HttpError(403, 'forbidden', 'Only its author may edit a comment.');
        }
        requireOpen(scope);
        const input = c.req.valid('json');
        if (input.proposedWording !== null && before.anchor.kind !== 'range') {
          throw new HttpError(
            400,
            'invalid_input',
            'Invalid body: proposedWording: proposed wording replaces commented text, so it needs a thread on a text range',
          );
        }
        if (comment.applied && input.proposedWording !== comment.proposedWording) {
          throw new HttpError(409, 'conflict', 'This wording was already applied to the text and can no longer change.');
        }
        const body = input.body.trim();
        const dialogueMembers = await members.list(dialogueId);
        const mentioned = checkMentions(body, dialogueMembers, before, scope);
        await threads.editComment(threadId, commentId, body, input.proposedWording);
        await audit.append({
          dialogueId,
          documentId: id,
          actorId: c.var.user.id,
          action: 'comment.edited',
          detail: { threadId, commentId, mentions: mentioned },
        });
        const thread = await current(threadId);
        const newlyMentioned = mentioned.filter((userId) => !comment.mentions.includes(userId));
        await notify(thread, dialogueId, commentId, c.var.user.id, newlyMentioned, [], dialogueMembers, scope);
        await changed(id);
        publish('thread.updated', thread);
        return c.json({ thread });
      },
    )
    .delete('/:id/threads/:threadId/comments/:commentId', validate('param', commentParam), async (c) => {
      const { id, threadId, commentId } = c.req.valid('param');
      const { role, dialogueId } = await access(c.var.user.id, id);
      const { thread: before, scope } = await visibleThread(id, threadId, role, c.var.user.id);
      const comment = before.comments.find((m) => m.id === commentId);
      if (!comment || comment.deleted) throw new HttpError(404, 'not_found', 'Comment not found.');
      if (!canDeleteComment(role, c.var.user.id, facts(before), commentFacts(comment), scope?.facts)) {
        throw new HttpError(403, 'forbidden', 'Only its author (or the Secretariat) may delete a comment.');
      }
      // A closed round's feedback is a record; only the Secretariat may still remove a comment (abuse).
      if (!can(role, 'thread.moderate')) requireOpen(scope);
      const { threadDeleted } = await threads.deleteComment(threadId, commentId, c.var.user.id);
      await audit.append({
        dialogueId,
        documentId: id,
        actorId: c.var.user.id,
        action: 'comment.deleted',
        detail: { threadId, commentId, authorId: comment.author.id, threadDeleted },
      });
      await changed(id);
      await inboxShrank(id, threadDeleted ? { threadId } : { commentId });
      if (threadDeleted) {
        publishRemoved(before, audienceOf(before));
        return c.json({ thread: null });
      }
      const thread = await current(threadId);
      publish('thread.updated', thread);
      return c.json({ thread });
    })
    .post('/:id/threads/:threadId/resolve', validate('param', threadParam), async (c) =>
      setStatus(c.req.valid('param'), c.var.user.id, 'resolved', (body) => c.json(body)),
    )
    .post('/:id/threads/:threadId/reopen', validate('param', threadParam), async (c) =>
      setStatus(c.req.valid('param'), c.var.user.id, 'open', (body) => c.json(body)),
    )
    .patch(
      '/:id/threads/:threadId',
      validate('param', threadParam),
      validate('json', updateThreadBodySchema),
      async (c) => {
        const { id, threadId } = c.req.valid('param');
        const { role, dialogueId } = await access(c.var.user.id, id);
        const { thread: before } = await visibleThread(id, threadId, role, c.var.user.id);
        const { visibility, anchor } = c.req.valid('json');
        if (visibility !== undefined && !canChangeVisibility(role, facts(before))) {
          throw new HttpError(
            403,
            'forbidden',
            before.versionId !== null
              ? 'Feedback is seen by its round\'s validators: it cannot be made internal.'
              : 'Only Secretariat and Co-Chairs may change who sees a thread.',
          );
        }
        if (anchor !== undefined) {
          if (!canApplyWording(role, facts(before))) {
            throw new HttpError(
              403,
              'forbidden',
              before.versionId !== null
                ? 'Feedback stays on the text of its version.'
                : 'Only members who may edit the text may move a thread.',
            );
          }
          if (before.anchor.kind !== 'range') {
            throw new HttpError(400, 'invalid_input', 'Invalid body: anchor: only a thread on a text range can move to another range.');
          }
          if (!(isRelativePosition(anchor.from) && isRelativePosition(anchor.to))) {
            throw new HttpError(400, 'invalid_input', 'Invalid body: anchor: the positions are not Yjs relative positions.');
          }
        }
        const visibilityChanges = visibility !== undefined && visibility !== before.visibility;
        if (!visibilityChanges && anchor === undefined) return c.json({ thread: before });
        if (visibilityChanges && visibility === 'internal') {
          const dialogueMembers = await members.list(dialogueId);
          for (const comment of before.comments) checkMentions(comment.body, dialogueMembers, { ...before, visibility }, null);
        }
        if (anchor !== undefined) {
          // The change a thread is on (and its decision) is the server's record: a move keeps it.
          const change = before.anchor.kind === 'range' ? before.anchor.change : undefined;
          await threads.setAnchor(threadId, { ...anchor, change });
          await audit.append({
            dialogueId,
            documentId: id,
            actorId: c.var.user.id,
            action: 'thread.moved',
            detail: { threadId, quote: anchor.quote.slice(0, 200), clauseId: anchor.clauseId },
          });
        }
        if (visibilityChanges) {
          await threads.setVisibility(threadId, visibility);
          await audit.append({
            dialogueId,
            documentId: id,
            actorId: c.var.user.id,
            action: 'thread.visibility_changed',
            detail: { threadId, from: before.visibility, to: visibility },
          });
        }
        const thread = await current(threadId);
        await changed(id);
        publish('thread.updated', thread);
        // Made internal: it disappears for everyone else, at once.
        if (visibilityChanges && visibility === 'internal') {
          publishRemoved(thread, { roles: publicRoles });
          await inboxShrank(id, { threadId });
        }
        return c.json({ thread });
      },
    )
    .post('/:id/threads/:threadId/comments/:commentId/apply', validate('param', commentParam), async (c) => {
      const { id, threadId, commentId } = c.req.valid('param');
      const { role, dialogueId } = await access(c.var.user.id, id);
      const { thread: before, comment } = await applicableComment(id, threadId, commentId, role, c.var.user.id);
      if (comment.applied) throw alreadyApplied(comment);
      const me = c.var.user;
      const held = reservations.get(commentId);
      // An earlier application whose editor made the change but never confirmed it (a closed tab, a
      // lost answer): the record follows the text, so it counts as applied and is never made twice.
      if (held) {
        const reconciled = await reconcile(id, dialogueId, before, comment, held);
        if (reconciled) throw alreadyApplied(reconciled);
      }
      if (held && held.userId !== me.id && !reservations.expired(held)) {
        throw new HttpError(409, 'conflict', `${held.userName} is applying this wording right now.`);
      }
      const reservation = reservations.reserve({
        commentId,
        userId: me.id,
        userName: me.name,
        role,
        // Retrying one's own live application keeps its id: a change already made stays covered.
        changeId: held && held.userId === me.id && !reservations.expired(held) ? held.changeId : newChangeId(),
      });
      collab.allowAttribution(id, { writerId: me.id, authorId: comment.author.id, changeId: reservation.changeId });
      await audit.append({
        dialogueId,
        documentId: id,
        actorId: me.id,
        action: 'wording.apply_started',
        detail: { threadId, commentId, proposerId: comment.author.id, changeId: reservation.changeId },
      });
      return c.json({
        thread: before,
        application: {
          changeId: reservation.changeId,
          author: { id: comment.author.id, name: comment.author.name },
          wording: comment.proposedWording ?? '',
          expiresAt: new Date(reservation.expiresAt).toISOString(),
        },
      });
    })
    .post(
      '/:id/threads/:threadId/comments/:commentId/apply/confirm',
      validate('param', commentParam),
      validate('json', applyConfirmBodySchema),
      async (c) => {
        const { id, threadId, commentId } = c.req.valid('param');
        const { changeId, anchor } = c.req.valid('json');
        const { role, dialogueId } = await access(c.var.user.id, id);
        const { thread: before, comment } = await applicableComment(id, threadId, commentId, role, c.var.user.id);
        const me = c.var.user.id;
        if (comment.applied) {
          // A retried confirmation (the first answer was lost) gets the same answer.
          if (comment.applied.by.id === me && before.anchor.kind === 'range' && before.anchor.change?.id === changeId) {
            return c.json({ thread: before });
          }
          throw alreadyApplied(comment);
        }
        const held = reservations.get(commentId);
        if (!held || held.userId !== me || held.changeId !== changeId) {
          throw new HttpError(409, 'conflict', 'This application of the wording was not started by you or has ended; apply it again.');
        }
        const change = listChanges(await collab.readDocument(id)).find((ch) => ch.id === changeId);
        if (!change) {
          throw new HttpError(409, 'change_not_found', 'The tracked change has not reached the server yet.');
        }
        if (change.authorId !== comment.author.id) {
          throw new HttpError(409, 'conflict', 'That change is not attributed to the member who proposed the wording.');
        }
        let moved: RangeAnchor | undefined;
        if (anchor !== undefined && before.anchor.kind === 'range') {
          if (!(isRelativePosition(anchor.from) && isRelativePosition(anchor.to))) {
            throw new HttpError(400, 'invalid_input', 'Invalid body: anchor: the positions are not Yjs relative positions.');
          }
          moved = {
            ...anchor,
            clauseNumber: anchor.clauseNumber ?? before.anchor.clauseNumber,
            change: { id: changeId, decision: null },
          };
        }
        if (!(await threads.markApplied(threadId, commentId, me, role, moved))) {
          throw alreadyApplied((await current(threadId)).comments.find((m) => m.id === commentId) ?? comment);
        }
        reservations.release(commentId);
        await audit.append({
          dialogueId,
          documentId: id,
          actorId: me,
          action: 'wording.applied',
          detail: {
            threadId,
            commentId,
            proposerId: comment.author.id,
            appliedBy: me,
            changeId,
            kind: change.kind,
            clauseIds: change.clauseIds,
          },
        });
        const thread = await current(threadId);
        await changed(id);
        publish('thread.updated', thread);
        return c.json({ thread });
      },
    )
    .post(
      '/:id/threads/:threadId/comments/:commentId/apply/cancel',
      validate('param', commentParam),
      validate('json', applyCancelBodySchema),
      async (c) => {
        const { id, threadId, commentId } = c.req.valid('param');
        const { changeId, reason } = c.req.valid('json');
        const { role, dialogueId } = await access(c.var.user.id, id);
        const { thread: before, comment } = await applicableComment(id, threadId, commentId, role, c.var.user.id);
        const held = reservations.get(commentId);
        // Nothing of this member's under way (already cancelled, or taken over): nothing to undo.
        if (!held || held.userId !== c.var.user.id || held.changeId !== changeId) return c.json({ thread: before });
        reservations.release(commentId);
        await audit.append({
          dialogueId,
          documentId: id,
          actorId: c.var.user.id,
          action: 'wording.apply_cancelled',
          detail: { threadId, commentId, proposerId: comment.author.id, changeId, reason },
        });
        return c.json({ thread: before });
      },
    )
    .post(
      '/:id/threads/:threadId/carry',
      validate('param', threadParam),
      validate('json', carryBodySchema),
      async (c) => {
        const { id, threadId } = c.req.valid('param');
        const { role, dialogueId, document } = await access(c.var.user.id, id);
        const { thread: feedback, scope } = await visibleThread(id, threadId, role, c.var.user.id);
        // Permission before the thread's state: a member who may not edit the text is refused (403)
        // whatever thread they name, so an observer never learns more from a 400 than "not yours".
        if (!can(role, 'document.edit') || (feedback.versionId !== null && !canCarryFeedback(role, facts(feedback)))) {
          throw new HttpError(403, 'forbidden', 'Only members who may edit the text may carry feedback to the live draft.');
        }
        if (feedback.versionId === null || !scope) {
          throw new HttpError(400, 'invalid_input', 'Only feedback of a validation round can be carried to the live draft.');
        }
        if (feedback.carriedTo) {
          throw new HttpError(409, 'conflict', `${feedback.carriedTo.by.name} already carried this feedback to the live draft.`);
        }
        const live = await readDocumentText(collab, id);
        const carried = await carryFeedback(ctx.store, {
          documentId: id,
          dialogueId,
          feedback,
          round: scope.round,
          liveState: live.state,
          baseline: (await liveNumbering(ctx, document)).baseline,
          members: await members.list(dialogueId),
          carrier: { id: c.var.user.id, role },
          note: c.req.valid('json').note,
        });
        if (!carried) {
          // Someone carried it in the same instant: theirs stands.
          const now = await current(feedback.id);
          throw new HttpError(409, 'conflict', `${now.carriedTo?.by.name ?? 'Someone'} already carried this feedback to the live draft.`);
        }
        await audit.append({
          dialogueId,
          documentId: id,
          actorId: c.var.user.id,
          action: 'thread.carried',
          detail: {
            feedbackThreadId: feedback.id,
            threadId: carried.threadId,
            commentId: carried.commentId,
            roundId: scope.round.id,
            versionId: feedback.versionId,
            validatorId: feedback.createdBy.id,
            placement: carried.placement,
            clauseId: carried.anchor.kind === 'document' ? null : carried.anchor.clauseId,
          },
        });
        const thread = await current(carried.threadId);
        await changed(id);
        publish('thread.created', thread);
        return c.json({ thread, feedback: await current(feedback.id), placement: carried.placement }, 201);
      },
    );

  /** The thread and comment whose wording `role` wants to apply, after every check but "applied". */
  async function applicableComment(
    documentId: string,
    threadId: string,
    commentId: string,
    role: Role,
    userId: string,
  ) {
    const { thread } = await visibleThread(documentId, threadId, role, userId);
    const comment = thread.comments.find((m) => m.id === commentId);
    if (!comment || comment.deleted) throw new HttpError(404, 'not_found', 'Comment not found.');
    if (!canApplyWording(role, facts(thread))) {
      throw new HttpError(
        403,
        'forbidden',
        thread.versionId !== null
          ? 'Feedback is on a frozen version: carry it to the live draft first, then apply its wording there.'
          : 'Only members who may edit the text may apply proposed wording.',
      );
    }
    if (comment.proposedWording === null) throw new HttpError(409, 'conflict', 'This comment proposes no wording.');
    return { thread, comment };
  }

  function alreadyApplied(comment: Comment): HttpError {
    return new HttpError(409, 'conflict', `${comment.applied?.by.name ?? 'Someone'} has already applied this wording.`);
  }

  /**
   * Records an unconfirmed application as done when its change is in the server's text (by the
   * proposer); returns the comment as it now is, or null when the change was never made.
   */
  async function reconcile(
    documentId: string,
    dialogueId: string,
    thread: Thread,
    comment: Comment,
    held: WordingReservation,
  ): Promise<Comment | null> {
    const change = listChanges(await collab.readDocument(documentId)).find((ch) => ch.id === held.changeId);
    if (!change || change.authorId !== comment.author.id) return null;
    reservations.release(comment.id);
    if (!(await threads.markApplied(thread.id, comment.id, held.userId, held.role))) return null;
    await audit.append({
      dialogueId,
      documentId,
      actorId: held.userId,
      action: 'wording.applied',
      detail: {
        threadId: thread.id,
        commentId: comment.id,
        proposerId: comment.author.id,
        appliedBy: held.userId,
        changeId: held.changeId,
        kind: change.kind,
        clauseIds: change.clauseIds,
        unconfirmed: true,
      },
    });
    const now = await current(thread.id);
    await changed(documentId);
    publish('thread.updated', now);
    return now.comments.find((m) => m.id === comment.id) ?? null;
  }

  async function setStatus<R>(
    params: { id: string; threadId: string },
    userId: string,
    status: 'open' | 'resolved',
    respond: (body: { thread: Thread }) => R,
  ): Promise<R> {
    const { id, threadId } = params;
    const { role, dialogueId } = await access(userId, id);
    const { thread: before, scope } = await visibleThread(id, threadId, role, userId);
    if (!canResolve(role, userId, facts(before), scope?.facts)) {
      throw new HttpError(
        403,
        'forbidden',
        before.versionId !== null
          ? `Only Co-Chairs and the Secretariat may ${status === 'resolved' ? 'resolve' : 'reopen'} feedback.`
          : `Only Co-Chairs, the Secretariat or the member who started a thread may ${status === 'resolved' ? 'resolve' : 'reopen'} it.`,
      );
    }
    if (before.status === status) return respond({ thread: before });
    await threads.setStatus(threadId, status, userId, role);
    await audit.append({
      dialogueId,
      documentId: id,
      actorId: userId,
      action: status === 'resolved' ? 'thread.resolved' : 'thread.reopened',
      detail: { threadId },
    });
    const thread = await current(threadId);
    await changed(id);
    publish('thread.updated', thread);
    return respond({ thread });
  }
}

function facts(thread: Thread) {
  return { visibility: thread.visibility, createdBy: thread.createdBy.id, versionId: thread.versionId };
}

function commentFacts(comment: Thread['comments'][number]) {
  return { authorId: comment.author.id, deleted: comment.deleted };
}
