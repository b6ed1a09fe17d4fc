import { lazy, Suspense, useEffect } from 'react';
import { DocumentsPage } from './pages/DocumentsPage';
import { SignInPage } from './pages/SignInPage';
import { navigate, parseRoute, useRouter } from './router';
import { useSession } from './stores/session';

// The editor (ProseMirror, Yjs, providers) is most of the code: load it only when a document is opened.
const DocumentPage = lazy(() => import('./pages/DocumentPage').then((m) => ({ default: m.DocumentPage })));
const EvidenceLibraryPage = lazy(() =>
  import('./pages/EvidenceLibraryPage').then((m) => ({ default: m.EvidenceLibraryPage })),
);
const CoveragePage = lazy(() => import('./pages/CoveragePage').then((m) => ({ default: m.CoveragePage })));
const VersionPage = lazy(() => import('./pages/VersionPage').then((m) => ({ default: m.VersionPage })));
const RoundsPage = lazy(() => import('./pages/RoundsPage').then((m) => ({ default: m.RoundsPage })));
const InvitationPage = lazy(() => import('./pages/InvitationPage').then((m) => ({ default: m.InvitationPage })));
const ComparePage = lazy(() => import('./pages/ComparePage').then((m) => ({ default: m.ComparePage })));

/** The app: checks the session once, then shows the page for the current path. */
export function App() {
  const path = useRouter((s) => s.path);
  const status = useSession((s) => s.status);
  const load = useSession((s) => s.load);
  const route = parseRoute(path);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    // An invitation link works signed out: accepting it creates the account.
    if (status === 'signedOut' && route.name !== 'signin' && route.name !== 'invitation') {
      navigate('/signin', { replace: true });
    }
    if (status === 'signedIn' && route.name === 'signin') navigate('/', { replace: true });
  }, [status, route.name]);

  if (status === 'unknown' || status === 'loading') {
    return <div className="splash">Loading…</div>;
  }
  if (route.name === 'invitation') {
    return (
      <Suspense fallback={<div className="splash">Opening the invitation…</div>}>
        <InvitationPage token={route.token} />
      </Suspense>
    );
  }
  if (route.name === 'signin' || status === 'signedOut') return <SignInPage />;
  if (route.name === 'document') {
    return (
      <Suspense fallback={<div className="splash">Opening the document…</div>}>
        <DocumentPage documentId={route.documentId} />
      </Suspense>
    );
  }
  if (route.name === 'evidence') {
    return (
      <Suspense fallback={<div className="splash">Opening the evidence library…</div>}>
        <EvidenceLibraryPage dialogueId={route.dialogueId} />
      </Suspense>
    );
  }
  if (route.name === 'coverage') {
    return (
      <Suspense fallback={<div className="splash">Opening the coverage view…</div>}>
        <CoveragePage documentId={route.documentId} />
      </Suspense>
    );
  }
  if (route.name === 'version') {
    return (
      <Suspense fallback={<div className="splash">Opening the version…</div>}>
        <VersionPage documentId={route.documentId} versionId={route.versionId} />
      </Suspense>
    );
  }
  if (route.name === 'compare') {
    return (
      <Suspense fallback={<div className="splash">Opening the comparison…</div>}>
        <ComparePage documentId={route.documentId} from={route.from} to={route.to} />
      </Suspense>
    );
  }
  if (route.name === 'rounds') {
    return (
      <Suspense fallback={<div className="splash">Opening the validation rounds…</div>}>
        <RoundsPage documentId={route.documentId} />
      </Suspense>
    );
  }
  if (route.name === 'documents') return <DocumentsPage />;
  return (
    <main className="list-page">
      <div className="empty-state">
        <p>There is no page here.</p>
        <a href="/">Back to documents</a>
      </div>
    </main>
  );
}
