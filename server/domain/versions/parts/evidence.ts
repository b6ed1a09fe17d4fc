import { reportKindLabels } from '@shared/api/evidence';
import { buildConsultationRecord, type ConsultationRecord, type RecordSource } from '@shared/evidence/record';
import { computeOutline } from '@shared/numbering';
import type { ConsultationAnnexPart } from '@shared/versions/parts';
import type { Node } from 'prosemirror-model';
import type { ServerContext } from '../../../context';
import { Documents } from '../../../store/documents';
import { EvidenceLinks } from '../../../store/evidenceLinks';
import { outlineObjectives } from '../../evidence/documentEvidence';

/** One link of the `evidenceLinks` part: which excerpt a clause cites, and how. */
export interface EvidenceLinkPartEntry {
  clauseId: string;
  excerptId: string;
  reportId: string;
  relation: string;
  note: string;
}

/**
 * The `evidenceLinks` part: every link of a clause of the text to an excerpt. Kept in a version so
 * that what a frozen clause rested on can be shown later, even after links change.
 */
export async function collectEvidenceLinks(ctx: ServerContext, documentId: string, doc: Node): Promise<EvidenceLinkPartEntry[]> {
  const clauseIds = new Set(computeOutline(doc).clauses.map((c) => c.id));
  const links = await new EvidenceLinks(ctx.store).list(documentId);
  return links
    .filter((l) => clauseIds.has(l.clauseId))
    .map((l) => ({
      clauseId: l.clauseId,
      excerptId: l.excerpt.id,
      reportId: l.report.id,
      relation: l.relation,
      note: l.note,
    }));
}

function sourceLine(s: RecordSource): string {
  const note = s.note ? ` — ${s.note}` : '';
  return `${s.country}, ${reportKindLabels[s.kind].toLowerCase()} “${s.reportTitle}” (${s.date}): “${s.quote}”${note}`;
}

/** Turns the record of consultation into the printable annex export understands. */
export function recordToAnnex(record: ConsultationRecord): ConsultationAnnexPart {
  const sections: ConsultationAnnexPart['sections'] = [];
  for (const objective of record.objectives) {
    for (const clause of objective.clauses) {
      const paragraphs: string[] = [];
      if (clause.informedBy.length === 0 && clause.challengedBy.length === 0) {
        paragraphs.push('No consultation is cited for this clause.');
      }
      for (const s of clause.informedBy) paragraphs.push(`Informed by: ${sourceLine(s)}`);
      for (const s of clause.challengedBy) paragraphs.push(`Challenged by: ${sourceLine(s)}`);
      sections.push({ heading: `Clause ${clause.number}`, paragraphs });
    }
  }
  return { title: 'Record of consultation', sections };
}

/** The `consultationAnnex` part: the record of consultation of the text being frozen or exported. */
export async function collectConsultationAnnex(ctx: ServerContext, documentId: string, doc: Node): Promise<ConsultationAnnexPart> {
  const [document, links] = await Promise.all([
    new Documents(ctx.store).get(documentId),
    new EvidenceLinks(ctx.store).list(documentId),
  ]);
  const record = buildConsultationRecord({
    documentTitle: document?.title ?? doc.firstChild?.textContent ?? '',
    objectives: outlineObjectives(computeOutline(doc)),
    links: links.map((l) => ({ clauseId: l.clauseId, relation: l.relation, note: l.note, quote: l.excerpt.quote, report: l.report })),
    generatedAt: new Date(0).toISOString(),
  });
  return recordToAnnex(record);
}
