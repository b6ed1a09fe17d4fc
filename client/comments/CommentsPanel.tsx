import type { Anchor, Thread } from '@shared/api/threads';
import { anchorContextOf, createClauseAnchor, createRangeAnchor } from '@shared/comments/anchor';
import { canStartFeedback, canStartThread, type Role, roleLabels, roles } from '@shared/permissions';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { EditorView } from 'prosemirror-view';
import { formatDate } from '../components/versions/HashText';
import { displayKeys } from '../editor/keys';
import { anchorContextOfView } from '../editor/plugins/commentHighlights';
import { getOpenDocument } from '../stores/documentPage';
import { usePanels } from '../stores/panels';
import { useSession } from '../stores/session';
import { threadsApi } from './api';
import { Composer } from './Composer';
import { clauseOf, defaultFilters, inReadingOrder, matchesFilters, type Placement } from './filters';
import { type CommentSurface, liveSurface, useCommentSurface } from './surface';
import { mentionableFor, ThreadCard, type Viewer } from './ThreadCard';
import {
  cancelDraft,
  type Draft,
  type FeedbackScope,
  loadThreads,
  setActiveThread,
  setFilters,
  startDraft,
  upsertThread,
  useComments,
} from './store';

/** The shortcut that comments on the selection. */
export const COMMENT_SHORTCUT = 'Mod-Alt-m';

/** Clause numbers by clause id, from the outline of the text shown. */
function useClauseNumbers(surface: CommentSurface): Record<string, string> {
  const outline = surface.useOutline();
  return useMemo(() => {
    const numbers: Record<string, string> = {};
    for (const objective of outline?.objectives ?? []) {
      for (const clause of objective.clauses) if (clause.id) numbers[clause.id] = clause.number;
    }
    return numbers;
  }, [outline]);
}

function clauseNumberOf(clauseId: string | null, surface: CommentSurface): string | null {
  if (!clauseId) return null;
  for (const objective of surface.getOutline()?.objectives ?? []) {
    const clause = objective.clauses.find((c) => c.id === clauseId);
    if (clause) return clause.number;
  }
  return null;
}

/**
 * The selected range of the editor. The browser's selection is read directly when it lies in the
 * text: a shortcut pressed right after selecting may come before ProseMirror's selectionchange.
 */
function selectedRange(view: EditorView): { from: number; to: number } {
  const dom = window.getSelection();
  if (dom && !dom.isCollapsed && dom.anchorNode && dom.focusNode && view.dom.contains(dom.anchorNode) && view.dom.contains(dom.focusNode)) {
    try {
      const anchor = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
      const head = view.posAtDOM(dom.focusNode, dom.focusOffset);
      return { from: Math.min(anchor, head), to: Math.max(anchor, head) };
    } catch {
      // Not a position ProseMirror knows (a widget): fall back to its own selection.
    }
  }
  return view.state.selection;
}

/** Starts a thread on the current selection; returns a reason when there is none to comment on. */
export function startDraftOnSelection(surface: CommentSurface = liveSurface): string | null {
  const view = surface.getView();
  if (!view) return 'The text is still loading.';
  const { from, to } = selectedRange(view);
  if (from === to) return 'Select some text first, then comment on it.';
  const ctx = anchorContextOfView(view.state);
  const anchor = ctx && createRangeAnchor(ctx, from, to);
  if (!anchor) return 'The selection holds no text to comment on.';
  const clauseNumber = clauseNumberOf(anchor.clauseId, surface);
  startDraft({ anchor: { ...anchor, clauseNumber }, label: clauseNumber ? `Clause ${clauseNumber}` : 'Selected text' });
  return null;
}

/** Starts a thread on a whole clause. */
export function startDraftOnClause(clauseId: string, surface: CommentSurface = liveSurface): void {
  const view = surface.getView();
  const open = surface === liveSurface ? getOpenDocument() : null;
  const doc = view?.state.doc ?? (open ? anchorContextOf(open.ydoc).doc : null);
  const anchor = doc && createClauseAnchor(doc, clauseId);
  if (!anchor) return;
  const clauseNumber = clauseNumberOf(clauseId, surface);
  startDraft({ anchor: { ...anchor, clauseNumber }, label: clauseNumber ? `Clause ${clauseNumber}` : 'This clause' });
}

/** Starts a thread on the whole document. */
export function startDraftOnDocument(): void {
  startDraft({ anchor: { kind: 'document' }, label: 'Whole document' });
}

