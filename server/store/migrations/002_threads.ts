import type { Kysely } from 'kysely';
import type { Dialect } from './types';

/**
 * Comment threads (issue 3): threads anchored to a text range, a clause or the whole document of the
 * live draft or of a frozen version, their comments, and each member's inbox of mentions and replies.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('dialogue_id', 'text', (c) => c.notNull().references('dialogues.id').onDelete('cascade'))
    // Null: the live draft. Versions (issue 6) reference their frozen version here.
    .addColumn('version_id', 'text')
    .addColumn('anchor_kind', 'text', (c) => c.notNull())
    .addColumn('clause_id', 'text')
    .addColumn('objective_id', 'text')
    .addColumn('anchor', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_role', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_role', 'text')
    .addColumn('resolved_at', 'text')
    // Set when every comment of the thread was deleted: the thread is gone for everyone.
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('threads_document').on('threads').columns(['document_id', 'created_at']).execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_role', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('proposed_wording', 'text')
    .addColumn('applied_by', 'text')
    .addColumn('applied_role', 'text')
    .addColumn('applied_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text')
    .execute();
  await db.schema.createIndex('comments_thread').on('comments').columns(['thread_id', 'created_at']).execute();

  await db.schema
    .createTable('inbox_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('dialogue_id', 'text', (c) => c.notNull().references('dialogues.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addUniqueConstraint('inbox_items_once', ['user_id', 'comment_id'])
    .execute();
  await db.schema
    .createIndex('inbox_items_user')
    .on('inbox_items')
    .columns(['user_id', 'dialogue_id', 'created_at'])
    .execute();
}
