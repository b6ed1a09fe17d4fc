import { type Kysely, sql } from 'kysely';
import type { Dialect } from './types';

/**
 * Frozen versions of documents, and the validation rounds opened on them. A version row is immutable: the database itself refuses to update or
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

  // Validation rounds: a round opens one version to invited validators until its closing date.
  await db.schema
    .createTable('validation_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .execute();
  await db.schema.createIndex('validation_rounds_document').on('validation_rounds').column('document_id').execute();

  // Who validates a round: the only way a validator reaches a text.
  await db.schema
    .createTable('round_validators')
    .addColumn('round_id', 'text', (c) => c.notNull().references('validation_rounds.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('round_validators_pk', ['round_id', 'user_id'])
    .execute();
  await db.schema.createIndex('round_validators_user').on('round_validators').column('user_id').execute();

  // Invitations by email; the link carries a random token, of which only the SHA-256 is stored.
  await db.schema
    .createTable('round_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('validation_rounds.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('accepted_by', 'text')
    .addUniqueConstraint('round_invitations_round_email', ['round_id', 'email'])
    .execute();
}
