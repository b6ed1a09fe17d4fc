import { openPanel } from '../stores/panels';
import { setActiveThread, useComments } from './store';

let pending: { documentId: string; threadId: string } | null = null;

/** Opens the comments panel on `threadId` once the threads of `documentId` have loaded (after navigating there). */
export function focusThreadWhenLoaded(documentId: string, threadId: string): void {
  pending = { documentId, threadId };
}

useComments.subscribe((s) => {
  if (!pending || s.status !== 'ready' || s.documentId !== pending.documentId) return;
  const { threadId } = pending;
  pending = null;
  if (s.threads.some((t) => t.id === threadId)) {
    openPanel('comments', threadId);
    setActiveThread(threadId, true);
  }
});
