import { create } from 'zustand';
import { ApiError, api } from '../api/client';
import type { User } from '../api/schemas';

/** Who is signed in, as far as the client knows. */
export interface SessionState {
  status: 'unknown' | 'loading' | 'signedIn' | 'signedOut';
  user: User | null;
  /** Why the session could not be checked (the server was unreachable), if so. */
  loadError: string | null;
  /** Asks the server who is signed in. */
  load: () => Promise<void>;
  /** Signs in; throws an `ApiError` (401 bad credentials, 429 rate-limited …) on failure. */
  signIn: (email: string, password: string) => Promise<User>;
  /** Signs out on the server, then forgets the user. */
  signOut: () => Promise<void>;
  /** Forgets the user because the server said the session is gone. */
  expired: () => void;
}

/** The session store. */
export const useSession = create<SessionState>((set, get) => ({
  status: 'unknown',
  user: null,
  loadError: null,
  load: async () => {
    if (get().status === 'loading') return;
    set({ status: 'loading' });
    try {
      const user = await api.getSession();
      set({ status: 'signedIn', user });
    } catch (error) {
      // Whatever the failure, the sign-in page is where the user can recover; say why if it was the network.
      const loadError = error instanceof ApiError && error.status === 0 ? error.message : null;
      set({ status: 'signedOut', user: null, loadError });
    }
  },
  signIn: async (email, password) => {
    const user = await api.signIn(email, password);
    set({ status: 'signedIn', user, loadError: null });
    return user;
  },
  signOut: async () => {
    try {
      await api.signOut();
    } finally {
      set({ status: 'signedOut', user: null });
    }
  },
  expired: () => set({ status: 'signedOut', user: null }),
}));
