import {
  type ApplyCancelBody,
  type ApplyConfirmBody,
  applyStartResponseSchema,
  type CarryBody,
  carryResponseSchema,
  type CreateThreadBody,
  type EditCommentBody,
  type Inbox,
  inboxSchema,
  type RangeAnchor,
  type ReplyBody,
  type Thread,
  type ThreadVisibility,
  threadListSchema,
  threadResponseSchema,
} from '@shared/api/threads';
import { z } from 'zod';
import { request } from '../api/client';

const doc = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}/threads`;
const one = (documentId: string, threadId: string) => `${doc(documentId)}/${encodeURIComponent(threadId)}`;
const comment = (documentId: string, threadId: string, commentId: string) =>
  `${one(documentId, threadId)}/comments/${encodeURIComponent(commentId)}`;

async function thread(promise: Promise<{ thread: Thread | null }>): Promise<Thread | null> {
  return (await promise).thread;
}

const markReadSchema = z.object({ marked: z.number(), unread: z.number() });

/** The comment threads and inbox API (docs/api.md, "Comment threads"); every answer is validated. */
export const threadsApi = {
  /** The live draft's threads, or (with a round id) that round's feedback. */
  list: async (documentId: string, roundId: string | null = null): Promise<Thread[]> =>
    (
      await request(
        'GET',
        roundId ? `${doc(documentId)}?roundId=${encodeURIComponent(roundId)}` : doc(documentId),
        threadListSchema,
      )
    ).threads,
  create: (documentId: string, body: CreateThreadBody) =>
    thread(request('POST', doc(documentId), threadResponseSchema, body)),
  reply: (documentId: string, threadId: string, body: ReplyBody) =>
    thread(request('POST', `${one(documentId, threadId)}/comments`, threadResponseSchema, body)),
  edit: (documentId: string, threadId: string, commentId: string, body: EditCommentBody) =>
    thread(request('PATCH', comment(documentId, threadId, commentId), threadResponseSchema, body)),
  remove: (documentId: string, threadId: string, commentId: string) =>
    thread(request('DELETE', comment(documentId, threadId, commentId), threadResponseSchema)),
  resolve: (documentId: string, threadId: string) =>
    thread(request('POST', `${one(documentId, threadId)}/resolve`, threadResponseSchema)),
  reopen: (documentId: string, threadId: string) =>
    thread(request('POST', `${one(documentId, threadId)}/reopen`, threadResponseSchema)),
  setVisibility: (documentId: string, threadId: string, visibility: ThreadVisibility) =>
    thread(request('PATCH', one(documentId, threadId), threadResponseSchema, { visibility })),
  /** Moves a range thread onto new words (after its proposed wording was applied). */
  move: (documentId: string, threadId: string, anchor: RangeAnchor) =>
    thread(request('PATCH', one(documentId, threadId), threadResponseSchema, { anchor })),
  /** Starts applying a comment's proposed wording: the change id granted, and its author (applyProposedWording.ts). */
  startApplying: (documentId: string, threadId: string, commentId: string) =>
    request('POST', `${comment(documentId, threadId, commentId)}/apply`, applyStartResponseSchema),
  /** Records the application once the change is in the text; the thread moves onto `anchor`. */
  confirmApplying: (documentId: string, threadId: string, commentId: string, body: ApplyConfirmBody) =>
    thread(request('POST', `${comment(documentId, threadId, commentId)}/apply/confirm`, threadResponseSchema, body)),
  /** Ends an application whose change the editor could not make (or took back), saying why. */
  cancelApplying: (documentId: string, threadId: string, commentId: string, body: ApplyCancelBody) =>
    thread(request('POST', `${comment(documentId, threadId, commentId)}/apply/cancel`, threadResponseSchema, body)),
  /** Carries a round's feedback thread to the live draft (a new live thread on the same clause). */
  carry: (documentId: string, threadId: string, body: CarryBody = {}) =>
    request('POST', `${one(documentId, threadId)}/carry`, carryResponseSchema, body),
  inbox: (dialogueId: string, unreadOnly = false): Promise<Inbox> =>
    request(
      'GET',
      `/api/inbox?dialogueId=${encodeURIComponent(dialogueId)}${unreadOnly ? '&unread=1' : ''}`,
      inboxSchema,
    ),
  markRead: (body: { dialogueId: string; ids?: string[]; threadId?: string; all?: boolean }) =>
    request('POST', '/api/inbox/read', markReadSchema, body),
};
