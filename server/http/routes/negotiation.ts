import { openBracketsInClause, findClause, listBrackets } from '@shared/brackets';
import { listChanges } from '@shared/changes';
import type { DocumentSettings } from '@shared/api/documents';
import {
  bracketResolutionBodySchema,
  type ChangeDecisionResult,
  changeDecisionBodySchema,
  clauseIdSchema,
  documentSettingsPatchSchema,
  flagActions,
  proposalDecisionBodySchema,
  type SetStatusResult,
  setStatusBodySchema,
} from '@shared/api/negotiation';
import type { ThreadEvent } from '@shared/api/threads';
import { can, canSetStatus } from '@shared/permissions';
import { Hono } from 'hono';
import { z } from 'zod';
import { type DocumentAccess, documentAccess } from '../../auth/access';
import type { CollabControl, ServerContext } from '../../context';
import { auditLogFor } from '../../store/auditLog';
import { ClauseStatuses } from '../../store/clauseStatuses';
import { Documents } from '../../store/documents';
import { Threads } from '../../store/threads';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { idParam, validate } from '../validate';
import { audienceOf } from './threads';

const clauseParam = idParam.extend({ clauseId: clauseIdSchema });
const flagsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/**
 * The clause negotiation workflow and tracked-change decisions under `/api/documents/:id`:
 * clause statuses with proposals and history, recording accept/reject decisions and bracket
 * resolutions (made in the editor, checked and logged here), document policies, and the flags the
 * collaboration server raised. Every change is permission-checked with `can`, audit-logged and
 * pushed live to the document's viewers.
 */
