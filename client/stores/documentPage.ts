import { CloseCode } from '@shared/collab/protocol';
import type { Outline } from '@shared/numbering';
import { can, roleLabels } from '@shared/permissions';
import { BODY_FRAGMENT } from '@shared/schema';
import { Selection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import * as Y from 'yjs';
import { create } from 'zustand';
import { ApiError, api } from '../api/client';
import type { DocumentMeta } from '../api/schemas';
import { type PresenceEntry, presenceFromStates, samePresence } from '../collab/presence';
import { type ConnectionStatus, connectDocument, type DocumentConnection } from '../collab/provider';
import { computeSavedStatus, localStateVector, type SavedStatus } from '../collab/savedStatus';
import { navigate } from '../router';
import { useDocuments } from './documents';
import { useSession } from './session';

/** A message across the top of the document page. */
export interface Banner {
  kind: 'info' | 'warning' | 'error';
  text: string;
}

/** What the toolbar shows as active or available at the current selection. */
export interface EditorUiState {
  canUndo: boolean;
  canRedo: boolean;
  bold: boolean;
  italic: boolean;
  bracket: boolean;
  /** Id of the clause holding the selection's start, or null outside clauses. */
  clauseId: string | null;
  /** Id of the objective holding the selection's start, or null outside objectives. */
  objectiveId: string | null;
  /** The selection, as document positions (for features that act on it: comment, bracket …). */
  from: number;
  to: number;
}

/** The state of the open document page. The text itself is never here: it lives in the Y.Doc. */
export interface DocumentPageState {
  documentId: string | null;
  meta: DocumentMeta | null;
  status: 'loading' | 'ready' | 'notFound' | 'error';
  error: string | null;
  connection: ConnectionStatus;
  /** The server has synced with us at least once since the page opened. */
  synced: boolean;
  /** The shared text has content (from IndexedDB or the server), so the editor can be created. */
  hasContent: boolean;
  saved: SavedStatus;
  presence: PresenceEntry[];
  banner: Banner | null;
  outline: Outline | null;
  ui: EditorUiState;
}

const initialUi: EditorUiState = {
  canUndo: false,
  canRedo: false,
  bold: false,
  italic: false,
  bracket: false,
  clauseId: null,
  objectiveId: null,
  from: 0,
  to: 0,
};

function initialState(): DocumentPageState {
  return {
    documentId: null,
    meta: null,
    status: 'loading',
    error: null,
    connection: 'connecting',
    synced: false,
    hasContent: false,
    saved: 'offline',
    presence: [],
    banner: null,
    outline: null,
    ui: initialUi,
  };
}

/** The document page store. */
export const useDocumentPage = create<DocumentPageState>(() => initialState());

/** The live objects of the open document: owned here, outside React. */
export interface OpenDocument {
  documentId: string;
  ydoc: Y.Doc;
  connection: DocumentConnection;
}

let open: OpenDocument | null = null;
// Recomputes the open document's saved status (its inputs include the role, which arrives with the meta).
let refreshOpen: (() => void) | null = null;
let teardown: (() => void) | null = null;

/** The open document's Y.Doc and connection, or null when no document page is open. */
export function getOpenDocument(): OpenDocument | null {
  return open;
}

function set(partial: Partial<DocumentPageState>): void {
  useDocumentPage.setState(partial);
}

/**
 * Opens document `documentId`: fetches its meta and connects its shared text (IndexedDB first, then
 * the server). Closing the page must call {@link closeDocument}.
 */
export function openDocument(documentId: string): void {
  if (open?.documentId === documentId) return;
  closeDocument();
  useDocumentPage.setState({ ...initialState(), documentId }, true);

  const ydoc = new Y.Doc();
  const fragment = ydoc.getXmlFragment(BODY_FRAGMENT);
  let connected = false;

  const refreshSaved = () => {
    // The browser knows it is offline before a dead socket times out (which takes up to 30 s).
    const online = connected && navigator.onLine !== false;
    // A read-only connection's updates are refused and never acknowledged; it has nothing of its own to save.
    const readOnly = !can(useDocumentPage.getState().meta?.role, 'document.edit');
    const saved = computeSavedStatus({
      connected: online,
      local: localStateVector(ydoc),
      stored: connection.stored,
      unacknowledged: !readOnly && connection.hasUnacknowledged(),
    });
    if (useDocumentPage.getState().saved !== saved) set({ saved });
  };

  const connection = connectDocument(documentId, ydoc, {
    status: (status) => {
      connected = status === 'connected';
      set({ connection: status });
      refreshSaved();
    },
    synced: () => {
      const banner = useDocumentPage.getState().banner;
      set({ synced: true, banner: banner?.kind === 'error' ? banner : null });
      refreshSaved();
    },
    saved: refreshSaved,
    closed: (code) => onClosed(documentId, code),
    event: (event) => {
      for (const listener of eventListeners) listener(event);
    },
    signedOut: () => {
      useSession.getState().expired();
      navigate('/signin', { replace: true });
    },
    denied: () => leave('You no longer have access to this document.'),
  });

  const onUpdate = () => {
    if (!useDocumentPage.getState().hasContent && fragment.length > 0) set({ hasContent: true });
    refreshSaved();
  };
  ydoc.on('update', onUpdate);

  const awareness = connection.provider.awareness;
  const onAwareness = () => {
    const presence = presenceFromStates(awareness.getStates(), ydoc.clientID);
    if (!samePresence(presence, useDocumentPage.getState().presence)) set({ presence });
  };
  awareness.on('change', onAwareness);

  const onNetworkChange = () => {
    refreshSaved();
    // Back online: do not wait for the provider's backoff or its dead-socket watchdog.
    if (navigator.onLine && connection.provider.shouldConnect && !connection.provider.wsconnected) {
      connection.provider.connect();
    }
  };
  window.addEventListener('online', onNetworkChange);
  window.addEventListener('offline', onNetworkChange);

  refreshOpen = refreshSaved;
  open = { documentId, ydoc, connection };
  teardown = () => {
    refreshOpen = null;
    window.removeEventListener('online', onNetworkChange);
    window.removeEventListener('offline', onNetworkChange);
    if (outlineTimer) clearTimeout(outlineTimer);
    outlineTimer = null;
    pendingOutline = null;
    ydoc.off('update', onUpdate);
    awareness.off('change', onAwareness);
    connection.destroy();
    ydoc.destroy();
  };

  void loadMeta(documentId);
}

async function loadMeta(documentId: string): Promise<void> {
  try {
    const meta = await api.getDocument(documentId);
    if (open?.documentId !== documentId) return;
    set({ meta, status: 'ready', error: null });
    refreshOpen?.();
  } catch (error) {
    if (open?.documentId !== documentId) return;
    if (error instanceof ApiError && error.status === 401) {
      useSession.getState().expired();
      navigate('/signin', { replace: true });
    } else if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      set({
        status: 'notFound',
        error: 'This document does not exist, or you are not a member of its dialogue.',
      });
    } else if (useDocumentPage.getState().meta === null) {
      set({
        status: 'error',
        error: error instanceof Error ? error.message : 'The document could not be opened.',
      });
    }
  }
}

