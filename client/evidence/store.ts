import { type EvidenceLink, evidenceEventSchema } from '@shared/api/evidence';
import { create } from 'zustand';
import { evidenceApi } from '../api/evidence';
import { refreshGutters } from '../editor/plugins/clauseGutter';
import { onDocumentEvent, useDocumentPage } from '../stores/documentPage';
import { openPanel } from '../stores/panels';

/** Id of the evidence side panel (also its `#panel=` name). */
export const EVIDENCE_PANEL = 'evidence';

/** The evidence of the open document: its links by clause, kept live by the document's events. */
export interface EvidenceState {
  documentId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  links: EvidenceLink[];
  /** Links by clause id, newest first. */
  byClause: ReadonlyMap<string, EvidenceLink[]>;
  /** Grows whenever the dialogue's library changes, so that open searches and readers refresh. */
  libraryVersion: number;
  /** The last request to show a clause in the panel (a new object each time, even for the same clause). */
  focusRequest: { clauseId: string } | null;
}

/** The evidence store of the document page. */
export const useEvidence = create<EvidenceState>(() => ({
  documentId: null,
  status: 'idle',
  error: null,
  links: [],
  byClause: new Map(),
  libraryVersion: 0,
  focusRequest: null,
}));

/**
 * Opens the evidence panel on a clause (a gutter badge, a coverage row). Unlike `openPanel` alone,
 * asking again for the same clause after the cursor moved elsewhere shows it again.
 */
export function showClauseEvidence(clauseId: string): void {
  openPanel(EVIDENCE_PANEL, clauseId);
  useEvidence.setState({ focusRequest: { clauseId } });
}

function group(links: readonly EvidenceLink[]): Map<string, EvidenceLink[]> {
  const byClause = new Map<string, EvidenceLink[]>();
  for (const link of links) byClause.set(link.clauseId, [...(byClause.get(link.clauseId) ?? []), link]);
  return byClause;
}

let generation = 0;

/** Fetches the open document's links again (after an event, a reconnect or a change made here). */
export async function reloadLinks(): Promise<void> {
  const { documentId } = useEvidence.getState();
  if (!documentId) return;
  const mine = ++generation;
  if (useEvidence.getState().status !== 'ready') useEvidence.setState({ status: 'loading' });
  try {
    const links = await evidenceApi.links(documentId);
    // A newer load (or another document) won; drop this answer.
    if (mine !== generation || useEvidence.getState().documentId !== documentId) return;
    useEvidence.setState({ status: 'ready', error: null, links, byClause: group(links) });
    refreshGutters();
  } catch (error) {
    if (mine !== generation || useEvidence.getState().documentId !== documentId) return;
    // 403: the role may not see evidence (a validator); nothing to show, nothing to report.
    const message = error instanceof Error ? error.message : 'The evidence could not be loaded.';
    useEvidence.setState({ status: 'error', error: message });
  }
}

/** Puts a link the user just made or changed into the store at once (the event reloads anyway). */
export function upsertLink(link: EvidenceLink): void {
  const links = [link, ...useEvidence.getState().links.filter((l) => l.id !== link.id)];
  useEvidence.setState({ links, byClause: group(links) });
  refreshGutters();
}

/** Removes a link from the store at once. */
export function dropLink(linkId: string): void {
  const links = useEvidence.getState().links.filter((l) => l.id !== linkId);
  useEvidence.setState({ links, byClause: group(links) });
  refreshGutters();
}

/** Supporting and challenging links of a clause. */
export function clauseCounts(clauseId: string): { supports: number; challenges: number } {
  const links = useEvidence.getState().byClause.get(clauseId) ?? [];
  let supports = 0;
  for (const link of links) if (link.relation === 'supports') supports++;
  return { supports, challenges: links.length - supports };
}

/**
 * Follows the document page: loads the links when a document opens (and again when its connection
 * comes back, since events may have been missed), clears them when it closes, and reloads on the
 * evidence events of the open document.
 */
export function followDocumentPage(): () => void {
  let lastConnection = useDocumentPage.getState().connection;
  const unsubscribePage = useDocumentPage.subscribe((page) => {
    const current = useEvidence.getState().documentId;
    const reconnected = page.connection === 'connected' && lastConnection !== 'connected';
    lastConnection = page.connection;
    if (page.documentId !== current) {
      generation++;
      useEvidence.setState({ documentId: page.documentId, status: 'idle', error: null, links: [], byClause: new Map() });
      refreshGutters();
      if (page.documentId) void reloadLinks();
    } else if (reconnected && page.documentId) {
      void reloadLinks();
    }
  });
  const unsubscribeEvents = onDocumentEvent((raw) => {
    const parsed = evidenceEventSchema.safeParse(raw);
    if (!parsed.success || parsed.data.documentId !== useEvidence.getState().documentId) return;
    if (parsed.data.type === 'evidence.library_changed') {
      useEvidence.setState((s) => ({ libraryVersion: s.libraryVersion + 1 }));
      // A changed excerpt or report shows in the links' quotes and titles.
      if (parsed.data.change !== 'created') void reloadLinks();
    } else {
      void reloadLinks();
    }
  });
  return () => {
    unsubscribePage();
    unsubscribeEvents();
  };
}
