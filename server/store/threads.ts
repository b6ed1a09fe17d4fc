import {
  type Anchor,
  anchorSchema,
  type CarriedFrom,
  type CarriedTo,
  type CarryPlacement,
  type Comment,
  type Person,
  type Thread,
  type ThreadChange,
  type ThreadStatus,
  type ThreadVisibility,
  threadStatuses,
  threadVisibilities,
} from '@shared/api/threads';
import { mentionedIds } from '@shared/comments/mentions';
import { isRole, type Role } from '@shared/permissions';
import type { Selectable } from 'kysely';
import type { Store } from './db';
import { newId } from './ids';
import type { CommentsTable, ThreadsTable } from './schema';

/** A stored thread with the facts the routes check before showing or changing it. */
export interface ThreadRecord {
  thread: Thread;
  dialogueId: string;
}

/** What a new thread is made of: its anchor, who may see it, and its first comment. */
export interface NewThread {
  documentId: string;
  dialogueId: string;
  versionId?: string | null;
  /** The validation round whose feedback this is (with `versionId`, the round's version). */
  roundId?: string | null;
  anchor: Anchor;
  visibility: ThreadVisibility;
  authorId: string;
  authorRole: Role;
  body: string;
  proposedWording: string | null;
  /** When it was written (the demo seed backdates its threads); now when omitted. */
  at?: string;
}

/** A new comment in an existing thread. */
export interface NewComment {
  threadId: string;
  authorId: string;
  authorRole: Role;
  body: string;
  proposedWording: string | null;
  at?: string;
}

