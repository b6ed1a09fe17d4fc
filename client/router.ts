import { create } from 'zustand';

/** A page of the app, decoded from the location path. */
export type Route =
  | { name: 'signin' }
  | { name: 'documents' }
  | { name: 'document'; documentId: string }
  | { name: 'evidence'; dialogueId: string }
  | { name: 'coverage'; documentId: string }
  | { name: 'notFound' };

/** Decodes a location path into a route. */
export function parseRoute(fullPath: string): Route {
  // `navigate` may carry a query string (`?report=…`); routes are decided by the path alone.
  const path = fullPath.split(/[?#]/)[0] ?? '';
  if (path === '/signin') return { name: 'signin' };
  const evidence = /^\/dialogues\/([^/]+)\/evidence\/?$/.exec(path);
  if (evidence?.[1]) {
    try {
      return { name: 'evidence', dialogueId: decodeURIComponent(evidence[1]) };
    } catch {
      return { name: 'notFound' };
    }
  }
  const coverage = /^\/documents\/([^/]+)\/coverage\/?$/.exec(path);
  if (coverage?.[1]) {
    try {
      return { name: 'coverage', documentId: decodeURIComponent(coverage[1]) };
    } catch {
      return { name: 'notFound' };
    }
  }
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
  if (path === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  useRouter.setState({ path });
}

/** The path of a document's page. */
export function documentPath(id: string): string {
  return `/documents/${encodeURIComponent(id)}`;
}
