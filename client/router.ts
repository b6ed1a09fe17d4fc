import { create } from 'zustand';

/** A page of the app, decoded from the location path. */
export type Route =
  | { name: 'signin' }
  | { name: 'documents' }
  | { name: 'document'; documentId: string }
  | { name: 'notFound' };

/** Decodes a location path into a route. */
export function parseRoute(path: string): Route {
  if (path === '/signin') return { name: 'signin' };
  if (path === '/' || path === '') return { name: 'documents' };
  const match = /^\/documents\/([^/]+)\/?$/.exec(path);
  if (match?.[1]) {
    try {
      return { name: 'document', documentId: decodeURIComponent(match[1]) };
    } catch {
      return { name: 'notFound' };
    }
  }
  return { name: 'notFound' };
}

interface RouterState {
  path: string;
}

/** The current location path; changes on `navigate` and on the browser's back and forward. */
export const useRouter = create<RouterState>(() => ({ path: window.location.pathname }));

window.addEventListener('popstate', () => useRouter.setState({ path: window.location.pathname }));

/** Goes to `path` in the app, adding a history entry (or replacing the current one). */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  useRouter.setState({ path });
}

/** The path of a document's page. */
export function documentPath(id: string): string {
  return `/documents/${encodeURIComponent(id)}`;
}
