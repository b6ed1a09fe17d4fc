import { type Decision, decideChanges } from '@shared/changes';
import { ApiError } from '../api/client';
import { negotiationApi } from '../api/negotiation';
import { type BracketResolution, chooseAlternative } from '../editor/brackets';
import { getEditorView, useDocumentPage } from '../stores/documentPage';
import { notify } from '../stores/negotiation';

function message(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/**
 * Accepts or rejects changes. The decision is recorded first (the server checks the role and logs who
 * decided, for the changes it finds in its own copy of the text), then applied in the editor as one
 * text edit; nothing is changed when recording fails.
 */
export async function decide(
  ids: readonly string[],
  decision: Decision,
  scope: 'one' | 'all' | 'author' | 'clause',
): Promise<boolean> {
  const documentId = useDocumentPage.getState().documentId;
  const view = getEditorView();
  if (!documentId || !view || ids.length === 0) return false;
  try {
    const result = await negotiationApi.recordDecision(documentId, { decision, changeIds: [...ids], scope });
    const tr = decideChanges(view.state, result.recorded.map((r) => r.changeId), decision);
    if (tr) view.dispatch(tr);
    const n = result.recorded.length;
    const verb = decision === 'accept' ? 'Accepted' : 'Rejected';
    notify('info', `${verb} ${n} change${n === 1 ? '' : 's'}.${result.missing.length > 0 ? ` ${result.missing.length} had already been decided.` : ''}`);
    return true;
  } catch (error) {
    notify('error', message(error));
    return false;
  }
}

/** Resolves bracket `key` by choosing alternative `alt`: recorded on the server first, then applied. */
export async function resolveBracket(key: string, alt: number | null): Promise<boolean> {
  const documentId = useDocumentPage.getState().documentId;
  const view = getEditorView();
  if (!documentId || !view) return false;
  let resolution: BracketResolution | null = null;
  const state = view.state;
  let pending: Parameters<NonNullable<Parameters<ReturnType<typeof chooseAlternative>>[1]>>[0] | null = null;
  chooseAlternative(key, alt, (r) => (resolution = r))(state, (tr) => (pending = tr));
  if (!resolution || !pending) return false;
  try {
    await negotiationApi.recordBracketResolution(documentId, resolution);
  } catch (error) {
    notify('error', message(error));
    return false;
  }
  if (view.state === state) view.dispatch(pending);
  else chooseAlternative(key, alt)(view.state, view.dispatch);
  notify('info', 'Bracket resolved.');
  return true;
}

/**
 * Seam for comment threads (issue 3): opens a comment thread on a tracked change. Until threads
 * exist, it tells the user so; the lead wires this to the threads panel.
 */
export let openChangeThread: (change: { id: string; clauseId: string | null; from: number; to: number }) => void = () => {
  notify('info', 'Comment threads are not available yet.');
};

/** Lets the comment-threads feature take over {@link openChangeThread}. */
export function setOpenChangeThread(handler: typeof openChangeThread): void {
  openChangeThread = handler;
}