/** Parses a stored anchor; a row written by a newer version that does not parse counts as a document anchor. */
function parseAnchor(text: string): Anchor {
  try {
    const parsed = anchorSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { kind: 'document' };
}

/** The columns that store an anchor. */
function anchorColumns(anchor: Anchor) {
  return {
    anchor_kind: anchor.kind,
    clause_id: anchor.kind === 'document' ? null : anchor.clauseId,
    objective_id: anchor.kind === 'document' ? null : anchor.objectiveId,
    anchor: JSON.stringify(anchor),
  };
}

function roleOrNull(value: string | null): Role | null {
  return isRole(value) ? value : null;
}

function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * Comment threads and their comments. Threads and comments are never removed: a deleted comment
 * keeps its row (shown as "comment deleted"), and a thread whose every comment was deleted is
 * marked deleted and no longer listed.
 */
export class Threads {
  constructor(private readonly store: Store) {}

  /** Creates a thread with its first comment; returns their ids. */
  async create(input: NewThread): Promise<{ threadId: string; commentId: string }> {
    const at = input.at ?? new Date().toISOString();
    const threadId = newId('t');
    const commentId = newId('m');
    const anchor = input.anchor;
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('threads')
        .values({
          id: threadId,
          document_id: input.documentId,
          dialogue_id: input.dialogueId,
          version_id: input.versionId ?? null,
          round_id: input.roundId ?? null,
          anchor_kind: anchor.kind,
          clause_id: anchor.kind === 'document' ? null : anchor.clauseId,
          objective_id: anchor.kind === 'document' ? null : anchor.objectiveId,
          anchor: JSON.stringify(anchor),
          visibility: input.visibility,
          status: 'open',
          created_by: input.authorId,
          created_role: input.authorRole,
          created_at: at,
          updated_at: at,
          resolved_by: null,
          resolved_role: null,
          resolved_at: null,
          deleted_at: null,
        })
        .execute();
      await trx
        .insertInto('comments')
        .values(commentRow(commentId, { ...input, threadId, at }))
        .execute();
    });
    return { threadId, commentId };
  }

  /** Adds a comment to a thread; returns its id. */
  async addComment(input: NewComment): Promise<string> {
    const at = input.at ?? new Date().toISOString();
    const id = newId('m');
    await this.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('comments').values(commentRow(id, { ...input, at })).execute();
      await trx.updateTable('threads').set({ updated_at: at }).where('id', '=', input.threadId).execute();
    });
    return id;
  }

  /** Replaces a comment's body and proposed wording. */
  async editComment(threadId: string, commentId: string, body: string, proposedWording: string | null): Promise<void> {
    const at = new Date().toISOString();
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('comments')
        .set({ body, proposed_wording: proposedWording, edited_at: at })
        .where('id', '=', commentId)
        .where('thread_id', '=', threadId)
        .execute();
      await trx.updateTable('threads').set({ updated_at: at }).where('id', '=', threadId).execute();
    });
  }

  /**
   * Deletes a comment (its body is erased, its place kept). When no comment of the thread is left,
   * the thread is deleted too; returns whether it was.
   */
  async deleteComment(threadId: string, commentId: string, deletedBy: string): Promise<{ threadDeleted: boolean }> {
    const at = new Date().toISOString();
    return this.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('comments')
        .set({ body: '', proposed_wording: null, deleted_at: at, deleted_by: deletedBy })
        .where('id', '=', commentId)
        .where('thread_id', '=', threadId)
        .execute();
      const left = await trx
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('thread_id', '=', threadId)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      const threadDeleted = Number(left.n) === 0;
      await trx
        .updateTable('threads')
        .set(threadDeleted ? { updated_at: at, deleted_at: at } : { updated_at: at })
        .where('id', '=', threadId)
        .execute();
      return { threadDeleted };
    });
  }

  /** Resolves or reopens a thread. */
  async setStatus(threadId: string, status: ThreadStatus, by: string, role: Role): Promise<void> {
    const at = new Date().toISOString();
    await this.store.db
      .updateTable('threads')
      .set(
        status === 'resolved'
          ? { status, resolved_by: by, resolved_role: role, resolved_at: at, updated_at: at }
          : { status, resolved_by: null, resolved_role: null, resolved_at: null, updated_at: at },
      )
      .where('id', '=', threadId)
      .execute();
  }

  /** Changes who may see a thread. */
  async setVisibility(threadId: string, visibility: ThreadVisibility): Promise<void> {
    await this.store.db
      .updateTable('threads')
      .set({ visibility, updated_at: new Date().toISOString() })
      .where('id', '=', threadId)
      .execute();
  }

  /** Moves a thread to a new anchor (after its words were replaced by applied wording). */
  async setAnchor(threadId: string, anchor: Anchor): Promise<void> {
    await this.store.db
      .updateTable('threads')
      .set({ ...anchorColumns(anchor), updated_at: new Date().toISOString() })
      .where('id', '=', threadId)
      .execute();
  }

  /**
   * Records that a comment's proposed wording was applied. Only the first call wins (two members
   * clicking at once apply it once); returns false when it was already applied.
   */
  async markApplied(threadId: string, commentId: string, by: string, role: Role, anchor?: Anchor): Promise<boolean> {
    const at = new Date().toISOString();
    return this.store.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('comments')
        .set({ applied_by: by, applied_role: role, applied_at: at })
        .where('id', '=', commentId)
        .where('thread_id', '=', threadId)
        .where('applied_at', 'is', null)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      // The thread moves onto the change its wording made, in the same transaction.
      await trx
        .updateTable('threads')
        .set(anchor ? { ...anchorColumns(anchor), updated_at: at } : { updated_at: at })
        .where('id', '=', threadId)
        .execute();
      return true;
    });
  }

  /**
   * Writes the decision on tracked changes into the threads on them (`anchor.change.decision`), so a
   * thread on a change says it was accepted or rejected and by whom. Returns the ids of the threads
   * that changed.
   */
  async recordChangeDecision(
    documentId: string,
    changeIds: readonly string[],
    decision: NonNullable<ThreadChange['decision']>,
  ): Promise<string[]> {
    const wanted = new Set(changeIds);
    const rows = await this.store.db
      .selectFrom('threads')
      .select(['id', 'anchor'])
      .where('document_id', '=', documentId)
      .where('version_id', 'is', null)
      .where('deleted_at', 'is', null)
      .where('anchor_kind', '=', 'range')
      .execute();
    const updated: string[] = [];
    for (const row of rows) {
      const anchor = parseAnchor(row.anchor);
      if (anchor.kind !== 'range' || !anchor.change || !wanted.has(anchor.change.id)) continue;
      await this.store.db
        .updateTable('threads')
        .set({ anchor: JSON.stringify({ ...anchor, change: { ...anchor.change, decision } }), updated_at: decision.at })
        .where('id', '=', row.id)
        .execute();
      updated.push(row.id);
    }
    return updated;
  }

  /** A thread that is not deleted, with all its comments; null when there is none. */
  async get(threadId: string): Promise<ThreadRecord | null> {
    const row = await this.store.db
      .selectFrom('threads')
      .selectAll()
      .where('id', '=', threadId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    const [thread] = await this.toThreads([row]);
    return thread ? { thread, dialogueId: row.dialogue_id } : null;
  }

  /** The threads of a document (the live draft, or one version), oldest first, deleted ones left out. */
  async listForDocument(documentId: string, versionId: string | null = null): Promise<Thread[]> {
    let query = this.store.db
      .selectFrom('threads')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('deleted_at', 'is', null);
    query = versionId === null ? query.where('version_id', 'is', null) : query.where('version_id', '=', versionId);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return this.toThreads(rows);
  }

  /** The feedback threads of a validation round, oldest first. */
  async listForRound(documentId: string, roundId: string): Promise<Thread[]> {
    const rows = await this.store.db
      .selectFrom('threads')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('round_id', '=', roundId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return this.toThreads(rows);
  }

  /** The round a feedback thread belongs to, or null (a thread of the live draft, or none). */
  async roundOf(threadId: string): Promise<string | null> {
    const row = await this.store.db.selectFrom('threads').select('round_id').where('id', '=', threadId).executeTakeFirst();
    return row?.round_id ?? null;
  }

  /**
   * Records that feedback thread `sourceId` was carried to live thread `targetId`. Only one carry per
   * feedback thread counts: returns false when it is already carried to a live thread that still exists
   * (a carry whose live thread was deleted since is replaced).
   */
  async recordCarry(input: {
    sourceId: string;
    targetId: string;
    documentId: string;
    roundId: string;
    placement: CarryPlacement;
    by: string;
    role: Role;
    at?: string;
  }): Promise<boolean> {
    const at = input.at ?? new Date().toISOString();
    try {
      return await this.store.db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('thread_carries')
          .innerJoin('threads', 'threads.id', 'thread_carries.target_thread_id')
          .select(['thread_carries.source_thread_id', 'threads.deleted_at'])
          .where('thread_carries.source_thread_id', '=', input.sourceId)
          .executeTakeFirst();
        if (existing && existing.deleted_at === null) return false;
        if (existing) await trx.deleteFrom('thread_carries').where('source_thread_id', '=', input.sourceId).execute();
        await trx
          .insertInto('thread_carries')
          .values({
            source_thread_id: input.sourceId,
            target_thread_id: input.targetId,
            document_id: input.documentId,
            round_id: input.roundId,
            placement: input.placement,
            carried_by: input.by,
            carried_role: input.role,
            carried_at: at,
          })
          .execute();
        await trx.updateTable('threads').set({ updated_at: at }).where('id', '=', input.sourceId).execute();
        return true;
      });
    } catch (err) {
      // Two carries racing on PostgreSQL: the second insert violates the primary key after the first commits.
      if (/unique|duplicate/i.test(String(err))) return false;
      throw err;
    }
  }

  /** Deletes a live thread made for a carry that could not be recorded (another member carried it first). */
  async discard(threadId: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('comments').where('thread_id', '=', threadId).execute();
      await trx.deleteFrom('threads').where('id', '=', threadId).execute();
    });
  }

  /** Member ids who wrote a comment (not deleted) in a thread, the starter first. */
  async participants(threadId: string): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom('comments')
      .select('author_id')
      .where('thread_id', '=', threadId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return [...new Set(rows.map((r) => r.author_id))];
  }

  private async toThreads(rows: Selectable<ThreadsTable>[]): Promise<Thread[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const comments = await this.store.db
      .selectFrom('comments')
      .selectAll()
      .where('thread_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const carries = await this.carriesOf(ids);
    const people = new Set<string>();
    for (const row of rows) {
      people.add(row.created_by);
      if (row.resolved_by) people.add(row.resolved_by);
    }
    for (const carry of carries.to.values()) people.add(carry.by);
    for (const from of carries.from.values()) people.add(from.authorId);
    for (const c of comments) {
      people.add(c.author_id);
      if (c.applied_by) people.add(c.applied_by);
    }
    const names = await this.namesOf([...people]);
    const person = (id: string, role: string | null): Person => ({
      id,
      name: names.get(id) ?? 'Former member',
      role: roleOrNull(role),
    });
    const byThread = new Map<string, Comment[]>();
    for (const c of comments) {
      const list = byThread.get(c.thread_id) ?? [];
      list.push(toComment(c, person));
      byThread.set(c.thread_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      documentId: row.document_id,
      versionId: row.version_id,
      roundId: row.round_id,
      carriedTo: carriedTo(carries.to.get(row.id), person),
      carriedFrom: carriedFrom(carries.from.get(row.id), person),
      anchor: parseAnchor(row.anchor),
      visibility: oneOf(threadVisibilities, row.visibility, 'internal'),
      status: oneOf(threadStatuses, row.status, 'open'),
      createdBy: person(row.created_by, row.created_role),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      resolvedBy: row.resolved_by ? person(row.resolved_by, row.resolved_role) : null,
      resolvedAt: row.resolved_at,
      comments: byThread.get(row.id) ?? [],
    }));
  }

  /** The carries of these threads: where feedback went (`to`, by source) and where live threads came from (`from`, by target). */
  private async carriesOf(ids: string[]): Promise<{ to: Map<string, CarryTo>; from: Map<string, CarryFrom> }> {
    const to = new Map<string, CarryTo>();
    const from = new Map<string, CarryFrom>();
    const rows = await this.store.db
      .selectFrom('thread_carries')
      .innerJoin('threads as target', 'target.id', 'thread_carries.target_thread_id')
      .innerJoin('threads as source', 'source.id', 'thread_carries.source_thread_id')
      .leftJoin('validation_rounds', 'validation_rounds.id', 'thread_carries.round_id')
      .leftJoin('versions', 'versions.id', 'source.version_id')
      .leftJoin('users', 'users.id', 'source.created_by')
      .select([
        'thread_carries.source_thread_id',
        'thread_carries.target_thread_id',
        'thread_carries.round_id',
        'thread_carries.carried_by',
        'thread_carries.carried_role',
        'thread_carries.carried_at',
        'target.deleted_at as target_deleted_at',
        'source.version_id as source_version_id',
        'source.created_by as source_created_by',
        'source.created_role as source_created_role',
        'source.created_at as source_created_at',
        'validation_rounds.title as round_title',
        'versions.label as version_label',
        'users.affiliation as author_affiliation',
      ])
      .where((eb) => eb.or([eb('thread_carries.source_thread_id', 'in', ids), eb('thread_carries.target_thread_id', 'in', ids)]))
      .execute();
    for (const row of rows) {
      if (row.target_deleted_at === null) {
        to.set(row.source_thread_id, { threadId: row.target_thread_id, by: row.carried_by, role: row.carried_role, at: row.carried_at });
      }
      from.set(row.target_thread_id, {
        threadId: row.source_thread_id,
        roundId: row.round_id,
        roundTitle: row.round_title ?? 'Validation round',
        versionId: row.source_version_id ?? '',
        versionLabel: row.version_label ?? 'a version',
        authorId: row.source_created_by,
        authorRole: row.source_created_role,
        affiliation: row.author_affiliation ?? null,
        givenAt: row.source_created_at,
      });
    }
    return { to, from };
  }

  private async namesOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.store.db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

