import type { Comment, Thread, ThreadChange } from '@shared/api/threads';
import { listChanges } from '@shared/changes';
import {
  can,
  canApplyWording,
  canChangeVisibility,
  canDeleteComment,
  canEditComment,
  canReply,
  canResolve,
  canSeeThread,
  type Role,
  type RoundFacts,
  roleColors,
  roleLabels,
} from '@shared/permissions';
import { type CSSProperties, memo, useState } from 'react';
import type { Member } from '../api/schemas';
import { getEditorView, useDocumentPage } from '../stores/documentPage';
import { revealThreadInText } from '../editor/plugins/commentHighlights';
import { threadsApi } from './api';
import { ApplyWordingError, applyProposedWording, checkProposedWording } from './applyProposedWording';
import { pageApplyDeps } from './applyWordingDeps';
import { CarriedFromNote, CarriedToNote, CarryButton } from './Carried';
import { CommentBody, fullTime, timeAgo } from './CommentBody';
import { Composer } from './Composer';
import type { Placement } from './filters';
import { errorMessage, removeThread, setActiveThread, upsertThread } from './store';
import { useCommentSurface } from './surface';

/** What a card needs to know about who is looking. */
export interface Viewer {
  id: string;
  role: Role;
  documentId: string;
  members: readonly Member[];
  clauseNumbers: Readonly<Record<string, string>>;
  /** On a round's feedback: who validates the round, and whether it still takes feedback. */
  round?: { validatorIds: readonly string[]; open: boolean };
}

function facts(thread: Thread) {
  return { visibility: thread.visibility, createdBy: thread.createdBy.id, versionId: thread.versionId };
}

/** The viewer's relation to the round of a feedback thread (undefined on the live draft). */
function roundFacts(viewer: Viewer): RoundFacts | undefined {
  return viewer.round ? { validator: viewer.round.validatorIds.includes(viewer.id) } : undefined;
}

/** Whether the thread takes new comments and edits (feedback only while its round is open). */
function writable(viewer: Viewer): boolean {
  return viewer.round ? viewer.round.open : true;
}

/** "Clause 2.3", "Whole document" … for the place a thread is on. */
export function placeLabel(thread: Thread, placement: Placement | undefined, numbers: Readonly<Record<string, string>>): string {
  if (thread.anchor.kind === 'document') return 'Whole document';
  const clauseId = placement?.status === 'anchored' ? placement.clauseId : thread.anchor.clauseId;
  const number = (clauseId && numbers[clauseId]) ?? thread.anchor.clauseNumber;
  if (thread.anchor.kind === 'clause') return number ? `Clause ${number}` : 'A clause';
  return number ? `Clause ${number}` : 'Text';
}

function Author({ person, at, edited }: { person: Comment['author']; at: string; edited: string | null }) {
  const style = person.role ? ({ '--role-color': roleColors[person.role] } as CSSProperties) : undefined;
  return (
    <div className="comment-meta">
      <span className="comment-author" style={style}>
        {person.name}
      </span>
      {person.role && <span className="comment-role">{roleLabels[person.role]}</span>}
      <time dateTime={at} title={fullTime(at)}>
        {timeAgo(at)}
      </time>
      {edited && <span className="comment-edited" title={`Edited ${fullTime(edited)}`}>(edited)</span>}
    </div>
  );
}

/**
 * What a thread on a tracked change says about it: who suggested it and what, while it is pending;
 * who accepted or rejected it, once decided (its words then stay, or the thread is "on deleted text").
 */
