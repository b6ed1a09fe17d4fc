import { can, type Role } from '@shared/permissions';
import {
  clauseHeading,
  type FeedbackFormat,
  type FeedbackReport as Report,
  type FeedbackThread,
  summaryLine,
} from '@shared/rounds/feedback';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { roundsApi } from '../api/rounds';
import { threadsApi } from '../comments/api';
import { fullTime, timeAgo } from '../comments/CommentBody';
import { focusThreadWhenLoaded } from '../comments/focus';
import { documentPath, feedbackPath, navigate } from '../router';

const formats: { format: FeedbackFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'md', label: 'Markdown' },
  { format: 'html', label: 'HTML' },
  { format: 'docx', label: 'Word' },
];

function message(error: unknown, fallback: string): string {
  return error instanceof ApiError || error instanceof Error ? error.message : fallback;
}

function who(person: { name: string; affiliation: string | null }): string {
  return person.affiliation ? `${person.name} (${person.affiliation})` : person.name;
}

/** One thread of feedback in the report, with what a drafter can do with it. */
function ReportThread({
  documentId,
  report,
  thread,
  withPlace,
  role,
  onCarried,
}: {
  documentId: string;
  report: Report;
  thread: FeedbackThread;
  withPlace: boolean;
  role: Role;
  onCarried: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [first, ...replies] = thread.comments;
  const carry = async () => {
    setBusy(true);
    setError(null);
    try {
      await threadsApi.carry(documentId, thread.id);
      onCarried();
    } catch (err) {
      setError(message(err, 'The feedback could not be carried.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className={thread.carried ? 'feedback-thread is-carried' : 'feedback-thread'} data-testid="report-thread" data-thread-id={thread.id}>
      <p>
        {withPlace && <span className="muted">{clauseHeading(thread.clauseNumber, thread.clauseId)} · </span>}
        <strong>{who(thread.givenBy)}</strong>{' '}
        <time className="muted" dateTime={thread.givenAt} title={fullTime(thread.givenAt)}>
          {timeAgo(thread.givenAt)}
        </time>
        {thread.status === 'resolved' && <span className="change-badge">resolved</span>}
      </p>
      {thread.quote && <p className="muted">“{thread.quote}”</p>}
      {first && <p data-testid="report-comment">{first.text}</p>}
      {first?.proposedWording != null && (
        <p>
          Proposed wording: <ins>{first.proposedWording || '(delete the text)'}</ins>
        </p>
      )}
      {replies.map((reply) => (
        <p key={reply.id} className="feedback-reply">
          ↳ <strong>{who(reply.author)}</strong>: {reply.text}
          {reply.proposedWording != null && <> Proposed wording: <ins>{reply.proposedWording}</ins></>}
        </p>
      ))}
      <div className="feedback-thread-actions">
        <button
          type="button"
          className="link-button"
          onClick={() => navigate(feedbackPath(documentId, report.version.id, report.round.id, thread.id))}
        >
          Show on {report.version.label}
        </button>
        {thread.carried ? (
          <span className="muted" data-testid="report-carried">
            ✓ Carried by {thread.carried.by} {timeAgo(thread.carried.at)}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                focusThreadWhenLoaded(documentId, thread.carried!.threadId);
                navigate(documentPath(documentId));
              }}
              data-testid="report-open-carried"
            >
              Open in the live draft
            </button>
          </span>
        ) : (
          can(role, 'document.edit') && (
            <button type="button" className="link-button" disabled={busy} onClick={() => void carry()} data-testid="report-carry">
              {busy ? 'Carrying…' : 'Carry to live draft'}
            </button>
          )
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}

/**
 * A round's feedback report: a summary, then every thread of feedback by clause (in the order of the
 * version's text) or by the validators' country, with files to download and, for drafters, carrying
 * a thread to the live draft.
 */
export function FeedbackReport({ documentId, roundId, role, initiallyOpen }: { documentId: string; roundId: string; role: Role; initiallyOpen: boolean }) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(initiallyOpen);
  const [view, setView] = useState<'clause' | 'country'>('clause');
  const [downloading, setDownloading] = useState<FeedbackFormat | null>(null);

  const load = useCallback(async () => {
    try {
      setReport(await roundsApi.feedback(documentId, roundId));
      setError(null);
    } catch (err) {
      setError(message(err, 'The feedback report could not be loaded.'));
    }
  }, [documentId, roundId]);
  useEffect(() => {
    void load();
  }, [load]);

  const download = async (format: FeedbackFormat) => {
    setDownloading(format);
    try {
      await roundsApi.downloadFeedback(documentId, roundId, format);
    } catch (err) {
      setError(message(err, 'The file could not be made.'));
    } finally {
      setDownloading(null);
    }
  };

  if (error && !report) {
    return (
      <div className="feedback-report">
        <p className="form-error" role="alert">
          {error}{' '}
          <button type="button" className="link-button" onClick={() => void load()}>
            Try again
          </button>
        </p>
      </div>
    );
  }
  if (!report) return <p className="muted feedback-report">Loading the feedback…</p>;
  return (
    <section className="feedback-report" aria-label="Feedback report" data-testid="feedback-report">
      <p className="feedback-summary" data-testid="feedback-summary">
        {summaryLine(report)}
      </p>
      <div className="feedback-toolbar">
        <button type="button" className="quiet-button small" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="toggle-report">
          {open ? 'Hide the report' : 'Show the report'}
        </button>
        <span className="muted">Download:</span>
        {formats.map(({ format, label }) => (
          <button
            key={format}
            type="button"
            className="link-button"
            disabled={downloading !== null}
            onClick={() => void download(format)}
            data-testid={`download-${format}`}
          >
            {downloading === format ? `${label}…` : label}
          </button>
        ))}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {open && (
        <>
          <div className="segmented" role="radiogroup" aria-label="Group the feedback">
            {(['clause', 'country'] as const).map((v) => (
              <button
                key={v}
                type="button"
                role="radio"
                aria-checked={view === v}
                className={view === v ? 'is-active' : undefined}
                onClick={() => setView(v)}
                data-testid={`report-by-${v}`}
              >
                {v === 'clause' ? 'By clause' : 'By country'}
              </button>
            ))}
          </div>
          {report.summary.threads === 0 && <p className="muted">Nothing to show yet.</p>}
          {view === 'clause'
            ? report.byClause.map((group) => (
                <div key={group.clauseId ?? 'whole'} className="feedback-group" data-testid="report-clause">
                  <h4>{clauseHeading(group.number, group.clauseId)}</h4>
                  {group.text && <p className="feedback-clause-text">{group.text}</p>}
                  {group.threads.map((thread) => (
                    <ReportThread
                      key={thread.id}
                      documentId={documentId}
                      report={report}
                      thread={thread}
                      withPlace={false}
                      role={role}
                      onCarried={() => void load()}
                    />
                  ))}
                </div>
              ))
            : report.byCountry.map((group) => (
                <div key={group.country} className="feedback-group" data-testid="report-country">
                  <h4>{group.country}</h4>
                  <p className="muted">
                    {group.validators.map((v) => `${v.name} (${v.threads})`).join(', ')}
                  </p>
                  {group.threads.length === 0 && <p className="muted">No feedback from this country.</p>}
                  {group.threads.map((thread) => (
                    <ReportThread
                      key={thread.id}
                      documentId={documentId}
                      report={report}
                      thread={thread}
                      withPlace
                      role={role}
                      onCarried={() => void load()}
                    />
                  ))}
                </div>
              ))}
        </>
      )}
    </section>
  );
}
