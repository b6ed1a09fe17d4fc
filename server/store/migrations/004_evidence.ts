import { type Kysely, sql } from 'kysely';
import type { Dialect } from './types';

/**
 * Consultation evidence: the reports of a dialogue's library, their excerpts (with themes), links from
 * clauses to excerpts (keyed by clause id, so they follow a clause through edits and moves), and the
 * full-text indexes — FTS5 tables kept by triggers on SQLite, stored `tsvector` columns with GIN
 * indexes on PostgreSQL.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('evidence_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dialogue_id', 'text', (c) => c.notNull().references('dialogues.id').onDelete('cascade'))
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('focal_point', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('report_date', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_filename', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evidence_reports_dialogue')
    .on('evidence_reports')
    .columns(['dialogue_id', 'report_date'])
    .execute();

  await db.schema
    .createTable('evidence_excerpts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('evidence_reports.id').onDelete('cascade'))
    .addColumn('dialogue_id', 'text', (c) => c.notNull())
    .addColumn('start_offset', 'integer', (c) => c.notNull())
    .addColumn('end_offset', 'integer', (c) => c.notNull())
    .addColumn('quote', 'text', (c) => c.notNull())
    /** The themes as a JSON array, for display; `evidence_excerpt_themes` is what filters use. */
    .addColumn('themes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_excerpts_report').on('evidence_excerpts').columns(['report_id', 'start_offset']).execute();
  await db.schema.createIndex('evidence_excerpts_dialogue').on('evidence_excerpts').column('dialogue_id').execute();

  await db.schema
    .createTable('evidence_excerpt_themes')
    .addColumn('excerpt_id', 'text', (c) => c.notNull().references('evidence_excerpts.id').onDelete('cascade'))
    .addColumn('dialogue_id', 'text', (c) => c.notNull())
    .addColumn('theme', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('evidence_excerpt_themes_pk', ['excerpt_id', 'theme'])
    .execute();
  await db.schema
    .createIndex('evidence_excerpt_themes_theme')
    .on('evidence_excerpt_themes')
    .columns(['dialogue_id', 'theme'])
    .execute();

  await db.schema
    .createTable('evidence_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dialogue_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('clause_id', 'text', (c) => c.notNull())
    .addColumn('excerpt_id', 'text', (c) => c.notNull().references('evidence_excerpts.id').onDelete('cascade'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('evidence_links_unique', ['document_id', 'clause_id', 'excerpt_id'])
    .execute();
  await db.schema.createIndex('evidence_links_excerpt').on('evidence_links').column('excerpt_id').execute();

  if (dialect === 'sqlite') await sqliteFullText(db);
  else await postgresFullText(db);
}

/** FTS5 tables beside the reports and excerpts, kept in step by triggers (so no writer can forget). */
async function sqliteFullText(db: Kysely<unknown>): Promise<void> {
  // Porter stemming on Unicode words without diacritics: "consultations" finds "consultation", "é" = "e".
  const tokenize = `tokenize = 'porter unicode61 remove_diacritics 2'`;
  await sql
    .raw(
      `create virtual table evidence_reports_fts using fts5(report_id unindexed, title, country, focal_point, body, ${tokenize})`,
    )
    .execute(db);
  await sql.raw(`create virtual table evidence_excerpts_fts using fts5(excerpt_id unindexed, quote, themes, note, ${tokenize})`).execute(db);
  const statements = [
    `create trigger evidence_reports_fts_insert after insert on evidence_reports begin
       insert into evidence_reports_fts (report_id, title, country, focal_point, body)
       values (new.id, new.title, new.country, new.focal_point, new.body);
     end`,
    `create trigger evidence_reports_fts_update after update on evidence_reports begin
       delete from evidence_reports_fts where report_id = old.id;
       insert into evidence_reports_fts (report_id, title, country, focal_point, body)
       values (new.id, new.title, new.country, new.focal_point, new.body);
     end`,
    `create trigger evidence_reports_fts_delete after delete on evidence_reports begin
       delete from evidence_reports_fts where report_id = old.id;
     end`,
    `create trigger evidence_excerpts_fts_insert after insert on evidence_excerpts begin
       insert into evidence_excerpts_fts (excerpt_id, quote, themes, note) values (new.id, new.quote, new.themes, new.note);
     end`,
    `create trigger evidence_excerpts_fts_update after update on evidence_excerpts begin
       delete from evidence_excerpts_fts where excerpt_id = old.id;
       insert into evidence_excerpts_fts (excerpt_id, quote, themes, note) values (new.id, new.quote, new.themes, new.note);
     end`,
    `create trigger evidence_excerpts_fts_delete after delete on evidence_excerpts begin
       delete from evidence_excerpts_fts where excerpt_id = old.id;
     end`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Stored, weighted `tsvector` columns (title above country and focal point above text) with GIN indexes. */
async function postgresFullText(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table evidence_reports add column search tsvector generated always as (
      setweight(to_tsvector('english', title), 'A') ||
      setweight(to_tsvector('english', country || ' ' || focal_point), 'B') ||
      setweight(to_tsvector('english', body), 'C')
    ) stored`.execute(db);
  await sql`create index evidence_reports_search on evidence_reports using gin (search)`.execute(db);
  await sql`
    alter table evidence_excerpts add column search tsvector generated always as (
      setweight(to_tsvector('english', quote), 'A') ||
      setweight(to_tsvector('english', themes || ' ' || note), 'B')
    ) stored`.execute(db);
  await sql`create index evidence_excerpts_search on evidence_excerpts using gin (search)`.execute(db);
}
