import type { EvidenceLink, EvidenceRelation, ReportKind } from '@shared/api/evidence';
import type { Store } from './db';
import { parseThemes } from './evidenceLibrary';
import { newId } from './ids';

/** A new link from a clause to an excerpt. */
export interface NewLink {
  dialogueId: string;
  documentId: string;
  clauseId: string;
  excerptId: string;
  relation: EvidenceRelation;
  note: string;
}

/**
 * Links from clauses of documents to excerpts of the library. A link is keyed by the clause's stable
 * id, never by its number or position, so it follows the clause through edits, moves between
 * objectives and renumbering. One clause links one excerpt at most once.
 */
export class EvidenceLinks {
  constructor(private readonly store: Store) {}

  private base() {
    return this.store.db
      .selectFrom('evidence_links as l')
      .innerJoin('evidence_excerpts as e', 'e.id', 'l.excerpt_id')
      .innerJoin('evidence_reports as r', 'r.id', 'e.report_id')
      .leftJoin('users as u', 'u.id', 'l.created_by')
      .select([
        'l.id',
        'l.document_id',
        'l.clause_id',
        'l.relation',
        'l.note',
        'l.created_by',
        'l.created_at',
        'l.updated_at',
        'u.name as creator_name',
        'e.id as excerpt_id',
        'e.quote',
        'e.themes',
        'e.start_offset',
        'e.end_offset',
        'r.id as report_id',
        'r.title as report_title',
        'r.country',
        'r.kind',
        'r.report_date',
        'r.focal_point',
      ]);
  }

  /** Every link of a document (optionally of one clause), by clause then newest first. */
  async list(documentId: string, clauseId?: string): Promise<EvidenceLink[]> {
    let query = this.base().where('l.document_id', '=', documentId);
    if (clauseId !== undefined) query = query.where('l.clause_id', '=', clauseId);
    const rows = await query.orderBy('l.clause_id').orderBy('l.created_at', 'desc').orderBy('l.id').execute();
    return rows.map(toLink);
  }

  /** One link of a document, or null. */
  async get(documentId: string, linkId: string): Promise<EvidenceLink | null> {
    const row = await this.base().where('l.document_id', '=', documentId).where('l.id', '=', linkId).executeTakeFirst();
    return row ? toLink(row) : null;
  }

  /** Whether the clause already links the excerpt. */
  async exists(documentId: string, clauseId: string, excerptId: string): Promise<boolean> {
    const row = await this.store.db
      .selectFrom('evidence_links')
      .select('id')
      .where('document_id', '=', documentId)
      .where('clause_id', '=', clauseId)
      .where('excerpt_id', '=', excerptId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Stores a link; returns its id. Throws on a duplicate (the unique constraint). */
  async create(input: NewLink, actorId: string | null): Promise<string> {
    const id = newId();
    const now = new Date().toISOString();
    await this.store.db
      .insertInto('evidence_links')
      .values({
        id,
        dialogue_id: input.dialogueId,
        document_id: input.documentId,
        clause_id: input.clauseId,
        excerpt_id: input.excerptId,
        relation: input.relation,
        note: input.note,
        created_by: actorId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  /** Changes a link's relation or note; false when the document has no such link. */
  async update(documentId: string, linkId: string, change: { relation?: EvidenceRelation; note?: string }): Promise<boolean> {
    const result = await this.store.db
      .updateTable('evidence_links')
      .set({
        ...(change.relation !== undefined && { relation: change.relation }),
        ...(change.note !== undefined && { note: change.note }),
        updated_at: new Date().toISOString(),
      })
      .where('document_id', '=', documentId)
      .where('id', '=', linkId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Removes a link; false when the document has no such link. */
  async delete(documentId: string, linkId: string): Promise<boolean> {
    const result = await this.store.db
      .deleteFrom('evidence_links')
      .where('document_id', '=', documentId)
      .where('id', '=', linkId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

type LinkRow = {
  id: string;
  document_id: string;
  clause_id: string;
  relation: string;
  note: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  creator_name: string | null;
  excerpt_id: string;
  quote: string;
  themes: string;
  start_offset: number;
  end_offset: number;
  report_id: string;
  report_title: string;
  country: string;
  kind: string;
  report_date: string;
  focal_point: string;
};

function toLink(row: LinkRow): EvidenceLink {
  return {
    id: row.id,
    documentId: row.document_id,
    clauseId: row.clause_id,
    relation: row.relation as EvidenceRelation,
    note: row.note,
    createdBy: row.created_by && row.creator_name ? { id: row.created_by, name: row.creator_name } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    excerpt: {
      id: row.excerpt_id,
      quote: row.quote,
      themes: parseThemes(row.themes),
      start: Number(row.start_offset),
      end: Number(row.end_offset),
    },
    report: {
      id: row.report_id,
      title: row.report_title,
      country: row.country,
      kind: row.kind as ReportKind,
      date: row.report_date,
      focalPoint: row.focal_point,
    },
  };
}
