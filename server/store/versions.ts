import type { Store } from './db';
import { newId } from './ids';

/** A stored version without its (large) content and Yjs state. */
export interface VersionRecord {
  id: string;
  documentId: string;
  seq: number;
  label: string;
  meeting: string | null;
  note: string | null;
  frozenBy: string;
  frozenByName: string | null;
  frozenAt: string;
  hash: string;
}

/** A stored version with its canonical content text and Yjs state. */
export interface VersionWithContent extends VersionRecord {
  /** The canonical JSON the hash covers, exactly as stored. */
  content: string;
  yjsState: Uint8Array;
}

/** What a freeze stores. */
export interface NewVersion {
  documentId: string;
  label: string;
  meeting: string | null;
  note: string | null;
  frozenBy: string;
  frozenAt: string;
  content: string;
  yjsState: Uint8Array;
  hash: string;
}

/** Raised when a label is already used by another version of the document. */
export class DuplicateLabelError extends Error {
  constructor(label: string) {
    super(`A version labelled "${label}" already exists.`);
    this.name = 'DuplicateLabelError';
  }
}

const summaryColumns = [
  'versions.id',
  'versions.document_id',
  'versions.seq',
  'versions.label',
  'versions.meeting',
  'versions.note',
  'versions.frozen_by',
  'versions.frozen_at',
  'versions.hash',
  'users.name as frozen_by_name',
] as const;

type SummaryRow = {
  id: string;
  document_id: string;
  seq: number;
  label: string;
  meeting: string | null;
  note: string | null;
  frozen_by: string;
  frozen_at: string;
  hash: string;
  frozen_by_name: string | null;
};

function toRecord(row: SummaryRow): VersionRecord {
  return {
    id: row.id,
    documentId: row.document_id,
    seq: Number(row.seq),
    label: row.label,
    meeting: row.meeting,
    note: row.note,
    frozenBy: row.frozen_by,
    frozenByName: row.frozen_by_name,
    frozenAt: row.frozen_at,
    hash: row.hash,
  };
}

/**
 * The versions of documents: insert and read only. There is deliberately no update or delete here,
 * and the database refuses both (migration 005).
 */
export class Versions {
  constructor(private readonly store: Store) {}

  /**
   * Stores a new version with the next sequence number of its document. Two freezes racing for the
   * same number or label: one commits, the other fails on the unique constraint (a label clash is
   * reported as {@link DuplicateLabelError}; a number clash is retried).
   */
  async create(input: NewVersion): Promise<VersionRecord> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.store.db
        .selectFrom('versions')
        .select(['seq', 'label'])
        .where('document_id', '=', input.documentId)
        .execute();
      if (existing.some((v) => v.label.toLowerCase() === input.label.toLowerCase())) {
        throw new DuplicateLabelError(input.label);
      }
      const seq = existing.reduce((max, v) => Math.max(max, Number(v.seq)), 0) + 1;
      const id = newId();
      try {
        await this.store.db
          .insertInto('versions')
          .values({
            id,
            document_id: input.documentId,
            seq,
            label: input.label,
            meeting: input.meeting,
            note: input.note,
            frozen_by: input.frozenBy,
            frozen_at: input.frozenAt,
            content: input.content,
            yjs_state: input.yjsState,
            hash: input.hash,
          })
          .execute();
      } catch (err) {
        if (attempt < 3 && /unique|duplicate/i.test(String(err))) continue;
        throw err;
      }
      const created = await this.get(input.documentId, id);
      if (!created) throw new Error('version vanished after insert');
      return created;
    }
  }

  /** The versions of a document, oldest first. */
  async list(documentId: string): Promise<VersionRecord[]> {
    const rows = await this.store.db
      .selectFrom('versions')
      .leftJoin('users', 'users.id', 'versions.frozen_by')
      .select(summaryColumns)
      .where('versions.document_id', '=', documentId)
      .orderBy('versions.seq')
      .execute();
    return rows.map(toRecord);
  }

  /** One version of a document (without content), or null. */
  async get(documentId: string, versionId: string): Promise<VersionRecord | null> {
    const row = await this.store.db
      .selectFrom('versions')
      .leftJoin('users', 'users.id', 'versions.frozen_by')
      .select(summaryColumns)
      .where('versions.document_id', '=', documentId)
      .where('versions.id', '=', versionId)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** One version of a document with its content and Yjs state, or null. */
  async getWithContent(documentId: string, versionId: string): Promise<VersionWithContent | null> {
    const row = await this.store.db
      .selectFrom('versions')
      .leftJoin('users', 'users.id', 'versions.frozen_by')
      .select([...summaryColumns, 'versions.content', 'versions.yjs_state'])
      .where('versions.document_id', '=', documentId)
      .where('versions.id', '=', versionId)
      .executeTakeFirst();
    if (!row) return null;
    return { ...toRecord(row), content: row.content, yjsState: new Uint8Array(row.yjs_state) };
  }

  /** The most recent version of a document with its content, or null when none was frozen. */
  async latestWithContent(documentId: string): Promise<VersionWithContent | null> {
    const latest = await this.store.db
      .selectFrom('versions')
      .select('id')
      .where('document_id', '=', documentId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return latest ? this.getWithContent(documentId, latest.id) : null;
  }
}