/** Whether `role` may start a thread here: on the live draft, or feedback in the round shown (while it is open). */
export function mayStartHere(role: Role | null | undefined, me: string | null, scope: FeedbackScope | null): boolean {
  if (!scope) return canStartThread(role, 'everyone');
  return scope.open && me !== null && canStartFeedback(role, { validator: scope.validatorIds.includes(me) });
}

function DraftComposer({ draft, viewer, scope }: { draft: Draft; viewer: Viewer; scope: FeedbackScope | null }) {
  const [visibility, setVisibility] = useState<'everyone' | 'internal'>('everyone');
  const anchor: Anchor = draft.anchor;
  const quote = anchor.kind === 'document' ? null : anchor.quote;
  return (
    <div className="thread-card is-draft" data-testid="thread-draft">
      <header className="thread-header">
        <span className="thread-place">New comment · {draft.label}</span>
      </header>
      {quote && <blockquote className="thread-quote">{quote.length > 240 ? `${quote.slice(0, 240)}…` : quote}</blockquote>}
      <Composer
        mentionable={mentionableFor({ visibility, versionId: scope?.versionId ?? null }, viewer)}
        members={viewer.members}
        allowWording={anchor.kind === 'range'}
        quote={quote ?? undefined}
        allowInternal={!scope && canStartThread(viewer.role, 'internal')}
        onVisibilityChange={setVisibility}
        placeholder={scope ? 'Your feedback… (type @ to mention)' : 'Comment… (type @ to mention)'}
        submitLabel={scope ? 'Give feedback' : 'Comment'}
        autoFocus
        testId="new-thread"
        onCancel={cancelDraft}
        onSubmit={async ({ body, proposedWording, visibility: chosen }) => {
          const thread = await threadsApi.create(viewer.documentId, {
            anchor,
            body,
            proposedWording,
            visibility: scope ? 'everyone' : chosen,
            ...(scope ? { roundId: scope.roundId } : {}),
          });
          cancelDraft();
          if (thread) {
            upsertThread(thread);
            setActiveThread(thread.id, true);
          }
        }}
      />
    </div>
  );
}