function onClosed(documentId: string, code: number): void {
  if (open?.documentId !== documentId) return;
  switch (code) {
    case CloseCode.accessRevoked:
      leave('Your access to this document was removed.');
      break;
    case CloseCode.notFound:
      leave('This document no longer exists.');
      break;
    case CloseCode.roleChanged:
      // The provider reconnects on its own; the new role decides how the editor is set up.
      set({ banner: { kind: 'info', text: 'Your role changed. Reconnecting with your new access…' } });
      void loadMeta(documentId).then(() => {
        const role = useDocumentPage.getState().meta?.role;
        if (role) set({ banner: { kind: 'info', text: `Your role is now ${roleLabels[role]}.` } });
      });
      break;
    case CloseCode.loadFailed:
      set({
        banner: {
          kind: 'warning',
          text: 'The server could not load this document. Retrying… Your changes are kept in this browser.',
        },
      });
      break;
    case CloseCode.protocolError:
      set({
        banner: {
          kind: 'error',
          text: 'The connection was refused because of an error. Please reload the page.',
        },
      });
      break;
    case CloseCode.flood:
      set({ banner: { kind: 'warning', text: 'Too many changes at once. Reconnecting…' } });
      break;
  }
}

function leave(message: string): void {
  useDocuments.setState({ notice: message });
  closeDocument();
  navigate('/', { replace: true });
}

