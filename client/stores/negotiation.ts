import { defaultDocumentSettings } from '@shared/api/documents';
import type { DocumentSettings } from '@shared/api/documents';
import {
  type ChangeFlag,
  type ClauseStatusRecord,
  clauseStatusRecordSchema,
  documentSettingsPatchSchema,
} from '@shared/api/negotiation';
import type { ClauseStatus } from '@shared/permissions';
import { z } from 'zod';
import { create } from 'zustand';
import { negotiationApi } from '../api/negotiation';
import { refreshGutters } from '../editor/plugins/clauseGutter';
import { onDocumentEvent, useDocumentPage } from './documentPage';
import { useSession } from './session';

/** How the editor treats typing: direct edits, tracked suggestions, or no edits at all. */
export type EditorMode = 'editing' | 'suggesting' | 'viewing';

/** What the text area shows: the live text with its changes, or a read-only preview. */
export type TextView = 'changes' | 'final' | 'original';

/** A flag the server raised, as shown to Co-Chairs. */
export type LiveFlag = Pick<ChangeFlag, 'action' | 'actorName' | 'at' | 'detail'> & { id: string };

/** The negotiation state of the open document: clause statuses, the editing mode, previews, flags. */
export interface NegotiationState {
  documentId: string | null;
  statuses: ReadonlyMap<string, ClauseStatusRecord>;
  statusesLoaded: boolean;
  statusError: string | null;
  mode: EditorMode;
  view: TextView;
  /** Settings pushed live after the page loaded (null: use the document meta's). */
  settings: DocumentSettings | null;
  flags: LiveFlag[];
  /** A short message after an action (accepted 3 changes, edit refused …). */
  notice: { kind: 'info' | 'error'; text: string } | null;
}

/** The negotiation store. */
export const useNegotiation = create<NegotiationState>(() => ({
  documentId: null,
  statuses: new Map(),
  statusesLoaded: false,
  statusError: null,
  mode: 'editing',
  view: 'changes',
  settings: null,
  flags: [],
  notice: null,
}));

/** The status of a clause (draft when it has no record). */
export function statusOf(clauseId: string): ClauseStatus {
  return useNegotiation.getState().statuses.get(clauseId)?.status ?? 'draft';
}

/** The document's settings as they are now (pushed live, else from the document meta). */
export function currentSettings(): DocumentSettings {
  return (
    useNegotiation.getState().settings ??
    useDocumentPage.getState().meta?.settings ?? defaultDocumentSettings
  );
}

/** Shows a short notice; it disappears after a few seconds. */
export function notify(kind: 'info' | 'error', text: string): void {
  useNegotiation.setState({ notice: { kind, text } });
  const notice = useNegotiation.getState().notice;
  setTimeout(() => {
    if (useNegotiation.getState().notice === notice) useNegotiation.setState({ notice: null });
  }, 6000);
}

/** Replaces one clause's record (after an API answer or a live event). */
export function putStatus(record: ClauseStatusRecord): void {
  const statuses = new Map(useNegotiation.getState().statuses);
  statuses.set(record.clauseId, record);
  useNegotiation.setState({ statuses });
  refreshGutters();
}

async function loadStatuses(documentId: string): Promise<void> {
  try {
    const list = await negotiationApi.statuses(documentId);
    if (useNegotiation.getState().documentId !== documentId) return;
    useNegotiation.setState({ statuses: new Map(list.map((r) => [r.clauseId, r])), statusesLoaded: true, statusError: null });
    refreshGutters();
  } catch (error) {
    if (useNegotiation.getState().documentId !== documentId) return;
    useNegotiation.setState({ statusError: error instanceof Error ? error.message : 'Statuses could not be loaded.' });
  }
}

const statusEvent = z.object({ type: z.literal('clause.status'), documentId: z.string(), clause: clauseStatusRecordSchema });
const settingsEvent = z.object({
  type: z.literal('document.settings'),
  documentId: z.string(),
  settings: documentSettingsPatchSchema.transform((s) => s),
});
const flagEvent = z.object({
  type: z.literal('change.flagged'),
  documentId: z.string(),
  auditId: z.number().nullable().optional(),
  action: z.string(),
  userName: z.string().optional(),
  clauses: z.array(z.string()).optional(),
});
const decidedEvent = z.object({
  type: z.literal('changes.decided'),
  documentId: z.string(),
  decision: z.enum(['accept', 'reject']),
  changeIds: z.array(z.string()),
  by: z.object({ id: z.string(), name: z.string() }),
});

let unsubscribe: (() => void) | null = null;
let reconnectTimer: ReturnType<typeof setInterval> | null = null;

/** Starts following the negotiation state of document `documentId` (statuses now, events live). */
export function startNegotiation(documentId: string): void {
  stopNegotiation();
  useNegotiation.setState({
    documentId,
    statuses: new Map(),
    statusesLoaded: false,
    statusError: null,
    view: 'changes',
    settings: null,
    flags: [],
    notice: null,
  });
  void loadStatuses(documentId);
  unsubscribe = onDocumentEvent((raw) => {
    const status = statusEvent.safeParse(raw);
    if (status.success && status.data.documentId === documentId) return putStatus(status.data.clause);
    const settings = settingsEvent.safeParse(raw);
    if (settings.success && settings.data.documentId === documentId) {
      useNegotiation.setState({ settings: { ...currentSettings(), ...settings.data.settings } });
      return;
    }
    const flag = flagEvent.safeParse(raw);
    if (flag.success && flag.data.documentId === documentId) {
      const entry: LiveFlag = {
        id: String(flag.data.auditId ?? Date.now()),
        action: flag.data.action,
        actorName: flag.data.userName ?? null,
        at: new Date().toISOString(),
        detail: { clauses: flag.data.clauses ?? [] },
      };
      useNegotiation.setState((s) => ({ flags: [entry, ...s.flags].slice(0, 50) }));
      return;
    }
    const decided = decidedEvent.safeParse(raw);
    if (decided.success && decided.data.documentId === documentId) {
      const n = decided.data.changeIds.length;
      // The decider already saw their own confirmation.
      if (decided.data.by.id === useSession.getState().user?.id) return;
      notify('info', `${decided.data.by.name} ${decided.data.decision === 'accept' ? 'accepted' : 'rejected'} ${n} change${n === 1 ? '' : 's'}.`);
    }
  });
  // Statuses changed while the socket was down are fetched again every minute as a safety net.
  reconnectTimer = setInterval(() => void loadStatuses(documentId), 60_000);
}

/** Stops following the document. */
export function stopNegotiation(): void {
  unsubscribe?.();
  unsubscribe = null;
  if (reconnectTimer) clearInterval(reconnectTimer);
  reconnectTimer = null;
}

/** Reloads the statuses now (after a reconnect, or on demand). */
export function reloadStatuses(): void {
  const documentId = useNegotiation.getState().documentId;
  if (documentId) void loadStatuses(documentId);
}