function ChangeNote({ change }: { change: ThreadChange }) {
  // Redraw as the text changes (the change may arrive after the thread, or grow while its author types).
  useDocumentPage((s) => s.outline);
  if (change.decision) {
    const { outcome, by, at } = change.decision;
    return (
      <p className={`thread-change is-${outcome}`} data-testid="thread-change" data-outcome={outcome}>
        Suggestion {outcome} by {by.name}{' '}
        <time dateTime={at} title={fullTime(at)}>
          {timeAgo(at)}
        </time>
      </p>
    );
  }
  const view = getEditorView();
  const pending = view ? listChanges(view.state.doc).find((c) => c.id === change.id) : undefined;
  if (!pending) {
    return (
      <p className="thread-change" data-testid="thread-change" data-outcome="gone">
        On a suggestion that is no longer pending
      </p>
    );
  }
  return (
    <p className="thread-change is-pending" data-testid="thread-change" data-outcome="pending">
      On a suggestion by {pending.authorName ?? 'an unknown author'}:{' '}
      {pending.deleted && <del>{pending.deleted}</del>}
      {pending.deleted && pending.inserted && ' → '}
      {pending.inserted && <ins>{pending.inserted}</ins>}
    </p>
  );
}

function Wording({ thread, comment, viewer }: { thread: Thread; comment: Comment; viewer: Viewer }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (comment.proposedWording === null) return null;
  const quote = thread.anchor.kind === 'range' ? thread.anchor.quote : '';
  const apply = async () => {
    const view = getEditorView();
    setError(null);
    if (!view) {
      setError('The text is not open yet.');
      return;
    }
    try {
      const check = checkProposedWording(view, thread, pageApplyDeps);
      if (
        check.changedSinceQuote &&
        !window.confirm(`The text was edited since this was proposed. It now reads:\n\n“${check.current}”\n\nReplace it anyway?`)
      ) {
        return;
      }
      setBusy(true);
      await applyProposedWording(view, viewer.documentId, thread, comment, pageApplyDeps);
    } catch (err) {
      setError(err instanceof ApplyWordingError ? err.message : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="proposed-wording" data-testid="proposed-wording">
      <div className="proposed-wording-label">Proposed wording</div>
      {quote && <del className="proposed-old">{quote}</del>}
      <ins className="proposed-new">{comment.proposedWording === '' ? '(delete the text)' : comment.proposedWording}</ins>
      {comment.applied ? (
        <p className="proposed-applied" data-testid="wording-applied">
          Applied by {comment.applied.by.name} {timeAgo(comment.applied.at)} · proposed by {comment.author.name}
        </p>
      ) : (
        canApplyWording(viewer.role, facts(thread)) &&
        thread.status === 'open' && (
          <button type="button" className="primary-button small" disabled={busy} onClick={() => void apply()} data-testid="apply-wording">
            {busy ? 'Applying…' : 'Apply to the text'}
          </button>
        )
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function CommentItem({ thread, comment, viewer }: { thread: Thread; comment: Comment; viewer: Viewer }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (comment.deleted) {
    return (
      <li className="comment is-deleted" data-testid="comment-deleted">
        Comment deleted
      </li>
    );
  }
  const commentFacts = { authorId: comment.author.id, deleted: false };
  const mayEdit = writable(viewer) && canEditComment(viewer.role, viewer.id, facts(thread), commentFacts, roundFacts(viewer));
  const mayDelete =
    (writable(viewer) || can(viewer.role, 'thread.moderate')) &&
    canDeleteComment(viewer.role, viewer.id, facts(thread), commentFacts, roundFacts(viewer));
  const remove = async () => {
    const whose = comment.author.id === viewer.id ? 'your comment' : `${comment.author.name}’s comment`;
    if (!window.confirm(`Delete ${whose}? This cannot be undone.`)) return;
    try {
      const updated = await threadsApi.remove(viewer.documentId, thread.id, comment.id);
      if (updated) upsertThread(updated);
      else removeThread(thread.id);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <li className="comment" data-testid="comment" data-comment-id={comment.id}>
      <Author person={comment.author} at={comment.createdAt} edited={comment.editedAt} />
      {editing ? (
        <Composer
          mentionable={mentionableFor(thread, viewer)}
          members={viewer.members}
          initialBody={comment.body}
          initialWording={comment.applied ? undefined : comment.proposedWording}
          allowWording={thread.anchor.kind === 'range' && !comment.applied}
          quote={thread.anchor.kind === 'range' ? thread.anchor.quote : undefined}
          placeholder="Edit your comment"
          submitLabel="Save"
          autoFocus
          testId="edit-composer"
          onCancel={() => setEditing(false)}
          onSubmit={async ({ body, proposedWording }) => {
            const updated = await threadsApi.edit(viewer.documentId, thread.id, comment.id, {
              body,
              proposedWording: comment.applied ? comment.proposedWording : proposedWording,
            });
            if (updated) upsertThread(updated);
            setEditing(false);
          }}
        />
      ) : (
        <>
          {comment.body && <CommentBody body={comment.body} members={viewer.members} me={viewer.id} />}
          <Wording thread={thread} comment={comment} viewer={viewer} />
          {(mayEdit || mayDelete) && (
            <div className="comment-actions">
              {mayEdit && (
                <button type="button" className="link-button" onClick={() => setEditing(true)}>
                  Edit
                </button>
              )}
              {mayDelete && (
                <button type="button" className="link-button danger" onClick={() => void remove()} data-testid="delete-comment">
                  Delete
                </button>
              )}
            </div>
          )}
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** The members who may be mentioned in `thread`: those who can see it, but not oneself. */
export function mentionableFor(thread: Pick<Thread, 'visibility' | 'versionId'>, viewer: Viewer): Member[] {
  return viewer.members.filter(
    (m) =>
      m.userId !== viewer.id &&
      canSeeThread(
        m.role,
        { visibility: thread.visibility, versionId: thread.versionId, createdBy: '' },
        viewer.round ? { validator: viewer.round.validatorIds.includes(m.userId) } : undefined,
      ),
  );
}

/**
 * One thread in the comments panel: where it is (or the quote of its deleted text), its comments,
 * proposed wording, and what the viewer may do with it. A resolved thread is collapsed to one line
 * until opened.
 */
export const ThreadCard = memo(ThreadCardView, (a, b) => {
  // Placements are recomputed as the text changes; a card redraws only when its own place changed.
  const samePlace =
    a.placement === b.placement ||
    (a.placement?.status === b.placement?.status && placeLabelKey(a.placement) === placeLabelKey(b.placement));
  return a.thread === b.thread && a.active === b.active && a.viewer === b.viewer && samePlace;
});

function placeLabelKey(placement: Placement | undefined): string {
  return placement?.status === 'anchored' ? `${placement.clauseId}` : (placement?.status ?? '');
}

function ThreadCardView({
  thread,
  placement,
  active,
  viewer,
}: {
  thread: Thread;
  placement: Placement | undefined;
  active: boolean;
  viewer: Viewer;
}) {
  const [expanded, setExpanded] = useState(false);
  const [replying, setReplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const surface = useCommentSurface();
  const orphaned = placement?.status === 'orphaned';
  const collapsed = thread.status === 'resolved' && !expanded && !active;
  const first = thread.comments.find((c) => !c.deleted) ?? thread.comments[0];
  const quote = thread.anchor.kind === 'document' ? null : thread.anchor.quote;
  const label = placeLabel(thread, placement, viewer.clauseNumbers);

  const select = () => {
    setActiveThread(thread.id);
    const view = surface.getView();
    if (view) revealThreadInText(view, thread.id);
  };
  const act = async (call: () => Promise<Thread | null>) => {
    setError(null);
    try {
      const updated = await call();
      if (updated) upsertThread(updated);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const className = ['thread-card', active && 'is-active', thread.status === 'resolved' && 'is-resolved', orphaned && 'is-orphaned']
    .filter(Boolean)
    .join(' ');

  if (collapsed) {
    return (
      <article className={className} data-testid="thread" data-thread-id={thread.id} data-status={thread.status}>
        <button type="button" className="thread-collapsed" onClick={() => setExpanded(true)} aria-expanded={false}>
          <span className="thread-place">{label}</span>
          <span className="thread-summary">{first?.deleted ? 'Comment deleted' : first?.body.replace(/<@[^>]+>/g, '@…')}</span>
          <span className="thread-resolved-by">
            Resolved{thread.resolvedBy ? ` by ${thread.resolvedBy.name}` : ''} · {thread.comments.length}{' '}
            {thread.comments.length === 1 ? 'comment' : 'comments'}
          </span>
        </button>
      </article>
    );
  }

  return (
    <article className={className} data-testid="thread" data-thread-id={thread.id} data-status={thread.status}>
      <header className="thread-header">
        <button type="button" className="thread-place-button" onClick={select} title="Show in the text" data-testid="thread-jump">
          <span className="thread-place">{label}</span>
          {orphaned && (
            <span className="thread-orphaned" data-testid="thread-orphaned">
              On deleted text
            </span>
          )}
        </button>
        {thread.visibility === 'internal' && (
          <span className="thread-internal" title="Seen by Secretariat and Co-Chairs only">
            Internal
          </span>
        )}
        {thread.status === 'resolved' && (
          <button type="button" className="thread-resolved-chip" onClick={() => setExpanded(false)} title="Collapse">
            Resolved{thread.resolvedBy ? ` by ${thread.resolvedBy.name}` : ''}
          </button>
        )}
      </header>
      {thread.carriedFrom && <CarriedFromNote thread={thread} viewer={viewer} />}
      {quote && (
        <blockquote className={orphaned ? 'thread-quote is-deleted' : 'thread-quote'} onClick={select}>
          {quote.length > 240 ? `${quote.slice(0, 240)}…` : quote}
        </blockquote>
      )}
      {thread.anchor.kind === 'range' && thread.anchor.change && <ChangeNote change={thread.anchor.change} />}
      <ol className="comments">
        {thread.comments.map((comment) => (
          <CommentItem key={comment.id} thread={thread} comment={comment} viewer={viewer} />
        ))}
      </ol>
      {replying ? (
        <Composer
          mentionable={mentionableFor(thread, viewer)}
          members={viewer.members}
          allowWording={thread.anchor.kind === 'range'}
          quote={quote ?? undefined}
          placeholder="Reply… (type @ to mention)"
          submitLabel="Reply"
          autoFocus
          testId="reply-composer"
          onCancel={() => setReplying(false)}
          onSubmit={async ({ body, proposedWording }) => {
            const updated = await threadsApi.reply(viewer.documentId, thread.id, { body, proposedWording });
            if (updated) upsertThread(updated);
            setReplying(false);
          }}
        />
      ) : (
        <footer className="thread-actions">
          {writable(viewer) && canReply(viewer.role, facts(thread), roundFacts(viewer)) && (
            <button type="button" className="quiet-button small" onClick={() => setReplying(true)} data-testid="reply">
              Reply
            </button>
          )}
          {canResolve(viewer.role, viewer.id, facts(thread), roundFacts(viewer)) &&
            (thread.status === 'open' ? (
              <button
                type="button"
                className="quiet-button small"
                onClick={() => void act(() => threadsApi.resolve(viewer.documentId, thread.id))}
                data-testid="resolve"
              >
                Resolve
              </button>
            ) : (
              <button
                type="button"
                className="quiet-button small"
                onClick={() => void act(() => threadsApi.reopen(viewer.documentId, thread.id))}
                data-testid="reopen"
              >
                Reopen
              </button>
            ))}
          {canChangeVisibility(viewer.role, facts(thread)) && (
            <button
              type="button"
              className="link-button"
              onClick={() =>
                void act(() =>
                  threadsApi.setVisibility(viewer.documentId, thread.id, thread.visibility === 'internal' ? 'everyone' : 'internal'),
                )
              }
            >
              {thread.visibility === 'internal' ? 'Show to everyone' : 'Make internal'}
            </button>
          )}
          {thread.versionId !== null && !thread.carriedTo && <CarryButton thread={thread} viewer={viewer} />}
        </footer>
      )}
      {thread.carriedTo && <CarriedToNote thread={thread} viewer={viewer} />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
