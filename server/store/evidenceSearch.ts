import type { ExcerptHit, LibrarySearchQuery, ReportKind, ReportList, ExcerptList } from '@shared/api/evidence';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '@shared/api/evidence';
import { parseSearchQuery, toFts5Query, toTsQuery } from '@shared/evidence/searchQuery';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Store } from './db';
import {
  type ExcerptRow,
  excerptColumns,
  type ReportSummaryRow,
  reportSummaryColumns,
  toExcerpt,
  toReportSummary,
} from './evidenceLibrary';
import type { Database } from './schema';

/** Filters and page of a library query (the full-text part is `q`). */
export type LibraryQuery = Omit<LibrarySearchQuery, 'limit' | 'offset'> & { limit: number; offset: number };

/**
 * Searching the evidence library of a dialogue with the database's own full-text index — FTS5 on
 * SQLite, `tsvector` with GIN on PostgreSQL — behind one interface. Without a search text the same
 * methods list (newest report first) with the same filters.
 */
export interface EvidenceSearch {
  /** Reports matching the query and filters, best match first (or newest first without `q`). */
  reports(dialogueId: string, query: LibraryQuery): Promise<ReportList>;
  /** Excerpts matching the query (in their quote, themes and note) and filters. */
  excerpts(dialogueId: string, query: LibraryQuery): Promise<ExcerptList>;
}

/** The search of a store, for its dialect. */
export function evidenceSearchFor(store: Store): EvidenceSearch {
  return store.dialect === 'postgres' ? new PostgresEvidenceSearch(store.db) : new SqliteEvidenceSearch(store.db);
}

type ReportQuery = SelectQueryBuilder<Database, 'evidence_reports', object>;

/** The ids of the dialogue's reports that pass the filters (not the text search). */
function filteredReports(db: Kysely<Database>, dialogueId: string, q: LibraryQuery): ReportQuery {
  let query = db.selectFrom('evidence_reports').where('evidence_reports.dialogue_id', '=', dialogueId);
  if (q.country) query = query.where('evidence_reports.country', '=', q.country);
  if (q.kind) query = query.where('evidence_reports.kind', '=', q.kind);
  if (q.from) query = query.where('evidence_reports.report_date', '>=', q.from);
  if (q.to) query = query.where('evidence_reports.report_date', '<=', q.to);
  if (q.theme) {
    const theme = q.theme;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('evidence_excerpt_themes')
          .innerJoin('evidence_excerpts', 'evidence_excerpts.id', 'evidence_excerpt_themes.excerpt_id')
          .select('evidence_excerpt_themes.excerpt_id')
          .whereRef('evidence_excerpts.report_id', '=', 'evidence_reports.id')
          .where('evidence_excerpt_themes.theme', '=', theme),
      ),
    );
  }
  return query;
}

type ExcerptQuery = SelectQueryBuilder<Database, 'evidence_excerpts' | 'evidence_reports', object>;

/** The dialogue's excerpts whose report passes the filters, and that carry the theme when one is given. */
function filteredExcerpts(db: Kysely<Database>, dialogueId: string, q: LibraryQuery): ExcerptQuery {
  let query = db
    .selectFrom('evidence_excerpts')
    .innerJoin('evidence_reports', 'evidence_reports.id', 'evidence_excerpts.report_id')
    .where('evidence_excerpts.dialogue_id', '=', dialogueId);
  if (q.country) query = query.where('evidence_reports.country', '=', q.country);
  if (q.kind) query = query.where('evidence_reports.kind', '=', q.kind);
  if (q.from) query = query.where('evidence_reports.report_date', '>=', q.from);
  if (q.to) query = query.where('evidence_reports.report_date', '<=', q.to);
  if (q.theme) {
    const theme = q.theme;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('evidence_excerpt_themes')
          .select('evidence_excerpt_themes.excerpt_id')
          .whereRef('evidence_excerpt_themes.excerpt_id', '=', 'evidence_excerpts.id')
          .where('evidence_excerpt_themes.theme', '=', theme),
      ),
    );
  }
  return query;
}

/** A ranked page of ids with their snippets, and how many matched in all. */
interface RankedPage {
  hits: { id: string; snippet: string | null }[];
  total: number;
}

abstract class BaseEvidenceSearch implements EvidenceSearch {
  constructor(protected readonly db: Kysely<Database>) {}

