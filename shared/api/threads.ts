import { z } from 'zod';
import { roleSchema } from './documents';

/**
 * Wire types of comment threads (`/api/documents/:id/threads`) and of the mentions inbox
 * (`/api/inbox`). The server validates every request body with these schemas and the client every
 * response, so both sides agree on one definition.
 */

/** Longest comment body, in characters. */
export const MAX_COMMENT_LENGTH = 10_000;
/** Longest proposed wording, in characters. */
export const MAX_WORDING_LENGTH = 5_000;
/** Longest quote stored with an anchor (longer selections keep their first characters). */
export const MAX_QUOTE_LENGTH = 2_000;
/** Longest context stored on each side of a quoted range. */
export const MAX_CONTEXT_LENGTH = 64;

/** Who may see a thread: every member who can read the document, or only Secretariat and Co-Chairs. */
export const threadVisibilities = ['everyone', 'internal'] as const;
export type ThreadVisibility = (typeof threadVisibilities)[number];

/** Whether a thread still needs attention. */
export const threadStatuses = ['open', 'resolved'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];

const clauseIdSchema = z.string().regex(/^c-[A-Za-z0-9_-]{1,60}$/, 'must be a clause id such as "c-…"');
const objectiveIdSchema = z.string().regex(/^o-[A-Za-z0-9_-]{1,60}$/, 'must be an objective id such as "o-…"');
/** A Yjs relative position (`Y.encodeRelativePosition`) in base64. */
const relativePositionSchema = z
  .string()
  .max(1024, 'is too long for a position')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be a base64-encoded Yjs relative position');
/** A computed clause number as it was shown when the thread was made ("2.3", "4 bis.1"). */
const numberLabelSchema = z.string().max(32);

/** A thread on the whole document. */
export const documentAnchorSchema = z.object({ kind: z.literal('document') });

/** A thread on a whole clause, kept by its stable id; `quote` is the clause's text when commented. */
export const clauseAnchorSchema = z.object({
  kind: z.literal('clause'),
  clauseId: clauseIdSchema,
  objectiveId: objectiveIdSchema.nullable().default(null),
  quote: z.string().max(MAX_QUOTE_LENGTH).default(''),
  clauseNumber: numberLabelSchema.nullable().default(null),
});

/** A tracked change id as the editor makes them (`s-…`; the library's numeric ids as strings). */
export const changeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a tracked change id');

/**
 * The tracked change a range thread is on: opened on a change from the Changes panel, or the change
 * that applying the thread's proposed wording made. `decision` is written by the server when a
 * Co-Chair or the Secretariat accepts or rejects that change (clients cannot set it).
 */
export const threadChangeSchema = z.object({
  id: changeIdSchema,
  decision: z
    .object({
      outcome: z.enum(['accepted', 'rejected']),
      by: z.object({ id: z.string(), name: z.string() }),
      at: z.string(),
    })
    .nullable()
    .default(null),
});
export type ThreadChange = z.infer<typeof threadChangeSchema>;

/**
 * A thread on a range of text: Yjs relative positions into the `body` fragment (they follow edits),
 * with the quoted text and a little context on each side (to show the thread when its text is
 * deleted, and to find the text again when it was moved), and the clause it was in.
 */
export const rangeAnchorSchema = z.object({
  kind: z.literal('range'),
  from: relativePositionSchema,
  to: relativePositionSchema,
  quote: z.string().min(1, 'the commented text must not be empty').max(MAX_QUOTE_LENGTH),
  prefix: z.string().max(MAX_CONTEXT_LENGTH).default(''),
  suffix: z.string().max(MAX_CONTEXT_LENGTH).default(''),
  clauseId: clauseIdSchema.nullable().default(null),
  objectiveId: objectiveIdSchema.nullable().default(null),
  clauseNumber: numberLabelSchema.nullable().default(null),
  /** The tracked change the range is on, if any (see {@link threadChangeSchema}). */
  change: threadChangeSchema.optional(),
});

/** Where a thread is anchored: a text range, a whole clause, or the whole document. */
export const anchorSchema = z.discriminatedUnion('kind', [
  documentAnchorSchema,
  clauseAnchorSchema,
  rangeAnchorSchema,
]);
export type Anchor = z.infer<typeof anchorSchema>;
export type RangeAnchor = z.infer<typeof rangeAnchorSchema>;
export type ClauseAnchor = z.infer<typeof clauseAnchorSchema>;
export type AnchorKind = Anchor['kind'];

/** A member as a comment shows them: their name now, and the role they had when they wrote. */
export const personSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema.nullable(),
});
export type Person = z.infer<typeof personSchema>;

/** One comment of a thread. A deleted comment keeps its place (and author) with an empty body. */
export const commentSchema = z.object({
  id: z.string(),
  threadId: z.string(),
  author: personSchema,
  /** Plain text; mentions are `<@userId>` tokens (see shared/comments/mentions.ts). */
  body: z.string(),
  /** Member ids mentioned in the body. */
  mentions: z.array(z.string()),
  /** "Replace the commented text with …"; null when the comment proposes nothing. */
  proposedWording: z.string().nullable(),
  /** Who applied the proposed wording to the text, and when; null while not applied. */
  applied: z.object({ by: personSchema, at: z.string() }).nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deleted: z.boolean(),
});
export type Comment = z.infer<typeof commentSchema>;

