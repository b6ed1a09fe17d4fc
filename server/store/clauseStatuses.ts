import type { ClauseStatusRecord, StatusHistoryEntry } from '@shared/api/negotiation';
import { type ClauseStatus, clauseStatuses } from '@shared/permissions';
import type { Store } from './db';

function asStatus(value: string | null | undefined): ClauseStatus {
  return (clauseStatuses as readonly string[]).includes(value ?? '') ? (value as ClauseStatus) : 'draft';
}

type HistoryKind = StatusHistoryEntry['kind'];

/** What a status change did, with the record after it. */
export interface StatusChange {
  from: ClauseStatus;
  record: ClauseStatusRecord;
}

/**
 * Clause statuses of documents (a clause without a row is `draft`), a drafter's pending proposal per
 * clause, and the append-only history of every change. Each change and its history row are written
 * in one transaction.
 */
export class ClauseStatuses {
  constructor(private readonly store: Store) {}

  /** Every clause of a document that has a record, with the names of who set and who proposed. */
  async list(documentId: string): Promise<ClauseStatusRecord[]> {
    const rows = await this.store.db
      .selectFrom('clause_statuses as s')
      .leftJoin('users as u', 'u.id', 's.updated_by')
      .leftJoin('users as p', 'p.id', 's.proposal_by')
      .selectAll('s')
      .select(['u.name as updated_by_name', 'p.name as proposal_by_name'])
      .where('s.document_id', '=', documentId)
      .orderBy('s.clause_id')
      .execute();
    return rows.map((row) => ({
      clauseId: row.clause_id,
      status: asStatus(row.status),
      updatedAt: row.updated_at,
      updatedById: row.updated_by,
      updatedByName: row.updated_by_name,
      proposal:
        row.proposal_to && row.proposal_by && row.proposal_at
          ? {
              to: asStatus(row.proposal_to),
              byId: row.proposal_by,
              byName: row.proposal_by_name,
              at: row.proposal_at,
              note: row.proposal_note,
            }
          : null,
    }));
  }

  /** The record of one clause; a clause never changed is `draft` with no record data. */
  async get(documentId: string, clauseId: string): Promise<ClauseStatusRecord> {
    const found = (await this.list(documentId)).find((r) => r.clauseId === clauseId);
    return (
      found ?? {
        clauseId,
        status: 'draft',
        updatedAt: null,
        updatedById: null,
        updatedByName: null,
        proposal: null,
      }
    );
  }

  /** Ids of the document's agreed clauses. */
  async agreed(documentId: string): Promise<Set<string>> {
    const rows = await this.store.db
      .selectFrom('clause_statuses')
      .select('clause_id')
      .where('document_id', '=', documentId)
      .where('status', '=', 'agreed')
      .execute();
    return new Set(rows.map((r) => r.clause_id));
  }