  /** Ranked report ids for a full-text expression, restricted to `candidates`. */
  protected abstract rankReports(expression: string, candidates: ReportQuery, q: LibraryQuery): Promise<RankedPage>;
  /** Ranked excerpt ids for a full-text expression, restricted to `candidates`. */
  protected abstract rankExcerpts(expression: string, candidates: ExcerptQuery, q: LibraryQuery): Promise<RankedPage>;
  /** The full-text expression of a search in this database's language, or null. */
  protected abstract expression(text: string): string | null;

  async reports(dialogueId: string, q: LibraryQuery): Promise<ReportList> {
    const candidates = filteredReports(this.db, dialogueId, q);
    const expression = q.q ? this.expression(q.q) : null;
    if (q.q && expression === null) return { reports: [], total: 0 };
    if (expression === null) {
      const { n } = await candidates.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await candidates
        .select((eb) => reportSummaryColumns(eb))
        .orderBy('evidence_reports.report_date', 'desc')
        .orderBy('evidence_reports.title')
        .orderBy('evidence_reports.id')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      return { reports: rows.map((r) => toReportSummary(r as ReportSummaryRow)), total: Number(n) };
    }
    const page = await this.rankReports(expression, candidates, q);
    if (page.hits.length === 0) return { reports: [], total: page.total };
    const rows = await this.db
      .selectFrom('evidence_reports')
      .select((eb) => reportSummaryColumns(eb))
      .where(
        'evidence_reports.id',
        'in',
        page.hits.map((h) => h.id),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r as ReportSummaryRow]));
    const reports = page.hits.flatMap((hit) => {
      const row = byId.get(hit.id);
      return row ? [toReportSummary(row, hit.snippet)] : [];
    });
    return { reports, total: page.total };
  }

  async excerpts(dialogueId: string, q: LibraryQuery): Promise<ExcerptList> {
    const candidates = filteredExcerpts(this.db, dialogueId, q);
    const expression = q.q ? this.expression(q.q) : null;
    if (q.q && expression === null) return { excerpts: [], total: 0 };
    let ids: { id: string; snippet: string | null }[];
    let total: number;
    if (expression === null) {
      const { n } = await candidates.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await candidates
        .select('evidence_excerpts.id')
        .orderBy('evidence_reports.report_date', 'desc')
        .orderBy('evidence_reports.id')
        .orderBy('evidence_excerpts.start_offset')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      ids = rows.map((r) => ({ id: r.id, snippet: null }));
      total = Number(n);
    } else {
      const page = await this.rankExcerpts(expression, candidates, q);
      ids = page.hits;
      total = page.total;
    }
    if (ids.length === 0) return { excerpts: [], total };
    const rows = await this.db
      .selectFrom('evidence_excerpts')
      .innerJoin('evidence_reports', 'evidence_reports.id', 'evidence_excerpts.report_id')
      .select((eb) => [
        ...excerptColumns(eb as never),
        'evidence_reports.title as report_title',
        'evidence_reports.country as report_country',
        'evidence_reports.kind as report_kind',
        'evidence_reports.report_date as report_date',
        'evidence_reports.focal_point as report_focal_point',
      ])
      .where(
        'evidence_excerpts.id',
        'in',
        ids.map((h) => h.id),
      )
      .execute();
    type Row = ExcerptRow & {
      report_title: string;
      report_country: string;
      report_kind: string;
      report_date: string;
      report_focal_point: string;
    };
    const byId = new Map(rows.map((r) => [(r as Row).id, r as Row]));
    const excerpts: ExcerptHit[] = ids.flatMap((hit) => {
      const row = byId.get(hit.id);
      if (!row) return [];
      return [
        {
          ...toExcerpt(row),
          report: {
            id: row.report_id,
            title: row.report_title,
            country: row.report_country,
            kind: row.report_kind as ReportKind,
            date: row.report_date,
            focalPoint: row.report_focal_point,
          },
          snippet: hit.snippet,
        },
      ];
    });
    return { excerpts, total };
  }
}

/** FTS5: `evidence_reports_fts` / `evidence_excerpts_fts`, ranked by bm25 (title weighs most). */
class SqliteEvidenceSearch extends BaseEvidenceSearch {
  protected expression(text: string): string | null {
    return toFts5Query(parseSearchQuery(text));
  }

