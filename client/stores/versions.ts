import type { NumberingAnswer, VersionSummary } from '@shared/api/versions';
import { useEffect } from 'react';
import { create } from 'zustand';
import { isUnauthorized } from '../api/client';
import { versionsApi } from '../api/versions';
import { onDocumentEvent } from './documentPage';
import { useSession } from './session';

/** The versions of the open document and how its live draft is numbered. */
export interface VersionsState {
  documentId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  items: VersionSummary[];
  error: string | null;
  numbering: NumberingAnswer | null;
}

/** The versions store of the document page. */
export const useVersions = create<VersionsState>(() => ({
  documentId: null,
  status: 'idle',
  items: [],
  error: null,
  numbering: null,
}));

/** Loads (or reloads) the timeline and the numbering of a document. */
export async function loadVersions(documentId: string): Promise<void> {
  const state = useVersions.getState();
  if (state.documentId !== documentId) {
    useVersions.setState({ documentId, status: 'loading', items: [], error: null, numbering: null });
  }
  try {
    const [items, numbering] = await Promise.all([versionsApi.list(documentId), versionsApi.numbering(documentId)]);
    if (useVersions.getState().documentId !== documentId) return;
    useVersions.setState({ status: 'ready', items, numbering, error: null });
  } catch (error) {
    if (useVersions.getState().documentId !== documentId) return;
    if (isUnauthorized(error)) {
      useSession.getState().expired();
      return;
    }
    useVersions.setState({
      status: 'error',
      error: error instanceof Error ? error.message : 'The versions could not be loaded.',
    });
  }
}

const versionEvents = new Set(['version.frozen', 'version.restored', 'version.numbering']);

/**
 * Keeps the versions store in step with the open document: loads it when the page opens, reloads it
 * when someone freezes, restores or changes the numbering (live events), forgets it on close.
 */
export function useVersionsSync(documentId: string): void {
  useEffect(() => {
    void loadVersions(documentId);
    const off = onDocumentEvent((event) => {
      const type = (event as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && versionEvents.has(type)) void loadVersions(documentId);
    });
    return () => {
      off();
      useVersions.setState({ documentId: null, status: 'idle', items: [], error: null, numbering: null });
    };
  }, [documentId]);
}
