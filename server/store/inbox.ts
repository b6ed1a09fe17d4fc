import { type Anchor, anchorSchema, type InboxItem, type InboxReason } from '@shared/api/threads';
import { isRole } from '@shared/permissions';
import { sql } from 'kysely';
import type { Store } from './db';
import { newId } from './ids';

/** One entry to add to a member's inbox. */
export interface NewInboxItem {
  userId: string;
  dialogueId: string;
  documentId: string;
  threadId: string;
  commentId: string;
  reason: InboxReason;
  at?: string;
}

/** Which inbox entries a member may be shown. */
export interface InboxScope {
  userId: string;
  dialogueId: string;
  /** Whether entries of internal threads may be shown (the member's role now allows it). */
  includeInternal: boolean;
  /** Whether entries of the live draft's threads may be shown (false for validators). */
  includeLive?: boolean;
  /** Entries of which rounds' feedback may be shown: all (those who process feedback), or the rounds they validate. */
  feedbackRounds?: 'all' | readonly string[];
}

const EXCERPT_LENGTH = 240;

/** How a thread's anchor is named in the inbox. */
export function anchorLabel(anchor: Anchor): string {
  if (anchor.kind === 'document') return 'Whole document';
  const where = anchor.clauseNumber ? `Clause ${anchor.clauseNumber}` : 'A clause';
  if (anchor.kind === 'clause') return where;
  const quote = anchor.quote.length > 60 ? `${anchor.quote.slice(0, 60)}…` : anchor.quote;
  return `${where}: “${quote}”`;
}

function parseAnchor(text: string): Anchor {
  try {
    const parsed = anchorSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { kind: 'document' };
}

/**
 * Each member's inbox: comments that mention them, and replies in threads they take part in, across
 * the documents of a dialogue, with read state. Entries of deleted comments or threads are not shown,
 * and entries of internal threads only while the member may read internal threads.
 */
export class Inbox {
  constructor(private readonly store: Store) {}

  /** Adds entries (a member gets at most one entry per comment; later duplicates are ignored). */
  async add(items: readonly NewInboxItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.store.db
      .insertInto('inbox_items')
      .values(
        items.map((item) => ({
          id: newId('i'),
          user_id: item.userId,
          dialogue_id: item.dialogueId,
          document_id: item.documentId,
          thread_id: item.threadId,
          comment_id: item.commentId,
          reason: item.reason,
          created_at: item.at ?? new Date().toISOString(),
          read_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['user_id', 'comment_id']).doNothing())
      .execute();
  }

  private visible(scope: InboxScope) {
    let query = this.store.db
      .selectFrom('inbox_items')
      .innerJoin('threads', 'threads.id', 'inbox_items.thread_id')
      .innerJoin('comments', 'comments.id', 'inbox_items.comment_id')
      .innerJoin('documents', 'documents.id', 'inbox_items.document_id')
      .where('inbox_items.user_id', '=', scope.userId)
      .where('inbox_items.dialogue_id', '=', scope.dialogueId)
      .where('threads.deleted_at', 'is', null)
      .where('comments.deleted_at', 'is', null);
    if (!scope.includeInternal) query = query.where('threads.visibility', '=', 'everyone');
    const includeLive = scope.includeLive ?? true;
    const rounds = scope.feedbackRounds ?? 'all';
    if (rounds !== 'all') {
      const validated = [...rounds];
      query = query.where((eb) => {
        const conditions = [];
        if (includeLive) conditions.push(eb('threads.round_id', 'is', null));
        if (validated.length > 0) conditions.push(eb('threads.round_id', 'in', validated));
        return conditions.length > 0 ? eb.or(conditions) : sql<boolean>`1 = 0`;
      });
    } else if (!includeLive) {
      query = query.where('threads.round_id', 'is not', null);
    }
    return query;
  }

  /** Newest first; `before` is the `nextBefore` of the previous page. */
  async list(
    scope: InboxScope,
    options: { unreadOnly: boolean; limit: number; before?: string },
  ): Promise<{ items: InboxItem[]; nextBefore: string | null }> {
    let query = this.visible(scope)
      .leftJoin('users', 'users.id', 'comments.author_id')
      .select([
        'inbox_items.id',
        'inbox_items.reason',
        'inbox_items.document_id',
        'inbox_items.thread_id',
        'inbox_items.comment_id',
        'inbox_items.created_at',
        'inbox_items.read_at',
        'documents.title',
        'threads.anchor',
        'threads.status',
        'threads.version_id',
        'threads.round_id',
        'comments.body',
        'comments.author_id',
        'comments.author_role',
        'users.name as author_name',
      ])
      .orderBy('inbox_items.created_at', 'desc')
      .orderBy('inbox_items.id', 'desc')
      .limit(options.limit + 1);
    if (options.unreadOnly) query = query.where('inbox_items.read_at', 'is', null);
    if (options.before) {
      const [at, id] = options.before.split('|');
      if (at && id) {
        query = query.where((eb) =>
          eb.or([
            eb('inbox_items.created_at', '<', at),
            eb.and([eb('inbox_items.created_at', '=', at), eb('inbox_items.id', '<', id)]),
          ]),
        );
      }
    }
    const rows = await query.execute();
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        id: row.id,
        reason: row.reason === 'mention' ? 'mention' : 'reply',
        documentId: row.document_id,
        documentTitle: row.title,
        threadId: row.thread_id,
        commentId: row.comment_id,
        versionId: row.version_id,
        roundId: row.round_id,
        author: {
          id: row.author_id,
          name: row.author_name ?? 'Former member',
          role: isRole(row.author_role) ? row.author_role : null,
        },
        excerpt: row.body.length > EXCERPT_LENGTH ? `${row.body.slice(0, EXCERPT_LENGTH)}…` : row.body,
        anchorLabel: anchorLabel(parseAnchor(row.anchor)),
        threadStatus: row.status === 'resolved' ? 'resolved' : 'open',
        createdAt: row.created_at,
        readAt: row.read_at,
      })),
      nextBefore: rows.length > options.limit && last ? `${last.created_at}|${last.id}` : null,
    };
  }

  /** How many visible entries are unread. */
  async unreadCount(scope: InboxScope): Promise<number> {
    const row = await this.visible(scope)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('inbox_items.read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The members with an unread entry for a comment, or for any comment of a thread. */
  async unreadHolders(which: { commentId: string } | { threadId: string }): Promise<string[]> {
    let query = this.store.db.selectFrom('inbox_items').select('user_id').distinct().where('read_at', 'is', null);
    query = 'commentId' in which ? query.where('comment_id', '=', which.commentId) : query.where('thread_id', '=', which.threadId);
    return (await query.execute()).map((row) => row.user_id);
  }

  /** Marks entries read: by id, every entry of a thread, or all of the dialogue; returns how many. */
  async markRead(
    userId: string,
    dialogueId: string,
    which: { ids?: readonly string[]; threadId?: string; all?: boolean },
  ): Promise<number> {
    let query = this.store.db
      .updateTable('inbox_items')
      .set({ read_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('dialogue_id', '=', dialogueId)
      .where('read_at', 'is', null);
    if (!which.all) {
      if (which.ids !== undefined) {
        if (which.ids.length === 0) return 0;
        query = query.where('id', 'in', [...which.ids]);
      }
      if (which.threadId !== undefined) query = query.where('thread_id', '=', which.threadId);
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
