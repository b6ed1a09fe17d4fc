import type { Kysely } from 'kysely';
import type { Dialect } from './types';

/**
 * Feedback of validation rounds (issue 6): a thread on a frozen version belongs to one round
 * (`threads.round_id`), and a feedback thread carried to the live draft is linked to the live thread
 * it became (`thread_carries`, one row per feedback thread).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // Null for threads of the live draft. No foreign key: SQLite cannot add one to an existing table.
  await db.schema.alterTable('threads').addColumn('round_id', 'text').execute();
  await db.schema.createIndex('threads_round').on('threads').columns(['round_id', 'created_at']).execute();

  await db.schema
    .createTable('thread_carries')
    // The feedback thread: carried once (again only if the live thread it became was deleted).
    .addColumn('source_thread_id', 'text', (c) => c.primaryKey().references('threads.id').onDelete('cascade'))
    .addColumn('target_thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull())
    // Where the live thread landed: `range` (same words), `clause` (same clause) or `document`.
    .addColumn('placement', 'text', (c) => c.notNull())
    .addColumn('carried_by', 'text', (c) => c.notNull())
    .addColumn('carried_role', 'text')
    .addColumn('carried_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('thread_carries_target').on('thread_carries').column('target_thread_id').execute();
}