/** A stored carry, seen from its feedback thread. */
interface CarryTo {
  threadId: string;
  by: string;
  role: string | null;
  at: string;
}

/** A stored carry, seen from the live thread it made. */
interface CarryFrom {
  threadId: string;
  roundId: string;
  roundTitle: string;
  versionId: string;
  versionLabel: string;
  authorId: string;
  authorRole: string | null;
  affiliation: string | null;
  givenAt: string;
}

function carriedTo(carry: CarryTo | undefined, person: (id: string, role: string | null) => Person): CarriedTo | null {
  return carry ? { threadId: carry.threadId, by: person(carry.by, carry.role), at: carry.at } : null;
}

function carriedFrom(carry: CarryFrom | undefined, person: (id: string, role: string | null) => Person): CarriedFrom | null {
  if (!carry) return null;
  const { authorId, authorRole, affiliation, ...rest } = carry;
  return { ...rest, author: { ...person(authorId, authorRole), affiliation } };
}

function commentRow(
  id: string,
  input: { threadId: string; authorId: string; authorRole: Role; body: string; proposedWording: string | null; at: string },
): Selectable<CommentsTable> {
  return {
    id,
    thread_id: input.threadId,
    author_id: input.authorId,
    author_role: input.authorRole,
    body: input.body,
    proposed_wording: input.proposedWording,
    applied_by: null,
    applied_role: null,
    applied_at: null,
    created_at: input.at,
    edited_at: null,
    deleted_at: null,
    deleted_by: null,
  };
}

function toComment(row: Selectable<CommentsTable>, person: (id: string, role: string | null) => Person): Comment {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    threadId: row.thread_id,
    author: person(row.author_id, row.author_role),
    body: deleted ? '' : row.body,
    mentions: deleted ? [] : mentionedIds(row.body),
    proposedWording: deleted ? null : row.proposed_wording,
    applied: row.applied_by && row.applied_at ? { by: person(row.applied_by, row.applied_role), at: row.applied_at } : null,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deleted,
  };
}
