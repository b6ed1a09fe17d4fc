import type { CarryPlacement, Thread } from '@shared/api/threads';
import { can, canCarryFeedback, canReadThreadsOn } from '@shared/permissions';
import { useState } from 'react';
import { documentPath, feedbackPath, navigate } from '../router';
import { threadsApi } from './api';
import { fullTime, timeAgo } from './CommentBody';
import { focusThreadWhenLoaded } from './focus';
import { errorMessage, upsertThread } from './store';
import type { Viewer } from './ThreadCard';

/** Where the threads carried from this page landed (to say so once the card shows them carried). */
const landed = new Map<string, { placement: CarryPlacement; clauseNumber: string | null }>();

function landedText(threadId: string): string | null {
  const where = landed.get(threadId);
  if (!where) return null;
  const clause = where.clauseNumber ? `clause ${where.clauseNumber}` : 'its clause';
  switch (where.placement) {
    case 'range':
      return `It is on ${clause}, on the same words.`;
    case 'clause':
      return `It is on ${clause}: the words it was about have changed since.`;
    case 'document':
      return 'It is on the whole text: the clause is no longer in the live draft.';
  }
}

/** Opens the live draft on thread `threadId`. */
function openLive(documentId: string, threadId: string): void {
  focusThreadWhenLoaded(documentId, threadId);
  navigate(documentPath(documentId));
}

/**
 * "Carry to the live draft" on a thread of feedback, for members who may edit: an optional note for
 * the drafters, then a new live thread on the same clause (on the same words where they still stand).
 */
export function CarryButton({ thread, viewer }: { thread: Thread; viewer: Viewer }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const facts = { visibility: thread.visibility, createdBy: thread.createdBy.id, versionId: thread.versionId };
  if (!canCarryFeedback(viewer.role, facts)) return null;
  if (!open) {
    return (
      <button
        type="button"
        className="quiet-button small"
        title="Start a thread on the same clause of the live draft, linked to this feedback"
        onClick={() => setOpen(true)}
        data-testid="carry"
      >
        Carry to live draft…
      </button>
    );
  }
  const carry = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await threadsApi.carry(viewer.documentId, thread.id, { note });
      const anchor = answer.thread.anchor;
      landed.set(thread.id, { placement: answer.placement, clauseNumber: anchor.kind === 'document' ? null : anchor.clauseNumber });
      upsertThread(answer.feedback);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <form
      className="carry-form"
      onSubmit={(event) => {
        event.preventDefault();
        void carry();
      }}
      data-testid="carry-form"
    >
      <label>
        Note for the drafters (optional)
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} autoFocus />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary-button small" disabled={busy} data-testid="carry-confirm">
          {busy ? 'Carrying…' : 'Carry to live draft'}
        </button>
        <button type="button" className="link-button" onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** On feedback that was carried: who carried it, when, and a way to the live thread. */
export function CarriedToNote({ thread, viewer }: { thread: Thread; viewer: Viewer }) {
  const carried = thread.carriedTo;
  if (!carried) return null;
  const where = landedText(thread.id);
  return (
    <p className="carried-note" data-testid="carried-to">
      <span className="carried-mark" aria-hidden="true">
        ↗
      </span>{' '}
      Carried to the live draft by {carried.by.name}{' '}
      <time dateTime={carried.at} title={fullTime(carried.at)}>
        {timeAgo(carried.at)}
      </time>
      .{where && ` ${where}`}{' '}
      {can(viewer.role, 'document.readLive') && (
        <button type="button" className="link-button" onClick={() => openLive(viewer.documentId, carried.threadId)} data-testid="open-carried">
          Open in the live draft
        </button>
      )}
    </p>
  );
}

/** On a live thread carried from a round's feedback: whose feedback, from where, and a way back to it. */
export function CarriedFromNote({ thread, viewer }: { thread: Thread; viewer: Viewer }) {
  const from = thread.carriedFrom;
  if (!from) return null;
  const who = from.author.affiliation ? `${from.author.name} (${from.author.affiliation})` : from.author.name;
  return (
    <p className="carried-note is-from" data-testid="carried-from">
      <span className="carried-mark" aria-hidden="true">
        ↙
      </span>{' '}
      Validation feedback from <strong>{who}</strong> · {from.roundTitle} · {from.versionLabel},{' '}
      <time dateTime={from.givenAt} title={fullTime(from.givenAt)}>
        {timeAgo(from.givenAt)}
      </time>
      {canReadThreadsOn(viewer.role, from.versionId) && (
        <>
          {' '}
          <button
            type="button"
            className="link-button"
            onClick={() => navigate(feedbackPath(viewer.documentId, from.versionId, from.roundId, from.threadId))}
            data-testid="open-original"
          >
            See the original
          </button>
        </>
      )}
    </p>
  );
}
