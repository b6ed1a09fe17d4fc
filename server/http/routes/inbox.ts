import { type Inbox as InboxBody, inboxQuerySchema, markReadBodySchema } from '@shared/api/threads';
import { can } from '@shared/permissions';
import { Hono } from 'hono';
import type { ServerContext } from '../../context';
import { Inbox, type InboxScope } from '../../store/inbox';
import { Members } from '../../store/members';
import { Rounds } from '../../store/rounds';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { validate } from '../validate';

/**
 * `/api/inbox`: the signed-in member's mentions and replies to their threads, across the documents of
 * one dialogue, with the unread count. Entries of internal threads show only while the member's role
 * may read internal threads, entries of the live draft only to those who read it, entries of a round's
 * feedback only to those who read that feedback; entries of deleted comments or threads never show.
 */
export function inboxRoutes(ctx: ServerContext) {
  const inbox = new Inbox(ctx.store);
  const members = new Members(ctx.store);
  const rounds = new Rounds(ctx.store);

  async function scopeOf(userId: string, dialogueId: string): Promise<InboxScope> {
    const role = await members.roleOf(dialogueId, userId);
    if (!role) throw new HttpError(404, 'not_found', 'Dialogue not found.');
    return {
      userId,
      dialogueId,
      includeInternal: can(role, 'thread.readInternal'),
      includeLive: can(role, 'document.readLive'),
      // Feedback of validation rounds: all of it for those who process it, else the rounds one validates.
      feedbackRounds: can(role, 'round.readFeedback') ? 'all' : await rounds.roundIdsOf(userId, dialogueId),
    };
  }

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/', validate('query', inboxQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const scope = await scopeOf(c.var.user.id, query.dialogueId);
      const page = await inbox.list(scope, {
        unreadOnly: query.unread === '1',
        limit: query.limit,
        before: query.before,
      });
      const body: InboxBody = { ...page, unread: await inbox.unreadCount(scope) };
      return c.json(body);
    })
    .post('/read', validate('json', markReadBodySchema), async (c) => {
      const input = c.req.valid('json');
      const scope = await scopeOf(c.var.user.id, input.dialogueId);
      const marked = await inbox.markRead(scope.userId, scope.dialogueId, input);
      return c.json({ marked, unread: await inbox.unreadCount(scope) });
    });
}
