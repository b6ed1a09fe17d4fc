import type { Anchor, InboxItem, Thread, ThreadEvent } from '@shared/api/threads';
import { threadEventSchema } from '@shared/api/threads';
import { create } from 'zustand';
import { ApiError } from '../api/client';
import { threadsApi } from './api';
import { defaultFilters, type OpenCounts, openCounts, type Placement, type ThreadFilters } from './filters';

/** A thread being written: where it will be anchored, and what to show of that place. */
export interface Draft {
  anchor: Anchor;
  /** "Clause 2.3", "Whole document", or the selected words. */
  label: string;
}

/**
 * The validation round whose feedback the store holds, when comments are on a frozen version (the
 * version page); null on the live draft.
 */
export interface FeedbackScope {
  roundId: string;
  versionId: string;
  title: string;
  /** Whether the round still takes feedback (closed by hand or by date: false). */
  open: boolean;
  closesAt: string;
  closedAt: string | null;
  /** Who validates the round (they may give feedback and be mentioned). */
  validatorIds: readonly string[];
}

/** The comment threads of the open document, and the member's inbox. Text never lives here. */
export interface CommentsState {
  documentId: string | null;
  /** Feedback of a round on a version, or null for the live draft's threads. */
  scope: FeedbackScope | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** Every thread the member may see, in creation order. */
  threads: Thread[];
  /** Where each thread sits in the text now (set by the highlight plugin). */
  placements: Record<string, Placement>;
  /** The thread selected in the panel or at the cursor. */
  activeThreadId: string | null;
  /** Bumped when the panel should scroll the active thread into view (a click in the text). */
  revealTick: number;
  draft: Draft | null;
  filters: ThreadFilters;
  /** The member's inbox for the document's dialogue. */
  inbox: { status: 'idle' | 'loading' | 'ready' | 'error'; items: InboxItem[]; unread: number; error: string | null };
}

function initial(): CommentsState {
  return {
    documentId: null,
    scope: null,
    status: 'idle',
    error: null,
    threads: [],
    placements: {},
    activeThreadId: null,
    revealTick: 0,
    draft: null,
    filters: defaultFilters,
    inbox: { status: 'idle', items: [], unread: 0, error: null },
  };
}

/** The comments store. */
export const useComments = create<CommentsState>(() => initial());

/** A sentence to show for a failed call. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** Forgets everything (another document or round opens, or none). */
export function resetComments(documentId: string | null, scope: FeedbackScope | null = null): void {
  useComments.setState({ ...initial(), documentId, scope }, true);
}

/** Updates what is known of the round (it closed, a validator joined) without dropping the threads. */
export function updateScope(scope: FeedbackScope): void {
  useComments.setState((s) => (s.scope?.roundId === scope.roundId ? { scope } : s));
}

/** The round id threads of the store belong to (null: the live draft). */
function scopeKey(scope: FeedbackScope | null): string | null {
  return scope?.roundId ?? null;
}

/**
 * Loads the threads of the open document (again: after a reconnect or a role change), or of the
 * round whose feedback the store holds.
 */
export async function loadThreads(documentId: string): Promise<void> {
  const state = useComments.getState();
  if (state.documentId !== documentId) resetComments(documentId);
  if (useComments.getState().threads.length === 0) useComments.setState({ status: 'loading', error: null });
  const roundId = scopeKey(useComments.getState().scope);
  try {
    const threads = await threadsApi.list(documentId, roundId);
    if (useComments.getState().documentId !== documentId || scopeKey(useComments.getState().scope) !== roundId) return;
    useComments.setState({ threads, status: 'ready', error: null });
  } catch (error) {
    if (useComments.getState().documentId !== documentId || scopeKey(useComments.getState().scope) !== roundId) return;
    useComments.setState({ status: 'error', error: errorMessage(error) });
  }
}

/** Puts a thread as the server now has it into the list (new or changed). */
export function upsertThread(thread: Thread): void {
  useComments.setState((s) => {
    // Only threads of the text shown: the live draft's, or the round's feedback on the version page.
    if (thread.documentId !== s.documentId || (thread.roundId ?? null) !== scopeKey(s.scope)) return s;
    const at = s.threads.findIndex((t) => t.id === thread.id);
    if (at < 0) return { threads: [...s.threads, thread] };
    // Live events and answers can cross: never replace a thread with an older copy of itself.
    if ((s.threads[at] as Thread).updatedAt > thread.updatedAt) return s;
    const threads = [...s.threads];
    threads[at] = thread;
    return { threads };
  });
}

