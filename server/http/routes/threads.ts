import {
  createThreadBodySchema,
  editCommentBodySchema,
  replyBodySchema,
  type Thread,
  type ThreadEvent,
  updateThreadBodySchema,
} from '@shared/api/threads';
import { isRelativePosition } from '@shared/comments/anchor';
import { mentionedIds } from '@shared/comments/mentions';
import {
  canApplyWording,
  canChangeVisibility,
  canDeleteComment,
  canEditComment,
  canReadThreadsOn,
  canReply,
  canResolve,
  canSeeThread,
  canStartThread,
  internalRoles,
  type Role,
  roles,
} from '@shared/permissions';
import { Hono } from 'hono';
import { z } from 'zod';
import { documentAccess } from '../../auth/access';
import type { Audience, CollabControl, ServerContext } from '../../context';
import { auditLogFor } from '../../store/auditLog';
import { Documents } from '../../store/documents';
import { Inbox, type NewInboxItem } from '../../store/inbox';
import { Members, type MemberWithUser } from '../../store/members';
import { type ThreadRecord, Threads } from '../../store/threads';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { idParam, validate } from '../validate';

const recordId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const threadParam = idParam.extend({ threadId: recordId });
const commentParam = threadParam.extend({ commentId: recordId });
const listQuery = z.object({ versionId: recordId.optional() });