function Filters({ counts, surface }: { counts: { open: number; resolved: number }; surface: CommentSurface }) {
  const filters = useComments((s) => s.filters);
  const outline = surface.useOutline();
  const changed = JSON.stringify({ ...filters, status: 'open' }) !== JSON.stringify(defaultFilters);
  return (
    <div className="thread-filters" role="group" aria-label="Filter threads">
      <div className="segmented" role="radiogroup" aria-label="Status">
        {(['open', 'resolved', 'all'] as const).map((status) => (
          <button
            key={status}
            type="button"
            role="radio"
            aria-checked={filters.status === status}
            className={filters.status === status ? 'is-active' : undefined}
            onClick={() => setFilters({ status })}
            data-testid={`filter-${status}`}
          >
            {status === 'open' ? `Open ${counts.open}` : status === 'resolved' ? `Resolved ${counts.resolved}` : 'All'}
          </button>
        ))}
      </div>
      <div className="filter-row">
        <label>
          <input type="checkbox" checked={filters.mine} onChange={(e) => setFilters({ mine: e.target.checked })} /> Mine
        </label>
        <label>
          <input
            type="checkbox"
            checked={filters.mentioningMe}
            onChange={(e) => setFilters({ mentioningMe: e.target.checked })}
            data-testid="filter-mentions"
          />{' '}
          Mentioning me
        </label>
      </div>
      <div className="filter-row">
        <select
          aria-label="Started by role"
          value={filters.role ?? ''}
          onChange={(e) => setFilters({ role: roles.find((r) => r === e.target.value) ?? null })}
        >
          <option value="">Any role</option>
          {roles
            .filter((r) => r !== 'observer')
            .map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
        </select>
        <select
          aria-label="Objective"
          value={filters.objectiveId ?? ''}
          onChange={(e) => setFilters({ objectiveId: e.target.value || null })}
        >
          <option value="">Any objective</option>
          {outline?.objectives
            .filter((o) => o.id)
            .map((o) => (
              <option key={o.id} value={o.id as string}>
                {o.number}. {o.heading.trim().slice(0, 40) || 'Untitled objective'}
              </option>
            ))}
        </select>
        {changed && (
          <button type="button" className="link-button" onClick={() => setFilters({ ...defaultFilters, status: filters.status })}>
            Clear
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * Keeps the thread list beside the text, while the page scrolls and while the text is edited (here or
 * by a peer): the first thread whose words are in view is scrolled level with its words, as far as the
 * list can scroll. Edits move words without scrolling the page (a peer inserting clauses above), so a
 * change of placements re-aligns the list too.
 */
function useFollowText(
  list: React.RefObject<HTMLDivElement | null>,
  ordered: Thread[],
  placements: Record<string, Placement>,
  surface: CommentSurface,
) {
  const follow = useRef<() => void>(() => {});
  follow.current = () => {
    const container = list.current?.closest('.side-panel-body');
    const view = surface.getView();
    // Never move the list under the reader's pointer or while they type in it.
    if (!container || !view || container.matches(':hover') || container.contains(document.activeElement)) return;
    const top = 80;
    let wordsTop = 0;
    const target = ordered.find((thread) => {
      const placement = placements[thread.id];
      if (placement?.status !== 'anchored' || thread.anchor.kind === 'document') return false;
      try {
        const size = view.state.doc.content.size;
        if (view.coordsAtPos(Math.min(placement.to, size)).bottom < top) return false;
        wordsTop = view.coordsAtPos(Math.min(placement.from, size)).top;
        return true;
      } catch {
        return false;
      }
    });
    const card = target && container.querySelector<HTMLElement>(`[data-thread-id="${target.id}"]`);
    if (!card) return;
    const box = container.getBoundingClientRect();
    const offset = card.getBoundingClientRect().top - box.top + container.scrollTop;
    // Level with the words; words above the list's top (scrolled under the header) put the card at the top.
    const level = Math.max(wordsTop - box.top, 8);
    const wanted = Math.max(0, Math.round(offset - level));
    if (Math.abs(wanted - container.scrollTop) > 2) container.scrollTo({ top: wanted, behavior: 'smooth' });
  };

  // Scrolling, the editor resizing and placements moving all ask for one alignment per frame.
  const frame = useRef(0);
  const schedule = useRef(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      follow.current();
    });
  });
  useEffect(() => {
    const onScroll = schedule.current;
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      window.removeEventListener('scroll', onScroll);
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, []);

  // The text changed under the threads (placements moved, or the text grew or shrank above them, which
  // a remote update may do after its placements were taken): align again once the view has laid it out.
  useEffect(() => schedule.current(), [placements]);
  // Observed per editor view: a view made after the panel mounted is observed once it exists.
  const dom = surface.getView()?.dom;
  useEffect(() => {
    if (!dom || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(schedule.current);
    observer.observe(dom);
    return () => observer.disconnect();
  }, [dom]);
}

/**
 * The Comments side panel: start a thread (on the selection, a clause or the whole document), filter,
 * and read and answer threads in reading order, beside the text. Resolved threads collapse but stay
 * findable; threads on deleted text keep their quote.
 */
export function CommentsPanel() {
  const surface = useCommentSurface();
  const meta = surface.useMeta();
  const ui = surface.useSelection();
  const me = useSession((s) => s.user?.id ?? null);
  const { status, error, threads, placements, activeThreadId, revealTick, draft, filters, documentId, scope } = useComments();
  const focus = usePanels((s) => s.focus);
  const clauseNumbers = useClauseNumbers(surface);
  const list = useRef<HTMLDivElement>(null);
  const [showResolved, setShowResolved] = useState(false);
  const [hint, setHint] = useState<string | null>(null);

  const viewer: Viewer | null = useMemo(
    () =>
      meta && me && documentId
        ? {
            id: me,
            role: meta.role,
            documentId,
            members: meta.members,
            clauseNumbers,
            round: scope ? { validatorIds: scope.validatorIds, open: scope.open } : undefined,
          }
        : null,
    [meta, me, documentId, clauseNumbers, scope],
  );

  const ordered = useMemo(() => inReadingOrder(threads, placements), [threads, placements]);
  const counts = useMemo(
    () => ({ open: threads.filter((t) => t.status === 'open').length, resolved: threads.filter((t) => t.status === 'resolved').length }),
    [threads],
  );
  const shown = ordered.filter((t) => matchesFilters(t, placements[t.id], filters, me));
  const placed = shown.filter((t) => placements[t.id]?.status !== 'orphaned');
  const orphaned = shown.filter((t) => placements[t.id]?.status === 'orphaned');
  const resolvedHidden =
    filters.status === 'open'
      ? ordered.filter((t) => t.status === 'resolved' && matchesFilters(t, placements[t.id], { ...filters, status: 'resolved' }, me))
      : [];

  useFollowText(list, placed, placements, surface);

  // The panel was opened for a thread (a click in the text or the inbox) or a clause (the gutter).
  useEffect(() => {
    // Wait for the threads (opening from the inbox, or right after the page opened).
    if (!focus || status !== 'ready') return;
    if (focus.startsWith('c-')) {
      const first = ordered.find((t) => clauseOf(t, placements[t.id]) === focus);
      if (first) setActiveThread(first.id, true);
    } else if (threads.some((t) => t.id === focus)) {
      setActiveThread(focus, true);
    }
    usePanels.setState({ focus: null });
  }, [focus, ordered, placements, threads, status]);

  // Scroll the active thread into view when asked to (not when the cursor merely moves).
  useEffect(() => {
    if (!activeThreadId || revealTick === 0) return;
    const card = list.current?.querySelector<HTMLElement>(`[data-thread-id="${activeThreadId}"]`);
    card?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [activeThreadId, revealTick]);

  if (!viewer) return <p className="panel-empty">Loading…</p>;
  const mayComment = mayStartHere(viewer.role, me, scope);
  const hasSelection = ui.from !== ui.to;

  const card = (thread: Thread) => (
    <ThreadCard
      key={thread.id}
      thread={thread}
      placement={placements[thread.id]}
      active={thread.id === activeThreadId}
      viewer={viewer}
    />
  );

  return (
    <div className="comments-panel" ref={list} data-testid="comments-panel">
      {mayComment && !draft && (
        <div className="new-thread-actions">
          <button
            type="button"
            className="primary-button small"
            disabled={!hasSelection}
            title={`Comment on the selected text (${displayKeys(COMMENT_SHORTCUT)})`}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => setHint(startDraftOnSelection(surface))}
            data-testid="comment-selection"
          >
            Comment on selection
          </button>
          <button
            type="button"
            className="quiet-button small"
            disabled={!ui.clauseId}
            title="Comment on the whole clause holding the cursor"
            onClick={() => ui.clauseId && startDraftOnClause(ui.clauseId, surface)}
            data-testid="comment-clause"
          >
            Clause
          </button>
          <button type="button" className="quiet-button small" onClick={startDraftOnDocument} data-testid="comment-document">
            Whole document
          </button>
        </div>
      )}
      {hint && !draft && <p className="panel-hint">{hint}</p>}
      {scope && !scope.open && (
        <p className="panel-hint round-closed-note" data-testid="round-closed-note">
          This round closed on {formatDate(scope.closedAt ?? scope.closesAt)}: its feedback can be read, but nothing more can be
          added.
        </p>
      )}
      {draft && <DraftComposer draft={draft} viewer={viewer} scope={scope} />}
      <Filters counts={counts} surface={surface} />
      {status === 'loading' && (
        <p className="panel-empty" data-testid="threads-loading">
          Loading comments…
        </p>
      )}
      {status === 'error' && (
        <div className="panel-error" role="alert">
          <p>The comments could not be loaded: {error}</p>
          <button type="button" className="quiet-button small" onClick={() => void loadThreads(viewer.documentId)}>
            Try again
          </button>
        </div>
      )}
      {status === 'ready' && shown.length === 0 && (
        <div className="panel-empty" data-testid="threads-empty">
          {threads.length === 0 ? (
            <p>
              {scope ? 'No feedback yet.' : 'No comments yet.'}
              {mayComment &&
                (scope
                  ? ` Select words of the text and press ${displayKeys(COMMENT_SHORTCUT)}, or put the cursor in a clause and choose “Clause”.`
                  : ` Select text and press ${displayKeys(COMMENT_SHORTCUT)}, or use the + beside a clause.`)}
            </p>
          ) : (
            <p>No {filters.status === 'all' ? '' : `${filters.status} `}threads match these filters.</p>
          )}
        </div>
      )}
      <div className="thread-list">{placed.map(card)}</div>
      {orphaned.length > 0 && (
        <section className="thread-group" aria-label="On deleted text">
          <h3 className="thread-group-heading">On deleted text</h3>
          {orphaned.map(card)}
        </section>
      )}
      {resolvedHidden.length > 0 && (
        <section className="thread-group">
          <button
            type="button"
            className="thread-group-toggle"
            aria-expanded={showResolved}
            onClick={() => setShowResolved((s) => !s)}
            data-testid="toggle-resolved"
          >
            {showResolved ? '▾' : '▸'} Resolved ({resolvedHidden.length})
          </button>
          {showResolved && resolvedHidden.map(card)}
        </section>
      )}
    </div>
  );
}
