import { computeOutline } from '@shared/numbering';
import type { ClauseStatusPart } from '@shared/versions/parts';
import type { Node } from 'prosemirror-model';
import type { ServerContext } from '../../../context';
import { ClauseStatuses } from '../../../store/clauseStatuses';

/**
 * The `clauseStatus` part: the status of every clause of the text being frozen or exported (a clause
 * without a record is `draft`). Records of clauses no longer in the text are left out.
 */
export async function collectClauseStatuses(ctx: ServerContext, documentId: string, doc: Node): Promise<ClauseStatusPart> {
  const records = new Map((await new ClauseStatuses(ctx.store).list(documentId)).map((r) => [r.clauseId, r.status]));
  const part: ClauseStatusPart = {};
  for (const clause of computeOutline(doc).clauses) {
    if (clause.id) part[clause.id] = records.get(clause.id) ?? 'draft';
  }
  return part;
}
