import type { VersionDetail } from '@shared/api/versions';
import { can } from '@shared/permissions';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../api/client';
import { type Round, roundsApi } from '../api/rounds';
import type { DocumentMeta } from '../api/schemas';
import { contentFileUrl, versionsApi } from '../api/versions';
import { COMMENT_SHORTCUT, CommentsPanel, mayStartHere, startDraftOnSelection } from '../comments/CommentsPanel';
import { type FeedbackScope, loadThreads, resetComments, setActiveThread, updateScope, useComments } from '../comments/store';
import { CommentSurfaceContext } from '../comments/surface';
import { AppHeader } from '../components/AppHeader';
import { ErrorBanner } from '../components/ErrorBanner';
import { Link } from '../components/Link';
import { ExportDialog } from '../components/versions/ExportDialog';
import { FeedbackText } from '../components/versions/FeedbackText';
import { FrozenText } from '../components/versions/FrozenText';
import { formatDate, HashText } from '../components/versions/HashText';
import { displayKeys } from '../editor/keys';
import { comparePath, documentPath, feedbackPath, navigate, roundsPath, useRouter } from '../router';
import { openPanel } from '../stores/panels';
import { useSession } from '../stores/session';
import { resetVersionText, versionSurface } from '../stores/versionText';

type Loaded =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; meta: DocumentMeta; detail: VersionDetail; rounds: Round[] };

/** How often the feedback of an open page is fetched again (validators have no live socket). */
const REFRESH_MS = 20_000;

/** The rounds on this version whose feedback the viewer reads: as their validator, or as one who processes feedback. */
function feedbackRounds(meta: DocumentMeta, rounds: readonly Round[], versionId: string): Round[] {
  const onVersion = rounds.filter((r) => r.versionId === versionId);
  // A validator's list holds only the rounds they validate.
  return can(meta.role, 'round.readFeedback') || !can(meta.role, 'document.readLive') ? onVersion : [];
}

/** A round as the comments store holds it, with who validates it. */
async function scopeOf(documentId: string, round: Round): Promise<FeedbackScope> {
  const detail = await roundsApi.get(documentId, round.id);
  const r = detail.round;
  return {
    roundId: r.id,
    versionId: r.versionId,
    title: r.title,
    // The date may pass while the page is open: the server answers 409 then, the page says so already.
    open: r.open && Date.parse(r.closesAt) > Date.now(),
    closesAt: r.closesAt,
    closedAt: r.closedAt,
    validatorIds: detail.validators.map((v) => v.userId),
  };
}

