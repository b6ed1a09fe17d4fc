import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from './canonicalJson';
import type { Store } from './db';

/** Hash that precedes the first entry of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records: who did what, where. `detail` must be JSON-serialisable. */
export interface AuditInput {
  dialogueId?: string | null;
  documentId?: string | null;
  /** The acting user; null for the system. */
  actorId: string | null;
  /** A dotted verb such as `member.role_changed` or `document.edit`. */
  action: string;
  detail: Record<string, unknown>;
}

/** A stored audit entry. */
export interface AuditEntry {
  id: number;
  dialogueId: string | null;
  documentId: string | null;
  actorId: string | null;
  /** The actor's display name at reading time (null for the system or a deleted account). */
  actorName: string | null;
  action: string;
  detail: Record<string, unknown>;
  createdAt: string;
  prevHash: string;
  hash: string;
}

/** Why an entry breaks the chain. */
export type ChainBreak =
  /** Its `prev_hash` is not the hash of the entry before it: an entry before it was removed or inserted. */
  | 'link'
  /** Its stored hash does not match its fields: the entry itself was altered. */
  | 'hash'
  /** Its detail is not JSON any more. */
  | 'detail';

/**
 * Result of checking the chain: intact with `count` entries and the newest entry (`head`, null for an
 * empty log), or the id of the first broken entry, why, and how many entries before it are intact.
 */
export type ChainCheck =
  | { ok: true; count: number; head: { id: number; hash: string } | null }
  | { ok: false; brokenId: number; reason: ChainBreak; count: number };

/** The fields an entry's hash covers, in a fixed shape. */
interface HashedFields {
  dialogueId: string | null;
  documentId: string | null;
  actorId: string | null;
  action: string;
  detail: unknown;
  createdAt: string;
}

/** The hash of an entry: SHA-256 (hex) of the previous hash followed by the canonical JSON of its fields. */
export function entryHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(fields))
    .digest('hex');
}

/**
 * The append-only audit log. Every entry carries the hash of the one before it, so editing or deleting
 * a stored entry breaks the chain and `verifyChain` finds it (removing only the newest entries is the
 * one change a hash chain alone cannot reveal).
 *
 * Appends of one process run one after the other (a promise chain), and on PostgreSQL each append
 * also locks the table for its transaction, so two writers can never link to the same previous entry.
 * Use one instance per store: `auditLogFor(store)`.
 */
export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /** Appends an entry; resolves with its id once it is committed. */
  append(input: AuditInput): Promise<number> {
    const run = this.tail.then(() => this.write(input));
    // A failed append must not stop the ones queued after it.
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async write(input: AuditInput): Promise<number> {
    const { db, dialect } = this.store;
    // Round-trip the detail through JSON so what is hashed is exactly what can be read back.
    const detail = JSON.parse(canonicalJson(input.detail ?? {})) as unknown;
    return db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') await sql`lock table audit_log in exclusive mode`.execute(trx);
      const last = await trx
        .selectFrom('audit_log')
        .select('hash')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const prevHash = last?.hash ?? GENESIS_HASH;
      const fields: HashedFields = {
        dialogueId: input.dialogueId ?? null,
        documentId: input.documentId ?? null,
        actorId: input.actorId,
        action: input.action,
        detail,
        createdAt: new Date().toISOString(),
      };
      const row = await trx
        .insertInto('audit_log')
        .values({
          dialogue_id: fields.dialogueId,
          document_id: fields.documentId,
          actor_id: fields.actorId,
          action: fields.action,
          detail: canonicalJson(detail),
          created_at: fields.createdAt,
          prev_hash: prevHash,
          hash: entryHash(prevHash, fields),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    });
  }

  /**
   * Entries of a document or a dialogue (or all), newest first; `before` is an id to page from. With
   * `includeDialogueWide`, a document's entries come with its dialogue's entries that name no
   * document (membership changes), which concern every document of the dialogue.
   */
  async list(query: {
    documentId?: string;
    dialogueId?: string;
    includeDialogueWide?: boolean;
    limit: number;
    before?: number;
    /** Only entries with one of these actions. */
    actions?: readonly string[];
  }): Promise<AuditEntry[]> {
    let q = this.store.db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_id')
      .selectAll('audit_log')
      .select('users.name as actor_name')
      .orderBy('audit_log.id', 'desc')
      .limit(query.limit);
    const { documentId, dialogueId } = query;
    if (documentId !== undefined && dialogueId !== undefined && query.includeDialogueWide) {
      q = q.where((eb) =>
        eb.or([
          eb('audit_log.document_id', '=', documentId),
          eb.and([eb('audit_log.dialogue_id', '=', dialogueId), eb('audit_log.document_id', 'is', null)]),
        ]),
      );
    } else {
      if (documentId !== undefined) q = q.where('audit_log.document_id', '=', documentId);
      if (dialogueId !== undefined) q = q.where('audit_log.dialogue_id', '=', dialogueId);
    }
    if (query.before !== undefined) q = q.where('audit_log.id', '<', query.before);
    if (query.actions !== undefined) q = q.where('audit_log.action', 'in', [...query.actions]);
    const rows = await q.execute();
    return rows.map((row) => ({
      id: Number(row.id),
      dialogueId: row.dialogue_id,
      documentId: row.document_id,
      actorId: row.actor_id,
      actorName: row.actor_name,
      action: row.action,
      detail: parseDetail(row.detail),
      createdAt: row.created_at,
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
  }

  /** Walks the whole chain in id order and checks every link and every hash. */
  async verifyChain(): Promise<ChainCheck> {
    let prevHash = GENESIS_HASH;
    let count = 0;
    let after = 0;
    let head: { id: number; hash: string } | null = null;
    for (;;) {
      const rows = await this.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(1000)
        .execute();
      if (rows.length === 0) return { ok: true, count, head };
      for (const row of rows) {
        const id = Number(row.id);
        let detail: unknown;
        try {
          detail = JSON.parse(row.detail);
        } catch {
          return { ok: false, brokenId: id, reason: 'detail', count };
        }
        const expected = entryHash(prevHash, {
          dialogueId: row.dialogue_id,
          documentId: row.document_id,
          actorId: row.actor_id,
          action: row.action,
          detail,
          createdAt: row.created_at,
        });
        if (row.prev_hash !== prevHash) return { ok: false, brokenId: id, reason: 'link', count };
        if (row.hash !== expected) return { ok: false, brokenId: id, reason: 'hash', count };
        prevHash = row.hash;
        head = { id, hash: row.hash };
        count += 1;
        after = id;
      }
    }
  }
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return {};
  }
}

const logs = new WeakMap<Store, AuditLog>();

/** The one audit log of a store; every writer must use it so appends stay serialised. */
export function auditLogFor(store: Store): AuditLog {
  let log = logs.get(store);
  if (!log) {
    log = new AuditLog(store);
    logs.set(store, log);
  }
  return log;
}