  /**
   * Sets a clause's status (clearing any proposal) and records it as `kind` (`set`, or `confirmed`
   * when a Co-Chair confirms a proposal).
   */
  async set(
    documentId: string,
    clauseId: string,
    to: ClauseStatus,
    actorId: string,
    note: string | null,
    kind: 'set' | 'confirmed' = 'set',
  ): Promise<StatusChange> {
    const from = (await this.get(documentId, clauseId)).status;
    const now = new Date().toISOString();
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('clause_statuses')
        .values({
          document_id: documentId,
          clause_id: clauseId,
          status: to,
          updated_at: now,
          updated_by: actorId,
          proposal_to: null,
          proposal_by: null,
          proposal_at: null,
          proposal_note: null,
        })
        .onConflict((oc) =>
          oc.columns(['document_id', 'clause_id']).doUpdateSet({
            status: to,
            updated_at: now,
            updated_by: actorId,
            proposal_to: null,
            proposal_by: null,
            proposal_at: null,
            proposal_note: null,
          }),
        )
        .execute();
      await this.addHistory(trx, documentId, clauseId, kind, from, to, actorId, note, now);
    });
    return { from, record: await this.get(documentId, clauseId) };
  }

  /** Records a drafter's proposal to move a clause to `to` (replacing an earlier proposal). */
  async propose(
    documentId: string,
    clauseId: string,
    to: ClauseStatus,
    actorId: string,
    note: string | null,
  ): Promise<StatusChange> {
    const current = await this.get(documentId, clauseId);
    const now = new Date().toISOString();
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('clause_statuses')
        .values({
          document_id: documentId,
          clause_id: clauseId,
          status: current.status,
          updated_at: current.updatedAt ?? now,
          updated_by: current.updatedById,
          proposal_to: to,
          proposal_by: actorId,
          proposal_at: now,
          proposal_note: note,
        })
        .onConflict((oc) =>
          oc.columns(['document_id', 'clause_id']).doUpdateSet({
            proposal_to: to,
            proposal_by: actorId,
            proposal_at: now,
            proposal_note: note,
          }),
        )
        .execute();
      await this.addHistory(trx, documentId, clauseId, 'proposed', current.status, to, actorId, note, now);
    });
    return { from: current.status, record: await this.get(documentId, clauseId) };
  }

  /** Declines a pending proposal: the status stays, the proposal goes, the decline is recorded. */
  async decline(
    documentId: string,
    clauseId: string,
    actorId: string,
    note: string | null,
  ): Promise<StatusChange | null> {
    const current = await this.get(documentId, clauseId);
    if (!current.proposal) return null;
    const now = new Date().toISOString();
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('clause_statuses')
        .set({ proposal_to: null, proposal_by: null, proposal_at: null, proposal_note: null })
        .where('document_id', '=', documentId)
        .where('clause_id', '=', clauseId)
        .execute();
      await this.addHistory(
        trx,
        documentId,
        clauseId,
        'declined',
        current.status,
        current.proposal!.to,
        actorId,
        note,
        now,
      );
    });
    return { from: current.status, record: await this.get(documentId, clauseId) };
  }

  /** The history of one clause (or of every clause of the document), newest first. */
  async history(documentId: string, clauseId?: string, limit = 200): Promise<StatusHistoryEntry[]> {
    let q = this.store.db
      .selectFrom('clause_status_history as h')
      .leftJoin('users as u', 'u.id', 'h.actor_id')
      .selectAll('h')
      .select('u.name as actor_name')
      .where('h.document_id', '=', documentId)
      .orderBy('h.id', 'desc')
      .limit(limit);
    if (clauseId !== undefined) q = q.where('h.clause_id', '=', clauseId);
    const rows = await q.execute();
    return rows.map((row) => ({
      id: Number(row.id),
      clauseId: row.clause_id,
      kind: row.kind as HistoryKind,
      from: asStatus(row.from_status),
      to: asStatus(row.to_status),
      actorId: row.actor_id,
      actorName: row.actor_name,
      note: row.note,
      at: row.created_at,
    }));
  }

  private async addHistory(
    trx: Store['db'],
    documentId: string,
    clauseId: string,
    kind: HistoryKind,
    from: ClauseStatus,
    to: ClauseStatus,
    actorId: string | null,
    note: string | null,
    at: string,
  ): Promise<void> {
    await trx
      .insertInto('clause_status_history')
      .values({
        document_id: documentId,
        clause_id: clauseId,
        kind,
        from_status: from,
        to_status: to,
        actor_id: actorId,
        note,
        created_at: at,
      })
      .execute();
  }

  /**
   * Writes a status and a back-dated history directly (for the demo seed): `steps` are applied in
   * order, each with its actor, note and time.
   */
  async seedHistory(
    documentId: string,
    clauseId: string,
    steps: { kind: HistoryKind; to: ClauseStatus; actorId: string; note?: string; at: string }[],
  ): Promise<void> {
    let status: ClauseStatus = 'draft';
    let proposal: { to: ClauseStatus; by: string; at: string; note: string | null } | null = null;
    let updated: { at: string; by: string } | null = null;
    for (const step of steps) {
      await this.addHistory(this.store.db, documentId, clauseId, step.kind, status, step.to, step.actorId, step.note ?? null, step.at);
      if (step.kind === 'proposed') proposal = { to: step.to, by: step.actorId, at: step.at, note: step.note ?? null };
      else if (step.kind === 'declined') proposal = null;
      else {
        status = step.to;
        proposal = null;
        updated = { at: step.at, by: step.actorId };
      }
    }
    await this.store.db
      .insertInto('clause_statuses')
      .values({
        document_id: documentId,
        clause_id: clauseId,
        status,
        updated_at: updated?.at ?? steps[0]?.at ?? new Date().toISOString(),
        updated_by: updated?.by ?? null,
        proposal_to: proposal?.to ?? null,
        proposal_by: proposal?.by ?? null,
        proposal_at: proposal?.at ?? null,
        proposal_note: proposal?.note ?? null,
      })
      .execute();
  }
}
