import { can } from '@shared/permissions';
import { useEffect } from 'react';
import { AppHeader } from '../components/AppHeader';
import { EditorHost } from '../components/EditorHost';
import { ErrorBanner } from '../components/ErrorBanner';
import '../evidence/register';
import { Link } from '../components/Link';
import { Outline } from '../components/Outline';
import { PresenceList } from '../components/PresenceList';
import { RoleBadge } from '../components/RoleBadge';
import { SavedIndicator } from '../components/SavedIndicator';
import { ShortcutHelp } from '../components/ShortcutHelp';
import { SidePanelColumn, SidePanelTabs } from '../components/SidePanelColumn';
import { registerNegotiation } from '../negotiation/register';
import { startNegotiation, stopNegotiation } from '../stores/negotiation';
import { closeDocument, getOpenDocument, openDocument, useDocumentPage } from '../stores/documentPage';
import { closePanel, usePanels } from '../stores/panels';
import { useSession } from '../stores/session';
import { useVersionsSync } from '../stores/versions';
import '../panels/versions';

registerNegotiation();

/** One document: header with presence and saved status, the outline, and the editor. */
export function DocumentPage({ documentId }: { documentId: string }) {
  useEffect(() => {
    openDocument(documentId);
    startNegotiation(documentId);
    return () => {
      stopNegotiation();
      closeDocument();
      closePanel();
    };
  }, [documentId]);
  useVersionsSync(documentId);

  const user = useSession((s) => s.user);
  const meta = useDocumentPage((s) => s.meta);
  const status = useDocumentPage((s) => s.status);
  const error = useDocumentPage((s) => s.error);
  const hasContent = useDocumentPage((s) => s.hasContent);
  const synced = useDocumentPage((s) => s.synced);
  const banner = useDocumentPage((s) => s.banner);
  const connection = useDocumentPage((s) => s.connection);
  const pageDocumentId = useDocumentPage((s) => s.documentId);
  const panelOpen = usePanels((s) => s.active !== null);
  const open = getOpenDocument();

  useEffect(() => {
    if (meta) document.title = `${meta.title} — Accord`;
    return () => {
      document.title = 'Accord';
    };
  }, [meta]);

  if (status === 'notFound' || status === 'error') {
    return (
      <div className="page">
        <AppHeader />
        <main className="list-page">
          <div className="empty-state">
            <p>{error}</p>
            <Link href="/">Back to documents</Link>
          </div>
        </main>
      </div>
    );
  }

  const readOnly = meta ? !can(meta.role, 'document.edit') : true;
  const ready = meta && user && hasContent && open && pageDocumentId === documentId;

  return (
    <div className="page document-page">
      <AppHeader>
        <div className="doc-header">
          <Link href="/" className="back-link" aria-label="Back to documents">
            ← Documents
          </Link>
          <h1 className="doc-title" title={meta?.title}>
            {meta?.title ?? 'Loading…'}
          </h1>
          {meta && <RoleBadge role={meta.role} />}
          <div className="doc-header-end">
            <PresenceList />
            <SavedIndicator />
            <ShortcutHelp />
          </div>
        </div>
      </AppHeader>
      <nav className="doc-subbar" aria-label="Document panels">
        <SidePanelTabs role={meta?.role} />
      </nav>
      <ErrorBanner banner={banner} onDismiss={() => useDocumentPage.setState({ banner: null })} />
      <div className={panelOpen ? 'doc-layout has-panel' : 'doc-layout'}>
        <aside className="doc-sidebar">
          <h2 className="sidebar-heading">Outline</h2>
          <Outline />
        </aside>
        <main className="doc-main">
          {ready ? (
            <EditorHost
              key={`${documentId}:${meta.role}`}
              open={open}
              readOnly={readOnly}
              user={{ id: user.id, name: user.name, role: meta.role }}
            />
          ) : (
            <div className="editor-placeholder" data-testid="editor-loading">
              {synced && !hasContent
                ? 'This document has no text yet.'
                : connection === 'connected' || !synced
                  ? 'Loading the document…'
                  : 'Connecting…'}
            </div>
          )}
        </main>
        <SidePanelColumn role={meta?.role} />
      </div>
    </div>
  );
}
