import type { Kysely } from 'kysely';
import type { Dialect } from './types';

/** Clause statuses with pending proposals, and the status history (issue 4). */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('clause_statuses')
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('clause_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('proposal_to', 'text')
    .addColumn('proposal_by', 'text')
    .addColumn('proposal_at', 'text')
    .addColumn('proposal_note', 'text')
    .addPrimaryKeyConstraint('clause_statuses_pk', ['document_id', 'clause_id'])
    .execute();

  await db.schema
    .createTable('clause_status_history')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('clause_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('clause_status_history_clause')
    .on('clause_status_history')
    .columns(['document_id', 'clause_id', 'id'])
    .execute();
}
