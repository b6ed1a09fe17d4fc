/**
 * The export model: one structure every format renders from, built from a text (a version's or the
 * live draft's), its numbering and the snapshot parts. Formats never look at ProseMirror nodes.
 */
import { computeOutline, type NumberingBaseline } from '@shared/numbering';
import {
  type ConsultationAnnexPart,
  clauseStatusPartSchema,
  consultationAnnexPartSchema,
  type OpenThreadsPart,
  openThreadsPartSchema,
  partKeys,
  readPart,
} from '@shared/versions/parts';
import { safeHref } from '@shared/schema';
import type { Node } from 'prosemirror-model';
import { type Segment, segmentsOf } from './inline';

/** An open thread as exports print it. */
export type ExportThread = OpenThreadsPart[number];

/** A clause of an export. */
export interface ExportClause {
  id: string | null;
  number: string;
  content: Segment[];
  /** The clause's status, when the export includes statuses and one is known. */
  status: string | null;
  threads: ExportThread[];
}

/** An objective of an export. */
export interface ExportObjective {
  id: string | null;
  number: string;
  heading: Segment[];
  rationale: Segment[] | null;
  clauses: ExportClause[];
}

/** What a version export says about the version (absent for the live draft). */
export interface ExportVersionInfo {
  label: string;
  meeting: string | null;
  note: string | null;
  frozenAt: string;
  frozenBy: string;
  hash: string;
}

/** Which optional contents to include. */
export interface ExportOptions {
  status: boolean;
  annex: boolean;
  threads: boolean;
}

/** Everything a format needs to render a document. */
export interface ExportModel {
  documentId: string;
  title: string;
  /** The dialogue the document belongs to. */
  dialogue: string;
  version: ExportVersionInfo | null;
  /** When the file was made (ISO-8601). */
  generatedAt: string;
  preamble: Segment[][];
  objectives: ExportObjective[];
  /** Threads on the whole document (not on a clause), when threads are included. */
  documentThreads: ExportThread[];
  annex: ConsultationAnnexPart | null;
  options: ExportOptions;
}

/** What a model is built from. */
export interface ExportSource {
  documentId: string;
  dialogue: string;
  doc: Node;
  baseline: NumberingBaseline | null;
  parts: Record<string, unknown>;
  version: ExportVersionInfo | null;
  options: ExportOptions;
  now?: Date;
}

/** Drops link targets that are not safe (stored content is never trusted to be). */
function safeSegments(segments: Segment[]): Segment[] {
  return segments.map((s) => (s.kind === 'text' && s.href !== null ? { ...s, href: safeHref(s.href) } : s));
}

/** Builds the export model of a text. Options whose part is missing are turned off. */
export function buildExportModel(source: ExportSource): ExportModel {
  const { doc, parts, options } = source;
  const outline = computeOutline(doc, source.baseline ? { baseline: source.baseline } : {});
  const statuses = options.status ? readPart(parts, partKeys.clauseStatus, clauseStatusPartSchema) : null;
  const threads = options.threads ? readPart(parts, partKeys.openThreads, openThreadsPartSchema) : null;
  const annex = options.annex ? readPart(parts, partKeys.consultationAnnex, consultationAnnexPartSchema) : null;
  const threadsOf = (clauseId: string | null) => (threads ?? []).filter((t) => t.clauseId === clauseId);

  const preamble: Segment[][] = [];
  doc.forEach((child) => {
    if (child.type.name === 'preamble') child.forEach((p) => preamble.push(safeSegments(segmentsOf(p))));
  });

  const objectives: ExportObjective[] = outline.objectives.map((o) => {
    const node = doc.nodeAt(o.pos);
    let heading: Segment[] = [];
    let rationale: Segment[] | null = null;
    node?.forEach((child) => {
      if (child.type.name === 'objective_heading') heading = safeSegments(segmentsOf(child));
      if (child.type.name === 'rationale' && child.content.size > 0) rationale = safeSegments(segmentsOf(child));
    });
    return {
      id: o.id,
      number: o.number,
      heading,
      rationale,
      clauses: o.clauses.map((c) => {
        const clauseNode = doc.nodeAt(c.pos);
        return {
          id: c.id,
          number: c.number,
          content: clauseNode ? safeSegments(segmentsOf(clauseNode)) : [],
          status: statuses && c.id !== null ? (statuses[c.id] ?? null) : null,
          threads: c.id !== null ? threadsOf(c.id) : [],
        };
      }),
    };
  });

  return {
    documentId: source.documentId,
    title: doc.firstChild?.type.name === 'title' ? doc.firstChild.textContent : '',
    dialogue: source.dialogue,
    version: source.version,
    generatedAt: (source.now ?? new Date()).toISOString(),
    preamble,
    objectives,
    documentThreads: threadsOf(null),
    annex,
    options: { status: statuses !== null, annex: annex !== null, threads: threads !== null },
  };
}

/** "3 March 2030, 14:05 UTC": how exports print times (UTC, so every reader sees the same). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** Status names as printed. */
export const statusLabels: Record<string, string> = {
  draft: 'Draft',
  proposed: 'Proposed',
  bracketed: 'Bracketed',
  agreed: 'Agreed',
  withdrawn: 'Withdrawn',
};

/** The line that identifies what an export is: a version's label, date and hash, or the live draft. */
export function provenanceLines(model: ExportModel): string[] {
  if (!model.version) {
    return [`Live draft as of ${formatTime(model.generatedAt)} — not a tabled version.`];
  }
  const v = model.version;
  return [
    `${v.label}${v.meeting ? ` — ${v.meeting}` : ''}`,
    `Frozen ${formatTime(v.frozenAt)} by ${v.frozenBy}`,
    `SHA-256 ${v.hash}`,
  ];
}
