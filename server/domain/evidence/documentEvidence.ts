import { buildCoverage, type Coverage, type CoverageObjectiveInput } from '@shared/evidence/coverage';
import { buildConsultationRecord, type ConsultationRecord } from '@shared/evidence/record';
import type { Outline } from '@shared/numbering';
import type { CollabControl, ServerContext } from '../../context';
import { EvidenceLibrary } from '../../store/evidenceLibrary';
import { EvidenceLinks } from '../../store/evidenceLinks';
import { readDocumentOutline } from '../documentText';

/** The outline as the evidence builders take it (objectives with their clauses). */
export function outlineObjectives(outline: Outline): CoverageObjectiveInput[] {
  return outline.objectives.map((o) => ({
    id: o.id,
    number: o.number,
    heading: o.heading,
    clauses: o.clauses.map((c) => ({ id: c.id, number: c.number, text: c.text })),
  }));
}

/**
 * The coverage of a document by its dialogue's evidence library, from the document's current text
 * (see `readDocument`), the library's reports and the document's links.
 */
export async function loadCoverage(
  ctx: ServerContext,
  collab: CollabControl,
  document: { id: string; dialogueId: string },
): Promise<Coverage> {
  const [{ outline }, reports, links] = await Promise.all([
    readDocumentOutline(collab, document.id),
    new EvidenceLibrary(ctx.store).reportRefs(document.dialogueId),
    new EvidenceLinks(ctx.store).list(document.id),
  ]);
  return buildCoverage({
    objectives: outlineObjectives(outline),
    reports,
    links: links.map((l) => ({
      id: l.id,
      clauseId: l.clauseId,
      relation: l.relation,
      reportId: l.report.id,
      excerptId: l.excerpt.id,
    })),
  });
}

/**
 * The record of consultation of a document's current text: per clause, the consultations that
 * informed it and those that challenge it. The export of versions (issue 6) calls this for the live
 * draft, or `buildConsultationRecord` (shared/evidence/record.ts) with a frozen version's outline.
 */
export async function loadConsultationRecord(
  ctx: ServerContext,
  collab: CollabControl,
  document: { id: string; title: string },
): Promise<ConsultationRecord> {
  const [{ outline }, links] = await Promise.all([
    readDocumentOutline(collab, document.id),
    new EvidenceLinks(ctx.store).list(document.id),
  ]);
  return buildConsultationRecord({
    documentTitle: document.title,
    objectives: outlineObjectives(outline),
    links: links.map((l) => ({
      clauseId: l.clauseId,
      relation: l.relation,
      note: l.note,
      quote: l.excerpt.quote,
      report: l.report,
    })),
    generatedAt: new Date().toISOString(),
  });
}