/** Takes a thread out of the list (deleted, or no longer visible to this member). */
export function removeThread(threadId: string): void {
  useComments.setState((s) => ({
    threads: s.threads.filter((t) => t.id !== threadId),
    activeThreadId: s.activeThreadId === threadId ? null : s.activeThreadId,
  }));
}

/** Applies a live event of the document socket; other features' events are ignored. */
export function handleDocumentEvent(raw: unknown): ThreadEvent | null {
  const parsed = threadEventSchema.safeParse(raw);
  if (!parsed.success) return null;
  const event = parsed.data;
  // Events of the document socket are about the live draft.
  if (event.documentId !== useComments.getState().documentId || useComments.getState().scope !== null) return null;
  if (event.type === 'thread.created' || event.type === 'thread.updated') upsertThread(event.thread);
  else if (event.type === 'thread.removed') removeThread(event.threadId);
  return event;
}

/** Selects a thread; `reveal` asks the panel to scroll it into view. */
export function setActiveThread(threadId: string | null, reveal = false): void {
  useComments.setState((s) =>
    s.activeThreadId === threadId && !reveal
      ? s
      : { activeThreadId: threadId, revealTick: reveal ? s.revealTick + 1 : s.revealTick },
  );
}

/** Starts writing a new thread at `anchor`. */
export function startDraft(draft: Draft): void {
  useComments.setState({ draft, activeThreadId: null });
}

/** Drops the thread being written. */
export function cancelDraft(): void {
  useComments.setState({ draft: null });
}

/** Changes some filters. */
export function setFilters(partial: Partial<ThreadFilters>): void {
  useComments.setState((s) => ({ filters: { ...s.filters, ...partial } }));
}

/** Records where the highlight plugin placed each thread (only when something moved). */
export function setPlacements(placements: Record<string, Placement>): void {
  const current = useComments.getState().placements;
  const keys = Object.keys(placements);
  const same =
    keys.length === Object.keys(current).length &&
    keys.every((key) => JSON.stringify(placements[key]) === JSON.stringify(current[key]));
  if (!same) useComments.setState({ placements });
}

let countsCache: { threads: Thread[]; placements: Record<string, Placement>; counts: OpenCounts } | null = null;

/** Open threads per clause and objective, recomputed only when threads or placements change. */
export function selectOpenCounts(state: CommentsState): OpenCounts {
  if (countsCache?.threads !== state.threads || countsCache.placements !== state.placements) {
    countsCache = { threads: state.threads, placements: state.placements, counts: openCounts(state.threads, state.placements) };
  }
  return countsCache.counts;
}

/** Loads the member's inbox for `dialogueId`. */
export async function loadInbox(dialogueId: string): Promise<void> {
  useComments.setState((s) => ({ inbox: { ...s.inbox, status: s.inbox.items.length ? s.inbox.status : 'loading' } }));
  try {
    const inbox = await threadsApi.inbox(dialogueId);
    useComments.setState({ inbox: { status: 'ready', items: inbox.items, unread: inbox.unread, error: null } });
  } catch (error) {
    useComments.setState((s) => ({ inbox: { ...s.inbox, status: 'error', error: errorMessage(error) } }));
  }
}

/** Marks inbox entries read (some, one thread's, or all) and updates the unread count. */
export async function markInboxRead(
  dialogueId: string,
  which: { ids?: string[]; threadId?: string; all?: boolean },
): Promise<void> {
  const now = new Date().toISOString();
  useComments.setState((s) => ({
    inbox: {
      ...s.inbox,
      items: s.inbox.items.map((item) =>
        item.readAt === null &&
        (which.all || which.ids?.includes(item.id) || (which.threadId !== undefined && item.threadId === which.threadId))
          ? { ...item, readAt: now }
          : item,
      ),
    },
  }));
  try {
    const { unread } = await threadsApi.markRead({ dialogueId, ...which });
    useComments.setState((s) => ({ inbox: { ...s.inbox, unread } }));
  } catch {
    // The next load of the inbox shows the server's truth.
  }
}