/** Closes the open document: disconnects it and forgets its state. */
export function closeDocument(): void {
  // The view goes first: once the Y.Doc and awareness are torn down, a live view would be updated
  // from a dead binding. (React unmounts the page before the editor inside it.) Destroying twice is safe.
  editorView?.destroy();
  editorView = null;
  teardown?.();
  teardown = null;
  open = null;
}

/** Pushes the editor's outline and toolbar state into the store, the outline at most a few times a second. */
export function editorUpdated(outline: Outline | null, ui: EditorUiState): void {
  const state = useDocumentPage.getState();
  if (!sameUi(state.ui, ui)) set({ ui });
  if (state.outline === null && outline !== null) {
    set({ outline }); // The first outline shows at once.
  } else if (outline !== state.outline && outline !== pendingOutline) {
    pendingOutline = outline;
    if (outlineTimer === null) {
      // Trailing throttle: typing recomputes the outline on each key; the sidebar need not re-render as often.
      outlineTimer = setTimeout(() => {
        outlineTimer = null;
        set({ outline: pendingOutline });
      }, 200);
    }
  }
}

let pendingOutline: Outline | null = null;
let outlineTimer: ReturnType<typeof setTimeout> | null = null;

function sameUi(a: EditorUiState, b: EditorUiState): boolean {
  return (
    a.canUndo === b.canUndo &&
    a.canRedo === b.canRedo &&
    a.bold === b.bold &&
    a.italic === b.italic &&
    a.bracket === b.bracket &&
    a.clauseId === b.clauseId &&
    a.objectiveId === b.objectiveId &&
    a.from === b.from &&
    a.to === b.to
  );
}

let editorView: EditorView | null = null;

/** The editor view of the open document, or null (features use it to act on the text or the selection). */
export function getEditorView(): EditorView | null {
  return editorView && !editorView.isDestroyed ? editorView : null;
}

/** Tells the store which editor view shows the open document (null when it goes away). */
export function attachEditorView(view: EditorView | null): void {
  editorView = view;
}

/**
 * Scrolls the editor to the objective or clause starting at `pos`, puts the cursor in it and
 * briefly highlights it.
 */
export function revealPosition(pos: number): void {
  const view = editorView;
  if (!view || view.isDestroyed || pos < 0 || pos >= view.state.doc.content.size) return;
  const dom = view.nodeDOM(pos);
  view.dispatch(view.state.tr.setSelection(Selection.near(view.state.doc.resolve(pos + 1))));
  view.focus();
  if (dom instanceof HTMLElement) {
    dom.scrollIntoView({ block: 'center', behavior: 'smooth' });
    dom.classList.add('is-revealed');
    setTimeout(() => dom.classList.remove('is-revealed'), 1200);
  }
}

const eventListeners = new Set<(event: unknown) => void>();

/**
 * Subscribes to the open document's live events (message type 101: threads, statuses, versions …);
 * returns the unsubscribe function. Events are hints to refresh server records; validate before use.
 */
export function onDocumentEvent(listener: (event: unknown) => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}
