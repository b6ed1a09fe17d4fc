import type {
  Excerpt,
  Facets,
  ReportDetail,
  ReportKind,
  ReportMeta,
  ReportSource,
  ReportSummary,
  UpdateReportBody,
} from '@shared/api/evidence';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Store } from './db';
import { newId } from './ids';
import type { Database } from './schema';

/** A new report: its descriptive fields, its text and where the text came from. */
export interface NewReport extends ReportMeta {
  text: string;
  source: ReportSource;
  sourceFilename: string | null;
}

/** A new excerpt of a report. */
export interface NewExcerpt {
  start: number;
  end: number;
  quote: string;
  themes: string[];
  note: string;
}

/** The report columns every summary shows (never the text itself, which may be long). */
export function reportSummaryColumns(eb: ExpressionBuilder<Database, 'evidence_reports'>) {
  return [
    'evidence_reports.id',
    'evidence_reports.dialogue_id',
    'evidence_reports.country',
    'evidence_reports.kind',
    'evidence_reports.focal_point',
    'evidence_reports.report_date',
    'evidence_reports.title',
    'evidence_reports.source',
    'evidence_reports.source_filename',
    'evidence_reports.created_by',
    'evidence_reports.created_at',
    'evidence_reports.updated_at',
    sql<number>`length(evidence_reports.body)`.as('text_length'),
    eb
      .selectFrom('evidence_excerpts')
      .select((e) => e.fn.countAll<number>().as('n'))
      .whereRef('evidence_excerpts.report_id', '=', 'evidence_reports.id')
      .as('excerpt_count'),
    eb.selectFrom('users').select('users.name').whereRef('users.id', '=', 'evidence_reports.created_by').as('creator_name'),
  ] as const;
}

/** A row selected with {@link reportSummaryColumns}. */
export interface ReportSummaryRow {
  id: string;
  dialogue_id: string;
  country: string;
  kind: string;
  focal_point: string;
  report_date: string;
  title: string;
  source: string;
  source_filename: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  text_length: number;
  excerpt_count: number | null;
  creator_name: string | null;
}

/** Maps a summary row to its wire shape. */
export function toReportSummary(row: ReportSummaryRow, snippet: string | null = null): ReportSummary {
  return {
    id: row.id,
    dialogueId: row.dialogue_id,
    country: row.country,
    kind: row.kind as ReportKind,
    focalPoint: row.focal_point,
    date: row.report_date,
    title: row.title,
    source: row.source as ReportSource,
    sourceFilename: row.source_filename,
    textLength: Number(row.text_length),
    excerptCount: Number(row.excerpt_count ?? 0),
    createdBy: row.created_by && row.creator_name ? { id: row.created_by, name: row.creator_name } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    snippet,
  };
}