/** A feedback thread's move to the live draft: the live thread it became, who carried it, when. */
export const carriedToSchema = z.object({ threadId: z.string(), by: personSchema, at: z.string() });
export type CarriedTo = z.infer<typeof carriedToSchema>;

/** Where a live thread carried from a round's feedback came from, and whose feedback it was. */
export const carriedFromSchema = z.object({
  threadId: z.string(),
  roundId: z.string(),
  roundTitle: z.string(),
  versionId: z.string(),
  versionLabel: z.string(),
  /** The validator who gave the feedback, with their country or organisation. */
  author: personSchema.extend({ affiliation: z.string().nullable() }),
  /** When the feedback was given. */
  givenAt: z.string(),
});
export type CarriedFrom = z.infer<typeof carriedFromSchema>;

/** A thread with all its comments, oldest first. */
export const threadSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  /** The frozen version the thread is on (feedback of a validation round), or null for the live draft. */
  versionId: z.string().nullable(),
  /** The validation round whose feedback the thread is; null on the live draft. */
  roundId: z.string().nullable().optional(),
  /** Feedback only: the live thread it was carried to, once carried. */
  carriedTo: carriedToSchema.nullable().optional(),
  /** Live threads only: the round feedback this thread was carried from. */
  carriedFrom: carriedFromSchema.nullable().optional(),
  anchor: anchorSchema,
  visibility: z.enum(threadVisibilities),
  status: z.enum(threadStatuses),
  createdBy: personSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedBy: personSchema.nullable(),
  resolvedAt: z.string().nullable(),
  comments: z.array(commentSchema),
});
export type Thread = z.infer<typeof threadSchema>;