/** The feedback column: which round, whether it is open, and its threads beside the text. */
function FeedbackColumn({
  documentId,
  meta,
  rounds,
  round,
}: {
  documentId: string;
  meta: DocumentMeta;
  rounds: Round[];
  round: Round;
}) {
  const scope = useComments((s) => s.scope);
  const me = useSession((s) => s.user?.id ?? null);
  const validator = me !== null && (scope?.validatorIds.includes(me) ?? false);
  return (
    <aside className="side-panel feedback-column" aria-label="Feedback" data-testid="feedback-panel">
      <header className="side-panel-header">
        <h2 className="sidebar-heading">Feedback</h2>
        {can(meta.role, 'round.readFeedback') && (
          <Link href={`${roundsPath(documentId)}#round-${round.id}`} className="feedback-report-link">
            Report
          </Link>
        )}
      </header>
      <div className="round-bar">
        {rounds.length > 1 ? (
          <label>
            <span className="visually-hidden">Validation round</span>
            <select
              value={round.id}
              onChange={(e) => navigate(feedbackPath(documentId, round.versionId, e.target.value), { replace: true })}
              data-testid="round-select"
            >
              {rounds.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <strong data-testid="round-title">{round.title}</strong>
        )}
        <span className={scope?.open ? 'change-badge is-added' : 'change-badge'} data-testid="round-state">
          {scope ? (scope.open ? `Open until ${formatDate(scope.closesAt)}` : `Closed ${formatDate(scope.closedAt ?? scope.closesAt)}`) : '…'}
        </span>
        {scope?.open && validator && (
          <p className="muted round-help">
            Select words and press {displayKeys(COMMENT_SHORTCUT)} (or “Comment on selection”), or put the cursor in a clause and
            choose “Clause”. The Secretariat, Co-Chairs and drafters read your feedback; so do the other validators of this round.
          </p>
        )}
      </div>
      <div className="side-panel-body">
        <CommentsPanel />
      </div>
    </aside>
  );
}

/**
 * One frozen version, read-only, rendered as it was frozen, with its provenance and hash. Beside the
 * text, the feedback of a validation round on this version: its validators give it (while the round
 * is open), the Secretariat, Co-Chairs and drafters read it, answer it and carry it to the live draft.
 */
export function VersionPage({ documentId, versionId }: { documentId: string; versionId: string }) {
  const [state, setState] = useState<Loaded>({ status: 'loading' });
  const [exporting, setExporting] = useState(false);
  const [frozenState, setFrozenState] = useState<Uint8Array | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const path = useRouter((s) => s.path);
  const query = useMemo(() => new URLSearchParams(path.split('?')[1] ?? ''), [path]);
  const wantedRound = query.get('round');
  const wantedThread = query.get('thread');
  const me = useSession((s) => s.user?.id ?? null);

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    Promise.all([api.getDocument(documentId), versionsApi.get(documentId, versionId)])
      .then(async ([meta, detail]) => {
        const rounds = await roundsApi.list(documentId).catch(() => [] as Round[]);
        if (live) setState({ status: 'ready', meta, detail, rounds });
      })
      .catch((error: unknown) => {
        if (!live) return;
        const message =
          error instanceof ApiError && error.status === 404
            ? 'This version does not exist, or you are not a member of its dialogue.'
            : error instanceof ApiError && error.status === 403
              ? 'You may read only the version of your validation round.'
              : error instanceof Error
                ? error.message
                : 'The version could not be opened.';
        setState({ status: 'error', message });
      });
    return () => {
      live = false;
    };
  }, [documentId, versionId]);

  useEffect(() => {
    if (state.status === 'ready') document.title = `${state.detail.version.label} — ${state.meta.title} — Accord`;
    return () => {
      document.title = 'Accord';
    };
  }, [state]);

  const readable = state.status === 'ready' ? feedbackRounds(state.meta, state.rounds, versionId) : [];
  const round = readable.find((r) => r.id === wantedRound) ?? readable[0] ?? null;
  const meta = state.status === 'ready' ? state.meta : null;

  // The text with Yjs, once a round's feedback is to be shown beside it.
  useEffect(() => {
    if (!round) return;
    let live = true;
    versionsApi
      .state(documentId, versionId)
      .then((bytes) => live && setFrozenState(bytes))
      .catch(() => live && setHint('The feedback could not be opened: the version’s text did not load. Reload the page to try again.'));
    return () => {
      live = false;
    };
  }, [documentId, versionId, round]);

  // The round's feedback in the comments store; fetched again every little while and on focus.
  const roundId = round?.id ?? null;
  const refresh = useCallback(
    async (first: boolean) => {
      if (!round) return;
      try {
        const scope = await scopeOf(documentId, round);
        if (first) resetComments(documentId, scope);
        else updateScope(scope);
        await loadThreads(documentId);
      } catch (error) {
        if (first) setHint(error instanceof Error ? error.message : 'The feedback could not be loaded.');
      }
    },
    // The round object is replaced on each load; its id is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [documentId, roundId],
  );
  useEffect(() => {
    if (!roundId || !meta) return;
    resetVersionText(meta);
    void refresh(true);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh(false);
    }, REFRESH_MS);
    const onFocus = () => void refresh(false);
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      resetComments(null);
      resetVersionText();
    };
  }, [roundId, meta, refresh]);

  // Opened on one thread (from the report, an inbox entry or a carried thread's link).
  const status = useComments((s) => s.status);
  useEffect(() => {
    if (wantedThread && status === 'ready' && useComments.getState().threads.some((t) => t.id === wantedThread)) {
      openPanel('comments', wantedThread);
      setActiveThread(wantedThread, true);
    }
  }, [wantedThread, status]);

  // Mod-Alt-m gives feedback on the selected words, as on the live draft.
  const scope = useComments((s) => s.scope);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const isMac = /Mac|iP(hone|[oa]d)/.test(navigator.platform);
      const mod = isMac ? event.metaKey : event.ctrlKey;
      if (!(mod && event.altKey && !event.shiftKey && event.code === 'KeyM')) return;
      if (!meta || !mayStartHere(meta.role, me, scope)) return;
      event.preventDefault();
      setHint(startDraftOnSelection(versionSurface));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [meta, me, scope]);

  if (state.status !== 'ready') {
    return (
      <div className="page">
        <AppHeader />
        <main className="list-page">
          <div className="empty-state">
            <p>{state.status === 'loading' ? 'Opening the version…' : state.message}</p>
            <Link href="/">Back to documents</Link>
          </div>
        </main>
      </div>
    );
  }
  const { detail } = state;
  const { version, content } = detail;
  const withFeedback = round !== null;
  return (
    <div className="page version-page">
      <AppHeader>
        <div className="doc-header">
          {can(state.meta.role, 'document.readLive') ? (
            <Link href={documentPath(documentId)} className="back-link">
              ← Live draft
            </Link>
          ) : (
            <Link href={roundsPath(documentId)} className="back-link">
              ← Validation rounds
            </Link>
          )}
          <h1 className="doc-title">
            {state.meta.title} — <span data-testid="version-label">{version.label}</span>
          </h1>
          <span className="frozen-badge">Frozen · read-only</span>
        </div>
      </AppHeader>
      <ErrorBanner banner={hint ? { kind: 'info', text: hint } : null} onDismiss={() => setHint(null)} />
      <div className={withFeedback ? 'version-layout has-feedback' : 'version-layout'}>
        <main className="version-main">
          <section className="provenance-card" aria-label="About this version">
            <dl>
              <dt>Version</dt>
              <dd>
                {version.label}
                {version.meeting ? ` — ${version.meeting}` : ''}
              </dd>
              <dt>Frozen</dt>
              <dd>
                {formatDate(version.frozenAt)}
                {version.frozenBy.name ? ` by ${version.frozenBy.name}` : ''}
              </dd>
              {version.note && (
                <>
                  <dt>Note</dt>
                  <dd>{version.note}</dd>
                </>
              )}
              <dt>SHA-256</dt>
              <dd>
                <HashText hash={version.hash} full />
              </dd>
            </dl>
            <p className="muted">
              The SHA-256 covers this version's text, numbering, clause statuses, open threads and who froze it when.
              Anyone holding the <a href={contentFileUrl(documentId, version.id)} download>content file</a> can check it is
              the text tabled: <code>sha256sum</code> on the file prints this same value (see “Check a version file” in the
              Versions panel, or <code>npm run verify-version</code>).
            </p>
            <div className="version-links">
              {can(state.meta.role, 'document.readLive') && (
                <Link href={comparePath(documentId, version.id, 'live')}>Compare with live draft</Link>
              )}
              <button type="button" className="link-button" onClick={() => setExporting(true)} data-testid="version-export">
                Export…
              </button>
            </div>
            {exporting && (
              <ExportDialog documentId={documentId} versionId={version.id} label={version.label} onClose={() => setExporting(false)} />
            )}
          </section>
          {withFeedback && frozenState ? (
            <FeedbackText state={frozenState} numbering={content.numbering} />
          ) : (
            <FrozenText doc={content.doc} numbering={content.numbering} />
          )}
        </main>
        {withFeedback && (
          <CommentSurfaceContext.Provider value={versionSurface}>
            <FeedbackColumn documentId={documentId} meta={state.meta} rounds={readable} round={round} />
          </CommentSurfaceContext.Provider>
        )}
      </div>
    </div>
  );
}
