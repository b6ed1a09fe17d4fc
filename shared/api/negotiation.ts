import { z } from 'zod';
import { clauseStatuses } from '../permissions/can';

/** A clause or bracket-group id on the wire (the shape `clauseIds.ts` makes, and the demo's). */
export const clauseIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a clause id');

/** A clause status (PRODUCT.md §2). */
export const clauseStatusSchema = z.enum(clauseStatuses);

const note = z.string().trim().max(1000, 'at most 1000 characters');

/** A pending proposal to move a clause to `to` (a drafter proposed; a Co-Chair confirms or declines). */
export const statusProposalSchema = z.object({
  to: clauseStatusSchema,
  byId: z.string(),
  byName: z.string().nullable(),
  at: z.string(),
  note: z.string().nullable(),
});
export type StatusProposal = z.infer<typeof statusProposalSchema>;

/** The status record of a clause; clauses without a record are `draft`. */
export const clauseStatusRecordSchema = z.object({
  clauseId: z.string(),
  status: clauseStatusSchema,
  updatedAt: z.string().nullable(),
  updatedById: z.string().nullable(),
  updatedByName: z.string().nullable(),
  proposal: statusProposalSchema.nullable(),
});
export type ClauseStatusRecord = z.infer<typeof clauseStatusRecordSchema>;

/** Answer of `GET /api/documents/:id/clauses/status`. */
export const clauseStatusListSchema = z.object({ clauses: z.array(clauseStatusRecordSchema) });

/** One step of a clause's status history. */
export const statusHistoryEntrySchema = z.object({
  id: z.number(),
  clauseId: z.string(),
  /** `set` directly, `proposed` by a drafter, `confirmed` or `declined` by a Co-Chair. */
  kind: z.enum(['set', 'proposed', 'confirmed', 'declined']),
  from: clauseStatusSchema,
  to: clauseStatusSchema,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  note: z.string().nullable(),
  at: z.string(),
});
export type StatusHistoryEntry = z.infer<typeof statusHistoryEntrySchema>;

/** Answer of `GET /api/documents/:id/clauses/:clauseId/history`, newest first. */
export const statusHistorySchema = z.object({ history: z.array(statusHistoryEntrySchema) });

/** Body of `PUT /api/documents/:id/clauses/:clauseId/status`. */
export const setStatusBodySchema = z.object({ status: clauseStatusSchema, note: note.optional() });

/** Answer of a status change: whether it was set, only proposed, or already so. */
export const setStatusResultSchema = z.object({
  outcome: z.enum(['set', 'proposed', 'unchanged', 'declined']),
  clause: clauseStatusRecordSchema,
});
export type SetStatusResult = z.infer<typeof setStatusResultSchema>;

/** Body of confirming or declining a proposal. */
export const proposalDecisionBodySchema = z.object({ note: note.optional() });

/** Body of `POST /api/documents/:id/changes/decisions`. */
export const changeDecisionBodySchema = z.object({
  decision: z.enum(['accept', 'reject']),
  changeIds: z.array(z.string().min(1).max(64)).min(1).max(1000),
  /** How the decider chose them (one change, all, all by an author, all in a clause), for the record. */
  scope: z.enum(['one', 'all', 'author', 'clause']).default('one'),
});
export type ChangeDecisionBody = z.infer<typeof changeDecisionBodySchema>;

/** A change as the server found it in its own copy of the text. */
export const recordedChangeSchema = z.object({
  changeId: z.string(),
  kind: z.enum(['insertion', 'deletion', 'replacement']),
  authorId: z.string().nullable(),
  authorName: z.string().nullable(),
  clauseIds: z.array(z.string()),
  inserted: z.string(),
  deleted: z.string(),
});

/** Answer of recording decisions: what was recorded, and requested ids the server did not find. */
export const changeDecisionResultSchema = z.object({
  recorded: z.array(recordedChangeSchema),
  missing: z.array(z.string()),
});
export type ChangeDecisionResult = z.infer<typeof changeDecisionResultSchema>;

const alternative = z.object({ alt: z.number().int().min(1).max(99).nullable(), text: z.string().max(10_000) });

/** Body of `POST /api/documents/:id/brackets/resolutions`: one bracket resolved by choosing wording. */
export const bracketResolutionBodySchema = z.object({
  clauseId: clauseIdSchema.nullable(),
  group: clauseIdSchema.nullable(),
  chosen: alternative,
  removed: z.array(alternative).max(50),
});
export type BracketResolutionBody = z.infer<typeof bracketResolutionBodySchema>;

/** Body of `PATCH /api/documents/:id/settings`: the policies to change. */
export const documentSettingsPatchSchema = z
  .object({
    requireSuggestingForDrafters: z.boolean().optional(),
    lockAgreedClauses: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'name at least one setting');

/** A flag raised by the server about an edit (agreed clause changed, forged attribution …). */
export const changeFlagSchema = z.object({
  id: z.number(),
  at: z.string(),
  action: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type ChangeFlag = z.infer<typeof changeFlagSchema>;

/** Answer of `GET /api/documents/:id/changes/flags`, newest first. */
export const changeFlagListSchema = z.object({ flags: z.array(changeFlagSchema) });

/** Audit actions that are flags raised by the collaboration server. */
export const flagActions = [
  'clause.agreed_edited',
  'change.forged_attribution',
  'change.unauthorised_decision',
  'change.unsuggested_edit',
] as const;
export type FlagAction = (typeof flagActions)[number];
