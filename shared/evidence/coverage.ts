/**
 * Coverage of a document by the consultation evidence: objectives and clauses × countries, showing
 * which clauses rest on which consultations, which rest on none, and which reports no clause cites.
 * Pure: the server feeds it the live outline, the library's reports and the document's links.
 */
import { z } from 'zod';
import { type EvidenceRelation, reportKinds } from '../api/evidence';

/** One clause of the outline, as coverage needs it. */
export interface CoverageClauseInput {
  id: string | null;
  number: string;
  text: string;
}

/** One objective of the outline with its clauses, in document order. */
export interface CoverageObjectiveInput {
  id: string | null;
  number: string;
  heading: string;
  clauses: readonly CoverageClauseInput[];
}

/** A report of the library. */
export interface CoverageReportInput {
  id: string;
  title: string;
  country: string;
  kind: (typeof reportKinds)[number];
  date: string;
}

/** A link of the document: clause → excerpt of a report. */
export interface CoverageLinkInput {
  id: string;
  clauseId: string;
  relation: EvidenceRelation;
  reportId: string;
  excerptId: string;
}

/** What {@link buildCoverage} is computed from. */
export interface CoverageInput {
  objectives: readonly CoverageObjectiveInput[];
  reports: readonly CoverageReportInput[];
  links: readonly CoverageLinkInput[];
}

const cellSchema = z.object({
  supports: z.number(),
  challenges: z.number(),
  /** The reports of this country that the links of this row cite, sorted by id. */
  reportIds: z.array(z.string()),
});
/** Links of one row (clause or objective) to the reports of one country. */
export type CoverageCell = z.infer<typeof cellSchema>;

const clauseRowSchema = z.object({
  id: z.string().nullable(),
  number: z.string(),
  text: z.string(),
  /** One cell per entry of `countries`, in the same order. */
  cells: z.array(cellSchema),
  supports: z.number(),
  challenges: z.number(),
  covered: z.boolean(),
});
export type CoverageClauseRow = z.infer<typeof clauseRowSchema>;

const objectiveRowSchema = z.object({
  id: z.string().nullable(),
  number: z.string(),
  heading: z.string(),
  cells: z.array(cellSchema),
  supports: z.number(),
  challenges: z.number(),
  /** Clauses of the objective that at least one link rests on, and all of them. */
  coveredClauses: z.number(),
  clauseCount: z.number(),
  clauses: z.array(clauseRowSchema),
});
export type CoverageObjectiveRow = z.infer<typeof objectiveRowSchema>;

const reportRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  country: z.string(),
  kind: z.enum(reportKinds),
  date: z.string(),
  supports: z.number(),
  challenges: z.number(),
  /** Numbers of the clauses that cite the report, in document order. */
  clauses: z.array(z.string()),
  cited: z.boolean(),
});
export type CoverageReportRow = z.infer<typeof reportRowSchema>;

/** The coverage of a document; the answer of `GET /api/documents/:id/evidence/coverage`. */
export const coverageSchema = z.object({
  /** The columns: every country or region of the library, sorted. */
  countries: z.array(z.string()),
  objectives: z.array(objectiveRowSchema),
  /** Every report of the library, with how the document cites it; uncited ones have `cited: false`. */
  reports: z.array(reportRowSchema),
  uncoveredClauses: z.array(z.object({ id: z.string().nullable(), number: z.string() })),
  uncitedReports: z.array(z.object({ id: z.string(), title: z.string(), country: z.string() })),
  /** Links whose clause is no longer in the text (deleted, or not yet restored by an undo). */
  detachedLinks: z.array(z.object({ linkId: z.string(), clauseId: z.string(), reportId: z.string() })),
  totals: z.object({
    clauses: z.number(),
    coveredClauses: z.number(),
    reports: z.number(),
    citedReports: z.number(),
    countries: z.number(),
    supports: z.number(),
    challenges: z.number(),
  }),
});
export type Coverage = z.infer<typeof coverageSchema>;

function emptyCells(count: number): CoverageCell[] {
  return Array.from({ length: count }, () => ({ supports: 0, challenges: 0, reportIds: [] }));
}

function addTo(cell: CoverageCell, relation: EvidenceRelation, reportId: string): void {
  cell[relation] += 1;
  if (!cell.reportIds.includes(reportId)) {
    cell.reportIds.push(reportId);
    cell.reportIds.sort();
  }
}

/**
 * Computes the coverage matrix. A clause is covered when at least one link rests on it (supporting or
 * challenging: both mean a consultation spoke to it). A report is cited when a link from a clause
 * that is in the text rests on one of its excerpts. Links to clauses no longer in the text are listed
 * as detached and count for nothing else. Countries are compared exactly as written, sorted by
 * `localeCompare`.
 */
