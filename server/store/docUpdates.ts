import { sql } from 'kysely';
import * as Y from 'yjs';
import type { Store } from './db';

/** Rows per insert statement: 4 parameters each, far below SQLite's 32,766 and PostgreSQL's 65,535. */
const APPEND_CHUNK = 1000;

/** One update to append to a document's log. */
export interface UpdateRow {
  documentId: string;
  data: Uint8Array;
  userId: string | null;
}

/** What storage holds for a document: its compacted state and the updates appended since. */
export interface StoredDocument {
  state: Uint8Array | null;
  updates: Uint8Array[];
  /** Id of the newest update applied (in state or in `updates`); 0 when there is none. */
  lastUpdateId: number;
}

/**
 * The Yjs update log and compacted states of documents. Appends are durable when the returned
 * promise resolves (SQLite `synchronous=FULL`, or a committed PostgreSQL transaction).
 */
export class DocUpdates {
  constructor(private readonly store: Store) {}

  /**
   * Reads a document's stored state and the updates after it. Throws if storage cannot be read.
   * Both reads see one snapshot (PostgreSQL `repeatable read`; a SQLite read transaction is one),
   * so a compaction committed by another process between them can never hide updates from both.
   */
  async load(documentId: string): Promise<StoredDocument> {
    const { db, dialect } = this.store;
    const trx = dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
    return trx.execute(async (trx) => {
      const state = await trx
        .selectFrom('doc_states')
        .select(['data', 'last_update_id'])
        .where('document_id', '=', documentId)
        .executeTakeFirst();
      const rows = await trx
        .selectFrom('doc_updates')
        .select(['id', 'data'])
        .where('document_id', '=', documentId)
        .orderBy('id')
        .execute();
      const lastUpdateId = rows.at(-1)?.id ?? Number(state?.last_update_id ?? 0);
      return {
        state: state ? new Uint8Array(state.data) : null,
        updates: rows.map((r) => new Uint8Array(r.data)),
        lastUpdateId,
      };
    });
  }

  /**
   * Appends updates of any number of documents; resolves once they are committed. A batch that fits
   * one statement is one statement (its own transaction: on PostgreSQL one round trip instead of
   * three, which matters when the event loop is busy); a bigger one is chunked inside a transaction.
   * Either way a failed append may be retried whole: a row stored twice is harmless (Yjs applies an
   * update once), so atomicity across chunks is not what durability rests on.
   */
  async append(rows: readonly UpdateRow[]): Promise<void> {
    if (rows.length === 0) return;
    const now = new Date().toISOString();
    const values = (chunk: readonly UpdateRow[]) =>
      chunk.map((r) => ({ document_id: r.documentId, data: r.data, user_id: r.userId, created_at: now }));
    if (rows.length <= APPEND_CHUNK) {
      await this.store.db.insertInto('doc_updates').values(values(rows)).execute();
      return;
    }
    await this.store.db.transaction().execute(async (trx) => {
      // Chunked so one huge batch never exceeds the databases' parameter limits.
      for (let i = 0; i < rows.length; i += APPEND_CHUNK) {
        await trx.insertInto('doc_updates').values(values(rows.slice(i, i + APPEND_CHUNK))).execute();
      }
    });
  }

  /** Number of updates in the log after the compacted state. */
  async countUpdates(documentId: string): Promise<number> {
    const row = await this.store.db
      .selectFrom('doc_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('document_id', '=', documentId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Folds the update log into the compacted state: applies the state and every update into a fresh
   * `Y.Doc` (never `Y.mergeUpdates` over a long log, which is superlinear), stores the result and
   * deletes the folded updates, all in one transaction. Works from storage alone, so updates that
   * other processes appended are never lost.
   *
   * Several processes may compact the same document and append to it at once (PostgreSQL shared by
   * several servers). Compactions of one document are serialised with a transaction-scoped
   * advisory lock, so none overwrites a state another folded rows into; and only the rows read are
   * deleted, by id, because sequence ids are handed out before commit: a row with a smaller id than
   * the last one read may commit later, and must survive. (SQLite serialises writers by itself, and
   * a compaction whose snapshot went stale fails with SQLITE_BUSY and is retried later.)
   */
  async compact(documentId: string): Promise<{ folded: number }> {
    const { db, dialect } = this.store;
    return db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`accord:compact:${documentId}`}, 0))`.execute(trx);
      }
      const state = await trx
        .selectFrom('doc_states')
        .select(['data'])
        .where('document_id', '=', documentId)
        .executeTakeFirst();
      const rows = await trx
        .selectFrom('doc_updates')
        .select(['id', 'data'])
        .where('document_id', '=', documentId)
        .orderBy('id')
        .execute();
      const last = rows.at(-1);
      if (!last) return { folded: 0 };
      const ydoc = new Y.Doc();
      Y.transact(ydoc, () => {
        if (state) Y.applyUpdate(ydoc, new Uint8Array(state.data));
        for (const r of rows) Y.applyUpdate(ydoc, new Uint8Array(r.data));
      });
      const data = Y.encodeStateAsUpdate(ydoc);
      ydoc.destroy();
      const now = new Date().toISOString();
      await trx
        .insertInto('doc_states')
        .values({ document_id: documentId, data, last_update_id: last.id, updated_at: now })
        .onConflict((oc) =>
          oc.column('document_id').doUpdateSet({ data, last_update_id: last.id, updated_at: now }),
        )
        .execute();
      const ids = rows.map((r) => r.id);
      for (let i = 0; i < ids.length; i += 1000) {
        await trx
          .deleteFrom('doc_updates')
          .where('document_id', '=', documentId)
          .where('id', 'in', ids.slice(i, i + 1000))
          .execute();
      }
      return { folded: rows.length };
    });
  }

  /** Stores a document's initial state once (seed, import). Refuses to overwrite an existing one. */
  async createInitialState(documentId: string, data: Uint8Array): Promise<void> {
    await this.store.db
      .insertInto('doc_states')
      .values({ document_id: documentId, data, last_update_id: 0, updated_at: new Date().toISOString() })
      .execute();
  }
}