/** Parses a stored JSON array of themes; anything else reads as no themes. */
export function parseThemes(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** The excerpt columns, with the creator's name and the number of links resting on the excerpt. */
export function excerptColumns(eb: ExpressionBuilder<Database, 'evidence_excerpts'>) {
  return [
    'evidence_excerpts.id',
    'evidence_excerpts.report_id',
    'evidence_excerpts.start_offset',
    'evidence_excerpts.end_offset',
    'evidence_excerpts.quote',
    'evidence_excerpts.themes',
    'evidence_excerpts.note',
    'evidence_excerpts.created_by',
    'evidence_excerpts.created_at',
    eb.selectFrom('users').select('users.name').whereRef('users.id', '=', 'evidence_excerpts.created_by').as('creator_name'),
    eb
      .selectFrom('evidence_links')
      .select((e) => e.fn.countAll<number>().as('n'))
      .whereRef('evidence_links.excerpt_id', '=', 'evidence_excerpts.id')
      .as('link_count'),
  ] as const;
}

/** A row selected with {@link excerptColumns}. */
export interface ExcerptRow {
  id: string;
  report_id: string;
  start_offset: number;
  end_offset: number;
  quote: string;
  themes: string;
  note: string;
  created_by: string | null;
  created_at: string;
  creator_name: string | null;
  link_count: number | null;
}

/** Maps an excerpt row to its wire shape. */
export function toExcerpt(row: ExcerptRow): Excerpt {
  return {
    id: row.id,
    reportId: row.report_id,
    start: Number(row.start_offset),
    end: Number(row.end_offset),
    quote: row.quote,
    themes: parseThemes(row.themes),
    note: row.note,
    createdBy: row.created_by && row.creator_name ? { id: row.created_by, name: row.creator_name } : null,
    createdAt: row.created_at,
    linkCount: Number(row.link_count ?? 0),
  };
}

/**
 * The evidence library of dialogues: reports and their excerpts. Every method takes the dialogue id,
 * so a report of another dialogue is never found by id alone. Searching and filtering are in
 * `evidenceSearch.ts`.
 */
export class EvidenceLibrary {
  constructor(private readonly store: Store) {}

  private get db(): Kysely<Database> {
    return this.store.db;
  }

  /** Stores a report in one statement (its full-text entry comes with it); returns its id. */
  async createReport(dialogueId: string, input: NewReport, actorId: string | null): Promise<string> {
    const now = new Date().toISOString();
    const id = newId();
    await this.db
      .insertInto('evidence_reports')
      .values({
        id,
        dialogue_id: dialogueId,
        country: input.country,
        kind: input.kind,
        focal_point: input.focalPoint,
        report_date: input.date,
        title: input.title,
        body: input.text,
        source: input.source,
        source_filename: input.sourceFilename,
        created_by: actorId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  /** A report's summary, or null when it is not in this dialogue. */
  async summary(dialogueId: string, reportId: string): Promise<ReportSummary | null> {
    const row = await this.db
      .selectFrom('evidence_reports')
      .select((eb) => reportSummaryColumns(eb))
      .where('evidence_reports.dialogue_id', '=', dialogueId)
      .where('evidence_reports.id', '=', reportId)
      .executeTakeFirst();
    return row ? toReportSummary(row as ReportSummaryRow) : null;
  }

  /** A report with its text and excerpts (in text order), or null when it is not in this dialogue. */
  async detail(dialogueId: string, reportId: string): Promise<ReportDetail | null> {
    const summary = await this.summary(dialogueId, reportId);
    if (!summary) return null;
    const { body } = await this.db
      .selectFrom('evidence_reports')
      .select('body')
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    const excerpts = await this.db
      .selectFrom('evidence_excerpts')
      .select((eb) => excerptColumns(eb))
      .where('evidence_excerpts.report_id', '=', reportId)
      .orderBy('evidence_excerpts.start_offset')
      .orderBy('evidence_excerpts.end_offset')
      .orderBy('evidence_excerpts.id')
      .execute();
    return { ...summary, text: body, excerpts: excerpts.map((r) => toExcerpt(r as ExcerptRow)) };
  }

  /** The text of a report, or null. */
  async text(dialogueId: string, reportId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('evidence_reports')
      .select('body')
      .where('dialogue_id', '=', dialogueId)
      .where('id', '=', reportId)
      .executeTakeFirst();
    return row?.body ?? null;
  }

  /** Changes a report's descriptive fields; false when it is not in this dialogue. */
  async updateReport(dialogueId: string, reportId: string, change: UpdateReportBody): Promise<boolean> {
    const result = await this.db
      .updateTable('evidence_reports')
      .set({
        ...(change.country !== undefined && { country: change.country }),
        ...(change.kind !== undefined && { kind: change.kind }),
        ...(change.focalPoint !== undefined && { focal_point: change.focalPoint }),
        ...(change.date !== undefined && { report_date: change.date }),
        ...(change.title !== undefined && { title: change.title }),
        updated_at: new Date().toISOString(),
      })
      .where('dialogue_id', '=', dialogueId)
      .where('id', '=', reportId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Deletes a report with its excerpts and the links resting on them, in one transaction. Returns
   * the documents and clauses whose links went with it (for live events), or null when there was
   * no such report.
   */
  async deleteReport(
    dialogueId: string,
    reportId: string,
  ): Promise<{ title: string; links: { documentId: string; clauseId: string }[]; excerpts: number } | null> {
    return this.db.transaction().execute(async (trx) => {
      const report = await trx
        .selectFrom('evidence_reports')
        .select('title')
        .where('dialogue_id', '=', dialogueId)
        .where('id', '=', reportId)
        .executeTakeFirst();
      if (!report) return null;
      const excerptIds = trx.selectFrom('evidence_excerpts').select('id').where('report_id', '=', reportId);
      const links = await trx
        .selectFrom('evidence_links')
        .select(['document_id as documentId', 'clause_id as clauseId'])
        .where('excerpt_id', 'in', excerptIds)
        .execute();
      const { n } = await trx
        .selectFrom('evidence_excerpts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('report_id', '=', reportId)
        .executeTakeFirstOrThrow();
      // Explicit deletes rather than relying on cascades, so both databases behave the same.
      await trx.deleteFrom('evidence_links').where('excerpt_id', 'in', excerptIds).execute();
      await trx.deleteFrom('evidence_excerpt_themes').where('excerpt_id', 'in', excerptIds).execute();
      await trx.deleteFrom('evidence_excerpts').where('report_id', '=', reportId).execute();
      await trx.deleteFrom('evidence_reports').where('id', '=', reportId).execute();
      return { title: report.title, links, excerpts: Number(n) };
    });
  }

  /** Stores an excerpt with its themes in one transaction; returns it. */
  async createExcerpt(dialogueId: string, reportId: string, input: NewExcerpt, actorId: string | null): Promise<Excerpt> {
    const id = newId();
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('evidence_excerpts')
        .values({
          id,
          report_id: reportId,
          dialogue_id: dialogueId,
          start_offset: input.start,
          end_offset: input.end,
          quote: input.quote,
          themes: JSON.stringify(input.themes),
          note: input.note,
          created_by: actorId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await writeThemes(trx, dialogueId, id, input.themes);
    });
    return (await this.excerpt(dialogueId, id)) as Excerpt;
  }

  /** An excerpt of this dialogue, or null. */
  async excerpt(dialogueId: string, excerptId: string): Promise<Excerpt | null> {
    const row = await this.db
      .selectFrom('evidence_excerpts')
      .select((eb) => excerptColumns(eb))
      .where('evidence_excerpts.dialogue_id', '=', dialogueId)
      .where('evidence_excerpts.id', '=', excerptId)
      .executeTakeFirst();
    return row ? toExcerpt(row as ExcerptRow) : null;
  }

  /** Changes an excerpt's themes or note; false when it is not in this dialogue. */
  async updateExcerpt(
    dialogueId: string,
    excerptId: string,
    change: { themes?: string[]; note?: string },
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('evidence_excerpts')
        .set({
          ...(change.themes !== undefined && { themes: JSON.stringify(change.themes) }),
          ...(change.note !== undefined && { note: change.note }),
          updated_at: new Date().toISOString(),
        })
        .where('dialogue_id', '=', dialogueId)
        .where('id', '=', excerptId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      if (change.themes !== undefined) {
        await trx.deleteFrom('evidence_excerpt_themes').where('excerpt_id', '=', excerptId).execute();
        await writeThemes(trx, dialogueId, excerptId, change.themes);
      }
      return true;
    });
  }

  /**
   * Deletes an excerpt and the links resting on it; returns the clauses those links were on, or
   * null when there was no such excerpt.
   */
  async deleteExcerpt(
    dialogueId: string,
    excerptId: string,
  ): Promise<{ reportId: string; links: { documentId: string; clauseId: string }[] } | null> {
    return this.db.transaction().execute(async (trx) => {
      const excerpt = await trx
        .selectFrom('evidence_excerpts')
        .select('report_id')
        .where('dialogue_id', '=', dialogueId)
        .where('id', '=', excerptId)
        .executeTakeFirst();
      if (!excerpt) return null;
      const links = await trx
        .selectFrom('evidence_links')
        .select(['document_id as documentId', 'clause_id as clauseId'])
        .where('excerpt_id', '=', excerptId)
        .execute();
      await trx.deleteFrom('evidence_links').where('excerpt_id', '=', excerptId).execute();
      await trx.deleteFrom('evidence_excerpt_themes').where('excerpt_id', '=', excerptId).execute();
      await trx.deleteFrom('evidence_excerpts').where('id', '=', excerptId).execute();
      return { reportId: excerpt.report_id, links };
    });
  }

  /** What the library's filters can choose from: countries, kinds and themes with their counts. */
  async facets(dialogueId: string): Promise<Facets> {
    const countries = await this.db
      .selectFrom('evidence_reports')
      .select(['country as value', (eb) => eb.fn.countAll<number>().as('count')])
      .where('dialogue_id', '=', dialogueId)
      .groupBy('country')
      .orderBy('country')
      .execute();
    const kinds = await this.db
      .selectFrom('evidence_reports')
      .select(['kind as value', (eb) => eb.fn.countAll<number>().as('count')])
      .where('dialogue_id', '=', dialogueId)
      .groupBy('kind')
      .orderBy('kind')
      .execute();
    const themes = await this.db
      .selectFrom('evidence_excerpt_themes')
      .select(['theme as value', (eb) => eb.fn.countAll<number>().as('count')])
      .where('dialogue_id', '=', dialogueId)
      .groupBy('theme')
      .orderBy('theme')
      .execute();
    const dates = await this.db
      .selectFrom('evidence_reports')
      .select((eb) => [eb.fn.min('report_date').as('first'), eb.fn.max('report_date').as('last')])
      .where('dialogue_id', '=', dialogueId)
      .executeTakeFirst();
    return {
      countries: countries.map((r) => ({ value: r.value, count: Number(r.count) })),
      kinds: kinds.map((r) => ({ value: r.value as ReportKind, count: Number(r.count) })),
      themes: themes.map((r) => ({ value: r.value, count: Number(r.count) })),
      dates: { first: (dates?.first as string | null) ?? null, last: (dates?.last as string | null) ?? null },
    };
  }

  /** Every report of a dialogue, as coverage needs them. */
  async reportRefs(
    dialogueId: string,
  ): Promise<{ id: string; title: string; country: string; kind: ReportKind; date: string }[]> {
    const rows = await this.db
      .selectFrom('evidence_reports')
      .select(['id', 'title', 'country', 'kind', 'report_date'])
      .where('dialogue_id', '=', dialogueId)
      .orderBy('country')
      .orderBy('report_date')
      .execute();
    return rows.map((r) => ({ id: r.id, title: r.title, country: r.country, kind: r.kind as ReportKind, date: r.report_date }));
  }
}

async function writeThemes(trx: Kysely<Database>, dialogueId: string, excerptId: string, themes: readonly string[]) {
  if (themes.length === 0) return;
  await trx
    .insertInto('evidence_excerpt_themes')
    .values(themes.map((theme) => ({ excerpt_id: excerptId, dialogue_id: dialogueId, theme })))
    .execute();
}