  protected async rankReports(expression: string, candidates: ReportQuery, q: LibraryQuery): Promise<RankedPage> {
    const ids = candidates.select('evidence_reports.id');
    const total = await sql<{ n: number }>`
      select count(*) as n from evidence_reports_fts
      where evidence_reports_fts match ${expression} and report_id in (${ids})`.execute(this.db);
    const hits = await sql<{ id: string; snippet: string }>`
      select report_id as id,
             snippet(evidence_reports_fts, -1, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', 24) as snippet
      from evidence_reports_fts
      where evidence_reports_fts match ${expression} and report_id in (${ids})
      order by bm25(evidence_reports_fts, 0, 10, 4, 4, 1), report_id
      limit ${q.limit} offset ${q.offset}`.execute(this.db);
    return { hits: hits.rows, total: Number(total.rows[0]?.n ?? 0) };
  }

  protected async rankExcerpts(expression: string, candidates: ExcerptQuery, q: LibraryQuery): Promise<RankedPage> {
    const ids = candidates.select('evidence_excerpts.id');
    const total = await sql<{ n: number }>`
      select count(*) as n from evidence_excerpts_fts
      where evidence_excerpts_fts match ${expression} and excerpt_id in (${ids})`.execute(this.db);
    const hits = await sql<{ id: string; snippet: string }>`
      select excerpt_id as id,
             snippet(evidence_excerpts_fts, 1, ${SNIPPET_OPEN}, ${SNIPPET_CLOSE}, '…', 32) as snippet
      from evidence_excerpts_fts
      where evidence_excerpts_fts match ${expression} and excerpt_id in (${ids})
      order by bm25(evidence_excerpts_fts, 0, 4, 6, 1), excerpt_id
      limit ${q.limit} offset ${q.offset}`.execute(this.db);
    return { hits: hits.rows, total: Number(total.rows[0]?.n ?? 0) };
  }
}

const headlineOptions = `StartSel=${SNIPPET_OPEN}, StopSel=${SNIPPET_CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

/** PostgreSQL: stored `search` tsvectors with GIN indexes, ranked by `ts_rank_cd`, snippets by `ts_headline`. */
class PostgresEvidenceSearch extends BaseEvidenceSearch {
  protected expression(text: string): string | null {
    return toTsQuery(parseSearchQuery(text));
  }

  protected async rankReports(expression: string, candidates: ReportQuery, q: LibraryQuery): Promise<RankedPage> {
    const ids = candidates.select('evidence_reports.id');
    const total = await sql<{ n: number }>`
      select count(*) as n from evidence_reports
      where search @@ to_tsquery('english', ${expression}) and id in (${ids})`.execute(this.db);
    // Rank first, then build headlines for the page only (ts_headline re-parses the whole text).
    const hits = await sql<{ id: string; snippet: string }>`
      select page.id, ts_headline('english', r.body, to_tsquery('english', ${expression}), ${headlineOptions}) as snippet
      from (
        select id, ts_rank_cd(search, to_tsquery('english', ${expression})) as rank from evidence_reports
        where search @@ to_tsquery('english', ${expression}) and id in (${ids})
        order by rank desc, id limit ${q.limit} offset ${q.offset}
      ) page join evidence_reports r on r.id = page.id
      order by page.rank desc, page.id`.execute(this.db);
    return { hits: hits.rows, total: Number(total.rows[0]?.n ?? 0) };
  }

  protected async rankExcerpts(expression: string, candidates: ExcerptQuery, q: LibraryQuery): Promise<RankedPage> {
    const ids = candidates.select('evidence_excerpts.id');
    const total = await sql<{ n: number }>`
      select count(*) as n from evidence_excerpts
      where search @@ to_tsquery('english', ${expression}) and id in (${ids})`.execute(this.db);
    const hits = await sql<{ id: string; snippet: string }>`
      select id, ts_headline('english', quote, to_tsquery('english', ${expression}), ${headlineOptions}) as snippet
      from evidence_excerpts
      where search @@ to_tsquery('english', ${expression}) and id in (${ids})
      order by ts_rank_cd(search, to_tsquery('english', ${expression})) desc, id
      limit ${q.limit} offset ${q.offset}`.execute(this.db);
    return { hits: hits.rows, total: Number(total.rows[0]?.n ?? 0) };
  }
}
