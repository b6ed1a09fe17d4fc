import { type Kysely, sql } from 'kysely';
import type { Dialect } from './types';

/**
 * Frozen versions of documents. A version row is immutable: the database itself refuses to update or
 * delete it (SQLite triggers raising ABORT; a PostgreSQL trigger function raising an exception, also
 * on TRUNCATE), so no code path — and no hand-written SQL — can change a tabled text.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // No cascade: a document with tabled versions cannot be deleted out from under them.
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('meeting', 'text')
    .addColumn('note', 'text')
    .addColumn('frozen_by', 'text', (c) => c.notNull())
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('yjs_state', bytes, (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('versions_document_seq', ['document_id', 'seq'])
    .addUniqueConstraint('versions_document_label', ['document_id', 'label'])
    .execute();

  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER versions_refuse_${op.toLowerCase()} BEFORE ${op} ON versions
           BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END`,
        )
        .execute(db);
    }
  } else {
    await sql
      .raw(
        `CREATE FUNCTION accord_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'versions are immutable' USING ERRCODE = 'restrict_violation'; END $$`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER versions_refuse_change BEFORE UPDATE OR DELETE ON versions
         FOR EACH ROW EXECUTE FUNCTION accord_versions_immutable()`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER versions_refuse_truncate BEFORE TRUNCATE ON versions
         FOR EACH STATEMENT EXECUTE FUNCTION accord_versions_immutable()`,
      )
      .execute(db);
  }
}