export function buildCoverage(input: CoverageInput): Coverage {
  const countries = [...new Set(input.reports.map((r) => r.country))].sort((a, b) => a.localeCompare(b));
  const column = new Map(countries.map((c, i) => [c, i]));
  const reportById = new Map(input.reports.map((r) => [r.id, r]));
  const linksByClause = new Map<string, CoverageLinkInput[]>();
  for (const link of input.links) {
    if (!reportById.has(link.reportId)) continue;
    const list = linksByClause.get(link.clauseId) ?? [];
    list.push(link);
    linksByClause.set(link.clauseId, list);
  }

  const reportRows = new Map<string, CoverageReportRow>(
    input.reports.map((r) => [
      r.id,
      { ...r, supports: 0, challenges: 0, clauses: [], cited: false } satisfies CoverageReportRow,
    ]),
  );
  const present = new Set<string>();
  const totals = { clauses: 0, coveredClauses: 0, supports: 0, challenges: 0 };
  const uncoveredClauses: Coverage['uncoveredClauses'] = [];

  const objectives = input.objectives.map((objective): CoverageObjectiveRow => {
    const row: CoverageObjectiveRow = {
      id: objective.id,
      number: objective.number,
      heading: objective.heading,
      cells: emptyCells(countries.length),
      supports: 0,
      challenges: 0,
      coveredClauses: 0,
      clauseCount: objective.clauses.length,
      clauses: [],
    };
    for (const clause of objective.clauses) {
      const clauseRow: CoverageClauseRow = {
        id: clause.id,
        number: clause.number,
        text: clause.text,
        cells: emptyCells(countries.length),
        supports: 0,
        challenges: 0,
        covered: false,
      };
      // A duplicated id (before the editor repairs it) counts once, on its first occurrence.
      const links = clause.id !== null && !present.has(clause.id) ? (linksByClause.get(clause.id) ?? []) : [];
      if (clause.id !== null) present.add(clause.id);
      for (const link of links) {
        const report = reportById.get(link.reportId) as CoverageReportInput;
        const index = column.get(report.country) as number;
        addTo(clauseRow.cells[index] as CoverageCell, link.relation, report.id);
        addTo(row.cells[index] as CoverageCell, link.relation, report.id);
        clauseRow[link.relation] += 1;
        row[link.relation] += 1;
        totals[link.relation] += 1;
        const reportRow = reportRows.get(report.id) as CoverageReportRow;
        reportRow[link.relation] += 1;
        reportRow.cited = true;
        if (!reportRow.clauses.includes(clause.number)) reportRow.clauses.push(clause.number);
      }
      clauseRow.covered = links.length > 0;
      totals.clauses += 1;
      if (clauseRow.covered) {
        totals.coveredClauses += 1;
        row.coveredClauses += 1;
      } else {
        uncoveredClauses.push({ id: clause.id, number: clause.number });
      }
      row.clauses.push(clauseRow);
    }
    return row;
  });

  const detachedLinks = input.links
    .filter((l) => reportById.has(l.reportId) && !present.has(l.clauseId))
    .map((l) => ({ linkId: l.id, clauseId: l.clauseId, reportId: l.reportId }));
  const reports = [...reportRows.values()].sort(
    (a, b) => a.country.localeCompare(b.country) || a.date.localeCompare(b.date) || a.title.localeCompare(b.title),
  );
  const uncitedReports = reports.filter((r) => !r.cited).map(({ id, title, country }) => ({ id, title, country }));

  return {
    countries,
    objectives,
    reports,
    uncoveredClauses,
    uncitedReports,
    detachedLinks,
    totals: {
      clauses: totals.clauses,
      coveredClauses: totals.coveredClauses,
      reports: reports.length,
      citedReports: reports.length - uncitedReports.length,
      countries: countries.length,
      supports: totals.supports,
      challenges: totals.challenges,
    },
  };
}

/** Quotes a CSV field (RFC 4180) and defuses spreadsheet formulas (a leading = + - @ gets a '). */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: (string | number)[][]): string {
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function cellText(cell: CoverageCell): string {
  const parts: string[] = [];
  if (cell.supports > 0) parts.push(`supports ${cell.supports}`);
  if (cell.challenges > 0) parts.push(`challenges ${cell.challenges}`);
  return parts.join('; ');
}

/**
 * The clause × country matrix as CSV: one row per objective (its totals) and per clause, one column
 * per country ("supports 2; challenges 1", empty where none), then totals and "covered".
 */
export function coverageClausesCsv(coverage: Coverage): string {
  const header = ['Objective', 'Clause', 'Text', ...coverage.countries, 'Supports', 'Challenges', 'Covered'];
  const rows: (string | number)[][] = [header];
  for (const objective of coverage.objectives) {
    rows.push([
      objective.number,
      '',
      objective.heading,
      ...objective.cells.map(cellText),
      objective.supports,
      objective.challenges,
      `${objective.coveredClauses}/${objective.clauseCount}`,
    ]);
    for (const clause of objective.clauses) {
      rows.push([
        objective.number,
        clause.number,
        clause.text,
        ...clause.cells.map(cellText),
        clause.supports,
        clause.challenges,
        clause.covered ? 'yes' : 'no',
      ]);
    }
  }
  return csv(rows);
}

/** The reports with how the document cites them, as CSV (uncited reports say "no"). */
export function coverageReportsCsv(coverage: Coverage): string {
  const rows: (string | number)[][] = [
    ['Country or region', 'Kind', 'Date', 'Title', 'Supports', 'Challenges', 'Clauses', 'Cited'],
  ];
  for (const r of coverage.reports) {
    rows.push([r.country, r.kind, r.date, r.title, r.supports, r.challenges, r.clauses.join(' '), r.cited ? 'yes' : 'no']);
  }
  return csv(rows);
}
