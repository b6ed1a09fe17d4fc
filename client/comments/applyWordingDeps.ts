import { createRangeAnchor, resolveAnchor } from '@shared/comments/anchor';
import { anchorContextOfView } from '../editor/plugins/commentHighlights';
import { useDocumentPage } from '../stores/documentPage';
import { threadsApi } from './api';
import type { ApplyDeps } from './applyProposedWording';
import { upsertThread, useComments } from './store';

/** How long to wait for the server to store the editor's edits before confirming anyway. */
const STORED_TIMEOUT_MS = 10_000;

/** Resolves once the open document's saved indicator says "Saved" (false after `timeoutMs`). */
export function whenDocumentStored(timeoutMs = STORED_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    // Let the sync binding write the edit first, so the status has seen it.
    setTimeout(() => {
      if (useDocumentPage.getState().saved === 'saved') {
        resolve(true);
        return;
      }
      const timer = setTimeout(() => finish(false), timeoutMs);
      const unsubscribe = useDocumentPage.subscribe((s) => {
        if (s.saved === 'saved') finish(true);
      });
      function finish(stored: boolean) {
        clearTimeout(timer);
        unsubscribe();
        resolve(stored);
      }
    }, 0);
  });
}

/** How the document page does each step of applying proposed wording (see applyProposedWording.ts). */
export const pageApplyDeps: ApplyDeps = {
  api: threadsApi,
  locate: (view, thread) => {
    const ctx = anchorContextOfView(view.state);
    if (ctx) {
      const resolved = resolveAnchor(thread.anchor, ctx);
      return resolved.status === 'anchored' ? { from: resolved.from, to: resolved.to } : null;
    }
    const placement = useComments.getState().placements[thread.id];
    return placement?.status === 'anchored' ? { from: placement.from, to: placement.to } : null;
  },
  anchorFor: (view, from, to) => {
    const ctx = anchorContextOfView(view.state);
    return ctx && createRangeAnchor(ctx, from, to);
  },
  whenStored: () => whenDocumentStored(),
  pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  onThread: upsertThread,
};
