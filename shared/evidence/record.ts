/**
 * The "record of consultation": for each clause of a document, the consultations that informed it
 * and those that challenge it, with the quoted passages. Pure, so that the API, the client and the
 * export of a version (issue 6) build the same record from the same data:
 *
 * ```ts
 * const record = buildConsultationRecord({ documentTitle, objectives, links, generatedAt });
 * const markdown = renderRecordMarkdown(record);
 * const html = renderRecordHtml(record);           // a fragment; { standalone: true } for a page
 * ```
 */
import { z } from 'zod';
import { type EvidenceRelation, type ReportKind, reportKindLabels, reportKinds } from '../api/evidence';
import type { CoverageObjectiveInput } from './coverage';

/** A link of the document with what the record shows of it. */
export interface RecordLinkInput {
  clauseId: string;
  relation: EvidenceRelation;
  note: string;
  quote: string;
  report: {
    id: string;
    title: string;
    country: string;
    kind: ReportKind;
    date: string;
    focalPoint: string;
  };
}

/** What {@link buildConsultationRecord} is built from. */
export interface RecordInput {
  documentTitle: string;
  /** The outline of the document (objectives with their clauses, in document order). */
  objectives: readonly CoverageObjectiveInput[];
  links: readonly RecordLinkInput[];
  /** ISO time stamp written on the record. */
  generatedAt: string;
}

const sourceSchema = z.object({
  reportId: z.string(),
  country: z.string(),
  kind: z.enum(reportKinds),
  reportTitle: z.string(),
  date: z.string(),
  focalPoint: z.string(),
  quote: z.string(),
  note: z.string(),
});
/** One consultation cited for a clause. */
export type RecordSource = z.infer<typeof sourceSchema>;

/** The record; the JSON answer of `GET /api/documents/:id/evidence/record`. */
export const consultationRecordSchema = z.object({
  documentTitle: z.string(),
  generatedAt: z.string(),
  objectives: z.array(
    z.object({
      number: z.string(),
      heading: z.string(),
      clauses: z.array(
        z.object({
          id: z.string().nullable(),
          number: z.string(),
          text: z.string(),
          informedBy: z.array(sourceSchema),
          challengedBy: z.array(sourceSchema),
        }),
      ),
    }),
  ),
  /** Every consultation the record cites, by country then date. */
  consultations: z.array(
    z.object({
      reportId: z.string(),
      country: z.string(),
      kind: z.enum(reportKinds),
      title: z.string(),
      date: z.string(),
      focalPoint: z.string(),
    }),
  ),
});
export type ConsultationRecord = z.infer<typeof consultationRecordSchema>;

function bySource(a: RecordSource, b: RecordSource): number {
  return a.country.localeCompare(b.country) || a.date.localeCompare(b.date) || a.reportTitle.localeCompare(b.reportTitle);
}

/**
 * Builds the record of consultation of a document: every clause in document order, with the
 * consultations that support it (`informedBy`) and those that challenge it (`challengedBy`), each
 * sorted by country, date and title; and the list of every consultation cited. Links to clauses that
 * are not in the outline are left out.
 */
export function buildConsultationRecord(input: RecordInput): ConsultationRecord {
  const linksByClause = new Map<string, RecordLinkInput[]>();
  for (const link of input.links) {
    const list = linksByClause.get(link.clauseId) ?? [];
    list.push(link);
    linksByClause.set(link.clauseId, list);
  }
  const cited = new Map<string, ConsultationRecord['consultations'][number]>();
  const seen = new Set<string>();

  const objectives = input.objectives.map((objective) => ({
    number: objective.number,
    heading: objective.heading,
    clauses: objective.clauses.map((clause) => {
      const links = clause.id !== null && !seen.has(clause.id) ? (linksByClause.get(clause.id) ?? []) : [];
      if (clause.id !== null) seen.add(clause.id);
      const informedBy: RecordSource[] = [];
      const challengedBy: RecordSource[] = [];
      for (const link of links) {
        const { report } = link;
        const source: RecordSource = {
          reportId: report.id,
          country: report.country,
          kind: report.kind,
          reportTitle: report.title,
          date: report.date,
          focalPoint: report.focalPoint,
          quote: link.quote,
          note: link.note,
        };
        (link.relation === 'supports' ? informedBy : challengedBy).push(source);
        cited.set(report.id, {
          reportId: report.id,
          country: report.country,
          kind: report.kind,
          title: report.title,
          date: report.date,
          focalPoint: report.focalPoint,
        });
      }
      return {
        id: clause.id,
        number: clause.number,
        text: clause.text,
        informedBy: informedBy.sort(bySource),
        challengedBy: challengedBy.sort(bySource),
      };
    }),
  }));

  return {
    documentTitle: input.documentTitle,
    generatedAt: input.generatedAt,
    objectives,
    consultations: [...cited.values()].sort(
      (a, b) => a.country.localeCompare(b.country) || a.date.localeCompare(b.date) || a.title.localeCompare(b.title),
    ),
  };
}