export function negotiationRoutes(ctx: ServerContext, collab: CollabControl) {
  const statuses = new ClauseStatuses(ctx.store);
  const documents = new Documents(ctx.store);
  const audit = auditLogFor(ctx.store);
  const threads = new Threads(ctx.store);

  async function access(userId: string, documentId: string): Promise<DocumentAccess> {
    const found = await documentAccess(ctx, userId, documentId);
    if (!found || !can(found.role, 'document.readLive')) {
      throw new HttpError(404, 'not_found', 'Document not found.');
    }
    return found;
  }

  /** Refuses a status change on a clause that is not in the server's copy of the text. */
  async function requireClause(documentId: string, clauseId: string) {
    const text = await collab.readDocument(documentId);
    if (!findClause(text, clauseId)) {
      throw new HttpError(404, 'not_found', 'There is no clause with this id in the document.');
    }
    return text;
  }

  async function refuseOpenBrackets(documentId: string, clauseId: string): Promise<void> {
    const open = openBracketsInClause(await collab.readDocument(documentId), clauseId);
    if (open > 0) {
      throw new HttpError(
        409,
        'open_brackets',
        `This clause still has ${open} open bracket${open === 1 ? '' : 's'}; resolve ${open === 1 ? 'it' : 'them'} before agreeing it.`,
      );
    }
  }

  /** Threads on the decided changes say so from now on ("accepted by …"), live for their viewers. */
  async function noteDecisionOnThreads(
    documentId: string,
    changeIds: string[],
    decision: 'accept' | 'reject',
    by: { id: string; name: string },
  ): Promise<void> {
    const outcome = decision === 'accept' ? 'accepted' : 'rejected';
    const updated = await threads.recordChangeDecision(documentId, changeIds, {
      outcome,
      by: { id: by.id, name: by.name },
      at: new Date().toISOString(),
    });
    for (const threadId of updated) {
      const record = await threads.get(threadId);
      if (!record) continue;
      const event: ThreadEvent = { type: 'thread.updated', documentId, thread: record.thread };
      collab.publish(event, audienceOf(record.thread));
    }
  }

  function announceStatus(documentId: string, clause: SetStatusResult['clause']): void {
    collab.policyChanged(documentId);
    collab.publish({ type: 'clause.status', documentId, clause });
  }

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/:id/clauses/status', validate('param', idParam), async (c) => {
      const { document } = await access(c.var.user.id, c.req.valid('param').id);
      return c.json({ clauses: await statuses.list(document.id) });
    })
    .get('/:id/clauses/:clauseId/history', validate('param', clauseParam), async (c) => {
      const { id, clauseId } = c.req.valid('param');
      const { document } = await access(c.var.user.id, id);
      return c.json({ history: await statuses.history(document.id, clauseId) });
    })
    .put(
      '/:id/clauses/:clauseId/status',
      validate('param', clauseParam),
      validate('json', setStatusBodySchema),
      async (c) => {
        const { id, clauseId } = c.req.valid('param');
        const { status, note } = c.req.valid('json');
        const { document, dialogueId, role } = await access(c.var.user.id, id);
        if (canSetStatus(role, status) === 'no') throw new HttpError(403, 'forbidden', 'Your role may not change clause statuses.');
        await requireClause(document.id, clauseId);
        const current = await statuses.get(document.id, clauseId);
        // Leaving agreed or withdrawn is a decision too: a drafter only proposes it.
        const may = canSetStatus(role, status, current.status);
        if (current.status === status && may === 'yes') {
          const result: SetStatusResult = { outcome: 'unchanged', clause: current };
          return c.json(result);
        }
        if (status === 'agreed') await refuseOpenBrackets(document.id, clauseId);
        const actorId = c.var.user.id;
        if (may === 'propose') {
          if (current.status === status) {
            throw new HttpError(409, 'conflict', `This clause is already ${status}.`);
          }
          const change = await statuses.propose(document.id, clauseId, status, actorId, note ?? null);
          await audit.append({
            dialogueId,
            documentId: document.id,
            actorId,
            action: 'clause.status_proposed',
            detail: { clauseId, from: change.from, to: status, note: note ?? null },
          });
          announceStatus(document.id, change.record);
          const result: SetStatusResult = { outcome: 'proposed', clause: change.record };
          return c.json(result, 202);
        }
        const change = await statuses.set(document.id, clauseId, status, actorId, note ?? null);
        await audit.append({
          dialogueId,
          documentId: document.id,
          actorId,
          action: 'clause.status_set',
          detail: { clauseId, from: change.from, to: status, note: note ?? null },
        });
        announceStatus(document.id, change.record);
        const result: SetStatusResult = { outcome: 'set', clause: change.record };
        return c.json(result);
      },
    )
    .post(
      '/:id/clauses/:clauseId/proposal/:verdict{confirm|decline}',
      validate('param', clauseParam.extend({ verdict: z.enum(['confirm', 'decline']) })),
      validate('json', proposalDecisionBodySchema),
      async (c) => {
        const { id, clauseId, verdict } = c.req.valid('param');
        const { note } = c.req.valid('json');
        const { document, dialogueId, role } = await access(c.var.user.id, id);
        const current = await statuses.get(document.id, clauseId);
        const proposal = current.proposal;
        if (!proposal) throw new HttpError(409, 'conflict', 'This clause has no pending proposal.');
        if (canSetStatus(role, proposal.to, current.status) !== 'yes') {
          throw new HttpError(403, 'forbidden', 'Only Co-Chairs and the Secretariat confirm or decline proposals.');
        }
        const actorId = c.var.user.id;
        if (verdict === 'decline') {
          const change = await statuses.decline(document.id, clauseId, actorId, note ?? null);
          if (!change) throw new HttpError(409, 'conflict', 'This clause has no pending proposal.');
          await audit.append({
            dialogueId,
            documentId: document.id,
            actorId,
            action: 'clause.status_declined',
            detail: { clauseId, proposed: proposal.to, proposedBy: proposal.byId, note: note ?? null },
          });
          announceStatus(document.id, change.record);
          const result: SetStatusResult = { outcome: 'declined', clause: change.record };
          return c.json(result);
        }
        await requireClause(document.id, clauseId);
        if (proposal.to === 'agreed') await refuseOpenBrackets(document.id, clauseId);
        const change = await statuses.set(document.id, clauseId, proposal.to, actorId, note ?? null, 'confirmed');
        await audit.append({
          dialogueId,
          documentId: document.id,
          actorId,
          action: 'clause.status_confirmed',
          detail: { clauseId, from: change.from, to: proposal.to, proposedBy: proposal.byId, note: note ?? null },
        });
        announceStatus(document.id, change.record);
        const result: SetStatusResult = { outcome: 'set', clause: change.record };
        return c.json(result);
      },
    )
    .post('/:id/changes/decisions', validate('param', idParam), validate('json', changeDecisionBodySchema), async (c) => {
      const { decision, changeIds, scope } = c.req.valid('json');
      const { document, dialogueId, role } = await access(c.var.user.id, c.req.valid('param').id);
      if (!can(role, 'change.decide')) {
        throw new HttpError(403, 'forbidden', 'Only Co-Chairs and the Secretariat accept or reject changes.');
      }
      const pending = new Map(listChanges(await collab.readDocument(document.id)).map((ch) => [ch.id, ch]));
      const wanted = [...new Set(changeIds)];
      const result: ChangeDecisionResult = {
        recorded: wanted.flatMap((changeId) => {
          const ch = pending.get(changeId);
          return ch
            ? [{ changeId, kind: ch.kind, authorId: ch.authorId, authorName: ch.authorName, clauseIds: ch.clauseIds, inserted: ch.inserted, deleted: ch.deleted }]
            : [];
        }),
        missing: wanted.filter((id) => !pending.has(id)),
      };
      if (result.recorded.length === 0) {
        throw new HttpError(409, 'conflict', 'None of these changes is pending any more.');
      }
      await audit.append({
        dialogueId,
        documentId: document.id,
        actorId: c.var.user.id,
        action: decision === 'accept' ? 'change.accepted' : 'change.rejected',
        detail: { scope, changes: result.recorded },
      });
      collab.publish({
        type: 'changes.decided',
        documentId: document.id,
        decision,
        changeIds: result.recorded.map((r) => r.changeId),
        by: { id: c.var.user.id, name: c.var.user.name },
      });
      await noteDecisionOnThreads(document.id, result.recorded.map((r) => r.changeId), decision, c.var.user);
      return c.json(result);
    })
    .post(
      '/:id/brackets/resolutions',
      validate('param', idParam),
      validate('json', bracketResolutionBodySchema),
      async (c) => {
        const body = c.req.valid('json');
        const { document, dialogueId, role } = await access(c.var.user.id, c.req.valid('param').id);
        if (!can(role, 'change.decide')) {
          throw new HttpError(403, 'forbidden', 'Only Co-Chairs and the Secretariat resolve brackets.');
        }
        if (body.group !== null) {
          const open = listBrackets(await collab.readDocument(document.id)).some((b) => b.group === body.group);
          if (!open) throw new HttpError(409, 'conflict', 'This bracket is no longer open.');
        }
        await audit.append({
          dialogueId,
          documentId: document.id,
          actorId: c.var.user.id,
          action: 'bracket.resolved',
          detail: body,
        });
        collab.publish({ type: 'bracket.resolved', documentId: document.id, clauseId: body.clauseId, group: body.group });
        return c.json({ recorded: true });
      },
    )
    .patch('/:id/settings', validate('param', idParam), validate('json', documentSettingsPatchSchema), async (c) => {
      const patch = c.req.valid('json');
      const { document, dialogueId, role } = await access(c.var.user.id, c.req.valid('param').id);
      if (!can(role, 'document.setPolicy')) {
        throw new HttpError(403, 'forbidden', 'Only the Secretariat sets document policies.');
      }
      const before = document.settings;
      const next: DocumentSettings = await documents.setSettings(document.id, { ...before, ...patch });
      const changed = (Object.keys(patch) as (keyof DocumentSettings)[]).filter((k) => before[k] !== next[k]);
      if (changed.length > 0) {
        await audit.append({
          dialogueId,
          documentId: document.id,
          actorId: c.var.user.id,
          action: 'document.policy_changed',
          detail: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: next[k] }])),
        });
        collab.policyChanged(document.id);
        collab.publish({ type: 'document.settings', documentId: document.id, settings: next });
      }
      return c.json({ settings: next });
    })
    .get('/:id/changes/flags', validate('param', idParam), validate('query', flagsQuery), async (c) => {
      const { document, role } = await access(c.var.user.id, c.req.valid('param').id);
      if (!can(role, 'change.decide')) {
        throw new HttpError(403, 'forbidden', 'Only Co-Chairs and the Secretariat see flagged edits.');
      }
      const rows = await audit.list({ documentId: document.id, limit: c.req.valid('query').limit, actions: flagActions });
      return c.json({
        flags: rows.map((r) => ({ id: r.id, at: r.createdAt, action: r.action, actorId: r.actorId, actorName: r.actorName, detail: r.detail })),
      });
    });
}