/** Who receives live events about a thread: everyone on the document, or the internal roles only. */
function audienceOf(thread: Thread): Audience | undefined {
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
 */
export function threadRoutes(ctx: ServerContext, collab: CollabControl) {
  const threads = new Threads(ctx.store);
  const inbox = new Inbox(ctx.store);
  const members = new Members(ctx.store);
  const documents = new Documents(ctx.store);
  const audit = auditLogFor(ctx.store);

  async function access(userId: string, documentId: string) {
    const found = await documentAccess(ctx, userId, documentId);
    if (!found) throw new HttpError(404, 'not_found', 'Document not found.');
    return found;
  }

  async function visibleThread(documentId: string, threadId: string, role: Role): Promise<ThreadRecord> {
    const record = await threads.get(threadId);
    if (!record || record.thread.documentId !== documentId || !canSeeThread(role, facts(record.thread))) {
      throw new HttpError(404, 'not_found', 'Thread not found.');
    }
    return record;
  }

  async function current(threadId: string): Promise<Thread> {
    const record = await threads.get(threadId);
    if (!record) throw new HttpError(404, 'not_found', 'Thread not found.');
    return record.thread;
  }

  function publish(type: 'thread.created' | 'thread.updated', thread: Thread): void {
    const event: ThreadEvent = { type, documentId: thread.documentId, thread };
    collab.publish(event, audienceOf(thread));
  }

  function publishRemoved(thread: Thread, audience: Audience | undefined): void {
    const event: ThreadEvent = { type: 'thread.removed', documentId: thread.documentId, threadId: thread.id };
    collab.publish(event, audience);
  }

  /**
   * Checks the mentions of a body: each must be a member of the dialogue who can see the thread
   * (an internal note can mention Secretariat and Co-Chairs only).
   */
  function checkMentions(body: string, dialogueMembers: MemberWithUser[], thread: Pick<Thread, 'visibility' | 'versionId'>) {
    const ids = mentionedIds(body);
    for (const id of ids) {
      const member = dialogueMembers.find((m) => m.userId === id);
      if (!member) {
        throw new HttpError(400, 'invalid_input', 'The comment mentions someone who is not a member of this dialogue.');
      }
      if (!canSeeThread(member.role, { ...thread, createdBy: '' })) {
        const why =
          thread.visibility === 'internal'
            ? 'internal notes are seen by Secretariat and Co-Chairs only'
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
  ): Promise<void> {
    const items: NewInboxItem[] = [];
    const base = { dialogueId, documentId: thread.documentId, threadId: thread.id, commentId };
    const canSee = (userId: string) => {
      const member = dialogueMembers.find((m) => m.userId === userId);
      return member !== undefined && canSeeThread(member.role, facts(thread));
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

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/:id/threads', validate('param', idParam), validate('query', listQuery), async (c) => {
      const { role, document } = await access(c.var.user.id, c.req.valid('param').id);
      const versionId = c.req.valid('query').versionId ?? null;
      if (!canReadThreadsOn(role, versionId)) {
        throw new HttpError(403, 'forbidden', 'Your role may not read the threads of this document.');
      }
      const list = await threads.listForDocument(document.id, versionId);
      return c.json({ threads: list.filter((thread) => canSeeThread(role, facts(thread))) });
    })
    .get('/:id/threads/:threadId', validate('param', threadParam), async (c) => {
      const { id, threadId } = c.req.valid('param');
      const { role } = await access(c.var.user.id, id);
      return c.json({ thread: (await visibleThread(id, threadId, role)).thread });
    })
    .post('/:id/threads', validate('param', idParam), validate('json', createThreadBodySchema), async (c) => {
      const { role, document, dialogueId } = await access(c.var.user.id, c.req.valid('param').id);
      const input = c.req.valid('json');
      if (!canStartThread(role, input.visibility)) {
        throw new HttpError(
          403,
          'forbidden',
          input.visibility === 'internal' && canStartThread(role, 'everyone')
            ? 'Only Secretariat and Co-Chairs may write internal notes.'
            : 'Your role may not comment on this document.',
        );
      }
      const anchor = input.anchor;
      if (anchor.kind === 'range' && !(isRelativePosition(anchor.from) && isRelativePosition(anchor.to))) {
        throw new HttpError(400, 'invalid_input', 'Invalid body: anchor: the positions are not Yjs relative positions.');
      }
      const body = input.body.trim();
      const dialogueMembers = await members.list(dialogueId);
      const mentioned = checkMentions(body, dialogueMembers, { visibility: input.visibility, versionId: null });
      const { threadId, commentId } = await threads.create({
        documentId: document.id,
        dialogueId,
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
          anchor: anchor.kind,
          clauseId: anchor.kind === 'document' ? null : anchor.clauseId,
          visibility: input.visibility,
          mentions: mentioned,
          proposedWording: input.proposedWording !== null,
        },
      });
      const thread = await current(threadId);
      await notify(thread, dialogueId, commentId, c.var.user.id, mentioned, [], dialogueMembers);
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
        const { thread: before } = await visibleThread(id, threadId, role);
        if (!canReply(role, facts(before))) throw new HttpError(403, 'forbidden', 'Your role may not reply to threads.');
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
        const mentioned = checkMentions(body, dialogueMembers, before);
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
        await notify(thread, dialogueId, commentId, c.var.user.id, mentioned, participants, dialogueMembers);
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
        const { thread: before } = await visibleThread(id, threadId, role);
        const comment = before.comments.find((m) => m.id === commentId);
        if (!comment || comment.deleted) throw new HttpError(404, 'not_found', 'Comment not found.');
        if (!canEditComment(role, c.var.user.id, facts(before), commentFacts(comment))) {
          throw new HttpError(403, 'forbidden', 'Only its author may edit a comment.');
        }
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
        const mentioned = checkMentions(body, dialogueMembers, before);
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
        await notify(thread, dialogueId, commentId, c.var.user.id, newlyMentioned, [], dialogueMembers);
        await changed(id);
        publish('thread.updated', thread);
        return c.json({ thread });
      },
    )
    .delete('/:id/threads/:threadId/comments/:commentId', validate('param', commentParam), async (c) => {
      const { id, threadId, commentId } = c.req.valid('param');
      const { role, dialogueId } = await access(c.var.user.id, id);
      const { thread: before } = await visibleThread(id, threadId, role);
      const comment = before.comments.find((m) => m.id === commentId);
      if (!comment || comment.deleted) throw new HttpError(404, 'not_found', 'Comment not found.');
      if (!canDeleteComment(role, c.var.user.id, facts(before), commentFacts(comment))) {
        throw new HttpError(403, 'forbidden', 'Only its author (or the Secretariat) may delete a comment.');
      }
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
        const { thread: before } = await visibleThread(id, threadId, role);
        const { visibility, anchor } = c.req.valid('json');
        if (visibility !== undefined && !canChangeVisibility(role, facts(before))) {
          throw new HttpError(403, 'forbidden', 'Only Secretariat and Co-Chairs may change who sees a thread.');
        }
        if (anchor !== undefined) {
          if (!canApplyWording(role, facts(before))) {
            throw new HttpError(403, 'forbidden', 'Only members who may edit the text may move a thread.');
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
          for (const comment of before.comments) checkMentions(comment.body, dialogueMembers, { ...before, visibility });
        }
        if (anchor !== undefined) {
          await threads.setAnchor(threadId, anchor);
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
      const { thread: before } = await visibleThread(id, threadId, role);
      const comment = before.comments.find((m) => m.id === commentId);
      if (!comment || comment.deleted) throw new HttpError(404, 'not_found', 'Comment not found.');
      if (!canApplyWording(role, facts(before))) {
        throw new HttpError(403, 'forbidden', 'Only members who may edit the text may apply proposed wording.');
      }
      if (comment.proposedWording === null) {
        throw new HttpError(409, 'conflict', 'This comment proposes no wording.');
      }
      if (!(await threads.markApplied(threadId, commentId, c.var.user.id, role))) {
        const now = (await current(threadId)).comments.find((m) => m.id === commentId);
        throw new HttpError(409, 'conflict', `${now?.applied?.by.name ?? 'Someone'} has already applied this wording.`);
      }
      await audit.append({
        dialogueId,
        documentId: id,
        actorId: c.var.user.id,
        action: 'wording.applied',
        detail: { threadId, commentId, proposerId: comment.author.id },
      });
      const thread = await current(threadId);
      await changed(id);
      publish('thread.updated', thread);
      return c.json({ thread });
    });

  async function setStatus<R>(
    params: { id: string; threadId: string },
    userId: string,
    status: 'open' | 'resolved',
    respond: (body: { thread: Thread }) => R,
  ): Promise<R> {
    const { id, threadId } = params;
    const { role, dialogueId } = await access(userId, id);
    const { thread: before } = await visibleThread(id, threadId, role);
    if (!canResolve(role, userId, facts(before))) {
      throw new HttpError(
        403,
        'forbidden',
        `Only Co-Chairs, the Secretariat or the member who started a thread may ${status === 'resolved' ? 'resolve' : 'reopen'} it.`,
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
