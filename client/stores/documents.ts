import { create } from 'zustand';
import { ApiError, api } from '../api/client';
import type { DocumentSummary } from '../api/schemas';
import { useSession } from './session';

/** The list of documents the signed-in user may read. */
export interface DocumentsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  items: DocumentSummary[];
  error: string | null;
  /** A one-time message for the list page (e.g. "Your access to this document was removed."). */
  notice: string | null;
  /** Fetches the list from the server. */
  load: () => Promise<void>;
  /** Hides the notice. */
  dismissNotice: () => void;
}

/** The documents list store. */
export const useDocuments = create<DocumentsState>((set) => ({
  status: 'idle',
  items: [],
  error: null,
  notice: null,
  load: async () => {
    set((s) => ({ status: s.items.length > 0 ? 'ready' : 'loading', error: null }));
    try {
      const items = await api.listDocuments();
      set({ status: 'ready', items, error: null });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        useSession.getState().expired();
        return;
      }
      set({
        status: 'error',
        error: error instanceof Error ? error.message : 'The documents could not be loaded.',
      });
    }
  },
  dismissNotice: () => set({ notice: null }),
}));