const bodySchema = z.string().max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`);
const wordingSchema = z
  .string()
  .max(MAX_WORDING_LENGTH, `must be at most ${MAX_WORDING_LENGTH} characters`)
  .nullable()
  .default(null);

/** A comment needs words, or proposed wording (which may be empty: "delete this"). */
function hasContent(value: { body: string; proposedWording: string | null }): boolean {
  return value.body.trim().length > 0 || value.proposedWording !== null;
}
const emptyComment = { message: 'a comment needs a body or proposed wording', path: ['body'] };

/**
 * Body of `POST /api/documents/:id/threads`: the anchor, who may see it, and the first comment; with
 * `roundId`, feedback on the round's frozen version (anchored into the version's text).
 */
export const createThreadBodySchema = z
  .object({
    roundId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a round id').optional(),
    anchor: anchorSchema,
    visibility: z.enum(threadVisibilities).default('everyone'),
    body: bodySchema,
    proposedWording: wordingSchema,
  })
  .strict()
  .refine(hasContent, emptyComment)
  .refine((v) => v.proposedWording === null || v.anchor.kind === 'range', {
    message: 'proposed wording replaces commented text, so it needs a thread on a text range',
    path: ['proposedWording'],
  });
export type CreateThreadBody = z.input<typeof createThreadBodySchema>;

/** Body of `POST …/threads/:threadId/comments`: a reply. */
export const replyBodySchema = z
  .object({ body: bodySchema, proposedWording: wordingSchema })
  .strict()
  .refine(hasContent, emptyComment);
export type ReplyBody = z.input<typeof replyBodySchema>;

/** Body of `PATCH …/comments/:commentId`: the author's new text (and wording, unless applied). */
export const editCommentBodySchema = replyBodySchema;
export type EditCommentBody = z.input<typeof editCommentBodySchema>;

/**
 * Body of `PATCH …/threads/:threadId`: who may see the thread, and/or a new range for a range thread
 * (set by the client that applied the thread's proposed wording, so the thread stays on the new words).
 */
export const updateThreadBodySchema = z
  .object({ visibility: z.enum(threadVisibilities).optional(), anchor: rangeAnchorSchema.optional() })
  .strict()
  .refine((v) => v.visibility !== undefined || v.anchor !== undefined, {
    message: 'name what to change: visibility or anchor',
    path: ['visibility'],
  });
export type UpdateThreadBody = z.input<typeof updateThreadBodySchema>;

/**
 * What applying proposed wording makes: the tracked change id the server chose and granted, and the
 * member it is attributed to (the comment's author). Part of the answer of `POST …/apply`.
 */
export const wordingApplicationSchema = z.object({
  changeId: changeIdSchema,
  author: z.object({ id: z.string(), name: z.string() }),
  wording: z.string(),
  /** Until when the grant and the reservation hold (confirm or cancel before then). */
  expiresAt: z.string(),
});
export type WordingApplication = z.infer<typeof wordingApplicationSchema>;

/** Answer of `POST …/comments/:commentId/apply`. */
export const applyStartResponseSchema = z.object({ thread: threadSchema, application: wordingApplicationSchema });

/**
 * Body of `POST …/comments/:commentId/apply/confirm`: the change the editor made, and (for a thread
 * on a text range) the range of that change, which the thread moves onto.
 */
export const applyConfirmBodySchema = z
  .object({ changeId: changeIdSchema, anchor: rangeAnchorSchema.optional() })
  .strict();
export type ApplyConfirmBody = z.input<typeof applyConfirmBodySchema>;

/** Why the editor made no change (or took it back), as recorded by `POST …/apply/cancel`. */
export const applyCancelReasons = [
  /** The clause is agreed and locked for the applier. */
  'locked',
  /** The words hold a pending suggestion, which must be decided first. */
  'pending-change',
  /** Tracked changes cannot express this replacement. */
  'unsupported',
  /** The commented words are gone or moving. */
  'text-gone',
  /** The change was made but could not be recorded, and was withdrawn. */
  'not-recorded',
] as const;
export type ApplyCancelReason = (typeof applyCancelReasons)[number];

/** Body of `POST …/comments/:commentId/apply/cancel`. */
export const applyCancelBodySchema = z
  .object({ changeId: changeIdSchema, reason: z.enum(applyCancelReasons) })
  .strict();
export type ApplyCancelBody = z.input<typeof applyCancelBodySchema>;
/** Body of `POST …/threads/:threadId/carry`: an optional note of the drafter, put before the feedback. */
export const carryBodySchema = z
  .object({ note: z.string().max(2_000, 'must be at most 2000 characters').default('') })
  .strict();
export type CarryBody = z.input<typeof carryBodySchema>;

/** How a carried thread landed in the live draft: on the same words, on the same clause, or on the whole document. */
export const carryPlacements = ['range', 'clause', 'document'] as const;
export type CarryPlacement = (typeof carryPlacements)[number];

/** Answer of carrying: the new live thread, the feedback thread (now marked carried), and where it landed. */
export const carryResponseSchema = z.object({
  thread: threadSchema,
  feedback: threadSchema,
  placement: z.enum(carryPlacements),
});

/** Answer of `GET /api/documents/:id/threads`. */
export const threadListSchema = z.object({ threads: z.array(threadSchema) });

/** Answer of every call that changes a thread: the thread as it now is (null once it is gone). */
export const threadResponseSchema = z.object({ thread: threadSchema.nullable() });

/** Live events about threads, pushed over the document socket (message type 101). */
export const threadEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thread.created'), documentId: z.string(), thread: threadSchema }),
  z.object({ type: z.literal('thread.updated'), documentId: z.string(), thread: threadSchema }),
  /** The thread is gone for this viewer: deleted, or made internal. */
  z.object({ type: z.literal('thread.removed'), documentId: z.string(), threadId: z.string() }),
  /** The receiving member's inbox changed (a mention or a reply to their thread). */
  z.object({ type: z.literal('inbox.changed'), documentId: z.string() }),
]);
export type ThreadEvent = z.infer<typeof threadEventSchema>;

/** Why an inbox item is there. */
export const inboxReasons = ['mention', 'reply'] as const;
export type InboxReason = (typeof inboxReasons)[number];

/** One entry of a member's inbox: a comment that mentions them or answers a thread they are in. */
export const inboxItemSchema = z.object({
  id: z.string(),
  reason: z.enum(inboxReasons),
  documentId: z.string(),
  documentTitle: z.string(),
  threadId: z.string(),
  commentId: z.string(),
  /** Feedback of a validation round: the version and round it is on (null for the live draft). */
  versionId: z.string().nullable().optional(),
  roundId: z.string().nullable().optional(),
  author: personSchema,
  /** The start of the comment (mention tokens kept, for rendering with names). */
  excerpt: z.string(),
  /** What the thread is on, e.g. "Clause 2.3" or "Whole document". */
  anchorLabel: z.string(),
  threadStatus: z.enum(threadStatuses),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

/** Answer of `GET /api/inbox`. */
export const inboxSchema = z.object({
  items: z.array(inboxItemSchema),
  unread: z.number().int().nonnegative(),
  nextBefore: z.string().nullable(),
});
export type Inbox = z.infer<typeof inboxSchema>;

/** Query of `GET /api/inbox`. */
export const inboxQuerySchema = z.object({
  dialogueId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a dialogue id'),
  unread: z.enum(['0', '1']).default('0'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `createdAt|id` of the last item of the previous page. */
  before: z.string().max(200).optional(),
});

/** Body of `POST /api/inbox/read`: some items, or everything of a dialogue (optionally of one thread). */
export const markReadBodySchema = z
  .object({
    dialogueId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a dialogue id'),
    ids: z.array(z.string().max(64)).max(500).optional(),
    threadId: z.string().max(64).optional(),
    all: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.ids !== undefined || v.threadId !== undefined || v.all === true, {
    message: 'name the items (ids), a thread (threadId), or pass all: true',
    path: ['ids'],
  });