/** One line naming a consultation: "Veloria — National consultation, 2030-03-14: “Title” (focal point)". */
function sourceLine(s: RecordSource): string {
  const focal = s.focalPoint ? ` (${s.focalPoint})` : '';
  return `${s.country} — ${reportKindLabels[s.kind]}, ${s.date}: “${s.reportTitle}”${focal}`;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Escapes Markdown's inline syntax so that quoted text is shown as written. */
function md(text: string): string {
  return collapse(text).replace(/([\\`*_{}[\]()#+!|<>~])/g, '\\$1');
}

/** The record as Markdown: a heading per objective, a sub-heading per clause, sources as lists. */
export function renderRecordMarkdown(record: ConsultationRecord): string {
  const out: string[] = [`# Record of consultation — ${md(record.documentTitle)}`, ''];
  out.push(`Generated ${record.generatedAt.slice(0, 10)}.`, '');
  for (const objective of record.objectives) {
    out.push(`## ${objective.number}. ${md(objective.heading)}`, '');
    for (const clause of objective.clauses) {
      out.push(`### Clause ${clause.number}`, '', `> ${md(clause.text) || '(empty clause)'}`, '');
      if (clause.informedBy.length === 0 && clause.challengedBy.length === 0) {
        out.push('No consultation is cited for this clause.', '');
        continue;
      }
      for (const [label, list] of [
        ['Informed by', clause.informedBy],
        ['Challenged by', clause.challengedBy],
      ] as const) {
        if (list.length === 0) continue;
        out.push(`**${label}:**`, '');
        for (const s of list) {
          out.push(`- ${md(sourceLine(s))}`, `  > ${md(s.quote)}`);
          if (s.note) out.push(`  Note: ${md(s.note)}`);
        }
        out.push('');
      }
    }
  }
  out.push('## Consultations cited', '');
  if (record.consultations.length === 0) out.push('None.', '');
  for (const c of record.consultations) {
    const focal = c.focalPoint ? ` (${md(c.focalPoint)})` : '';
    out.push(`- ${md(c.country)} — ${reportKindLabels[c.kind]}, ${c.date}: “${md(c.title)}”${focal}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The record as HTML: a `<section class="consultation-record">` fragment (for an export to embed),
 * or with `standalone` a whole page with a minimal print style. Every text is escaped.
 */
export function renderRecordHtml(record: ConsultationRecord, { standalone = false } = {}): string {
  const h = escapeHtml;
  const parts: string[] = [
    '<section class="consultation-record">',
    `<h1>Record of consultation — ${h(record.documentTitle)}</h1>`,
    `<p class="generated">Generated ${h(record.generatedAt.slice(0, 10))}.</p>`,
  ];
  for (const objective of record.objectives) {
    parts.push(`<h2>${h(objective.number)}. ${h(objective.heading)}</h2>`);
    for (const clause of objective.clauses) {
      parts.push(
        `<article class="record-clause"><h3>Clause ${h(clause.number)}</h3>`,
        `<blockquote class="clause-text">${h(collapse(clause.text)) || '<em>(empty clause)</em>'}</blockquote>`,
      );
      if (clause.informedBy.length === 0 && clause.challengedBy.length === 0) {
        parts.push('<p class="no-sources">No consultation is cited for this clause.</p>');
      }
      for (const [label, cls, list] of [
        ['Informed by', 'supports', clause.informedBy],
        ['Challenged by', 'challenges', clause.challengedBy],
      ] as const) {
        if (list.length === 0) continue;
        parts.push(`<h4 class="${cls}">${label}</h4><ul class="${cls}">`);
        for (const s of list) {
          const note = s.note ? `<p class="note">Note: ${h(s.note)}</p>` : '';
          parts.push(`<li><p class="source">${h(sourceLine(s))}</p><blockquote>${h(collapse(s.quote))}</blockquote>${note}</li>`);
        }
        parts.push('</ul>');
      }
      parts.push('</article>');
    }
  }
  parts.push('<h2>Consultations cited</h2>');
  if (record.consultations.length === 0) parts.push('<p>None.</p>');
  else {
    parts.push('<ul class="consultations">');
    for (const c of record.consultations) {
      const focal = c.focalPoint ? ` (${h(c.focalPoint)})` : '';
      parts.push(`<li>${h(c.country)} — ${h(reportKindLabels[c.kind])}, ${h(c.date)}: “${h(c.title)}”${focal}</li>`);
    }
    parts.push('</ul>');
  }
  parts.push('</section>');
  const fragment = parts.join('\n');
  if (!standalone) return `${fragment}\n`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Record of consultation — ${h(record.documentTitle)}</title>
<style>body{font:16px/1.5 Georgia,serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
h2{margin-top:2rem;border-bottom:1px solid #cbd2d9}blockquote{margin:.25rem 0 .5rem 1rem;color:#3e4c59}
h4.supports{color:#0f766e}h4.challenges{color:#b42318}.source{margin:.25rem 0 0;font-weight:600}
.note,.generated,.no-sources{color:#616e7c;font-style:italic}</style></head>
<body>
${fragment}
</body></html>
`;
}
