import { create } from 'zustand';

/** A page of the app, decoded from the location path. */
export type Route =
  | { name: 'signin' }
  | { name: 'documents' }
  | { name: 'document'; documentId: string }
  | { name: 'evidence'; dialogueId: string }
  | { name: 'coverage'; documentId: string }
  | { name: 'version'; documentId: string; versionId: string }
  | { name: 'compare'; documentId: string; from: string | null; to: string | null }
  | { name: 'rounds'; documentId: string }
  | { name: 'invitation'; token: string }
  | { name: 'notFound' };

/** Decodes a location path (with its query and hash, if any) into a route. */
export function parseRoute(pathWithQuery: string): Route {
  const [beforeHash = ''] = pathWithQuery.split('#', 1);
  const [path = '', search = ''] = beforeHash.split('?', 2);
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
  const version = /^\/documents\/([^/]+)\/versions\/([^/]+)\/?$/.exec(path);
  const compare = /^\/documents\/([^/]+)\/compare\/?$/.exec(path);
  const rounds = /^\/documents\/([^/]+)\/rounds\/?$/.exec(path);
  const invitation = /^\/invitations\/([A-Za-z0-9_-]+)\/?$/.exec(path);
  try {
    if (invitation?.[1]) return { name: 'invitation', token: invitation[1] };
    if (rounds?.[1]) return { name: 'rounds', documentId: decodeURIComponent(rounds[1]) };
    if (version?.[1] && version[2]) {
      return { name: 'version', documentId: decodeURIComponent(version[1]), versionId: decodeURIComponent(version[2]) };
    }
    if (compare?.[1]) {
      const query = new URLSearchParams(search);
      return { name: 'compare', documentId: decodeURIComponent(compare[1]), from: query.get('from'), to: query.get('to') };
    }
  } catch {
    return { name: 'notFound' };
  }
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
  /** The location's path and query string ("/documents/x/compare?from=a&to=live"). */
  path: string;
}

/** The current location path; changes on `navigate` and on the browser's back and forward. */
export const useRouter = create<RouterState>(() => ({ path: currentPath() }));

/** The location's path and query. */
function currentPath(): string {
  return window.location.pathname + window.location.search;
}

window.addEventListener('popstate', () => useRouter.setState({ path: currentPath() }));

/** Goes to `path` in the app, adding a history entry (or replacing the current one). */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  if (path === currentPath()) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  useRouter.setState({ path });
}

/** The path of a version's read-only page. */
export function versionPath(documentId: string, versionId: string): string {
  return `/documents/${encodeURIComponent(documentId)}/versions/${encodeURIComponent(versionId)}`;
}

/** The path of a version's page showing a round's feedback, optionally opened on one thread. */
export function feedbackPath(documentId: string, versionId: string, roundId: string, threadId?: string): string {
  const query = new URLSearchParams({ round: roundId });
  if (threadId) query.set('thread', threadId);
  return `${versionPath(documentId, versionId)}?${query}`;
}

/** The path of the compare page of two texts (version ids, or "live"). */
export function comparePath(documentId: string, from: string, to: string): string {
  return `/documents/${encodeURIComponent(documentId)}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}

/** The path of a document's validation rounds. */
export function roundsPath(documentId: string): string {
  return `/documents/${encodeURIComponent(documentId)}/rounds`;
}

/** The path of a document's page. */
export function documentPath(id: string): string {
  return `/documents/${encodeURIComponent(id)}`;
}
