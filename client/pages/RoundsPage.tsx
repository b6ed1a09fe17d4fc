import type { VersionSummary } from '@shared/api/versions';
import { can } from '@shared/permissions';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { DocumentMeta } from '../api/schemas';
import { type Invitation, type Round, roundsApi } from '../api/rounds';
import { versionsApi } from '../api/versions';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { formatDate } from '../components/versions/HashText';
import { FeedbackReport } from '../rounds/FeedbackReport';
import { documentPath, feedbackPath } from '../router';

function emailsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
}

/** Links made just now: shown once, to be sent to the invitees (only their hash is stored). */
function Links({ invitations }: { invitations: Invitation[] }) {
  if (invitations.length === 0) return null;
  return (
    <div className="invitation-links" data-testid="invitation-links">
      <p className="muted">Send each person their link (it is shown only now):</p>
      <ul>
        {invitations.map((i) => (
          <li key={i.email}>
            {i.email}: <code>{i.link}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

function OpenRoundForm({ documentId, versions, onOpened }: { documentId: string; versions: VersionSummary[]; onOpened: (links: Invitation[]) => void }) {
  const [chosenVersion, setVersionId] = useState('');
  // The latest version by default (the list may arrive after the form first renders).
  const versionId = chosenVersion || (versions.at(-1)?.id ?? '');
  const [title, setTitle] = useState('');
  const [closes, setCloses] = useState(() => new Date(Date.now() + 14 * 24 * 3600_000).toISOString().slice(0, 10));
  const [emails, setEmails] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The round closes at the end of the chosen day, in the Secretariat's time zone.
      const closesAt = new Date(`${closes}T23:59:59`).toISOString();
      const { invitations } = await roundsApi.open(documentId, { versionId, title, closesAt, invite: emailsOf(emails) });
      setTitle('');
      setEmails('');
      onOpened(invitations);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The round could not be opened.');
    } finally {
      setBusy(false);
    }
  };
  if (versions.length === 0) return <p className="muted">Freeze a version first: a round validates a frozen text.</p>;
  return (
    <form className="freeze-form" onSubmit={(e) => void submit(e)}>
      <h2>Open a validation round</h2>
      <label>
        Version
        <select value={versionId} onChange={(e) => setVersionId(e.target.value)}>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Regional validation — West" required maxLength={120} />
      </label>
      <label>
        Closes on
        <input type="date" value={closes} onChange={(e) => setCloses(e.target.value)} required />
      </label>
      <label>
        Invite (emails, one per line)
        <textarea value={emails} onChange={(e) => setEmails(e.target.value)} rows={3} />
      </label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy}>
          {busy ? 'Opening…' : 'Open round'}
        </button>
      </div>
    </form>
  );
}

function RoundItem({
  documentId,
  round,
  meta,
  only,
  onChanged,
}: {
  documentId: string;
  round: Round;
  meta: DocumentMeta;
  /** The document's only round (its report opens at once). */
  only: boolean;
  onChanged: () => void;
}) {
  const manage = can(meta.role, 'round.manage');
  const readsFeedback = can(meta.role, 'round.readFeedback');
  const [links, setLinks] = useState<Invitation[]>([]);
  const [emails, setEmails] = useState('');
  const [error, setError] = useState<string | null>(null);
  const invite = async () => {
    try {
      setLinks(await roundsApi.invite(documentId, round.id, emailsOf(emails)));
      setEmails('');
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The invitations could not be made.');
    }
  };
  const close = async () => {
    if (!window.confirm(`Close “${round.title}”? Its validators will no longer be able to give feedback.`)) return;
    try {
      await roundsApi.close(documentId, round.id);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The round could not be closed.');
    }
  };
  return (
    <li className="version-item" data-testid="round-item" id={`round-${round.id}`}>
      <div className="version-head">
        <strong>{round.title}</strong> <span className={round.open ? 'change-badge is-added' : 'change-badge'}>{round.open ? 'Open' : 'Closed'}</span>
      </div>
      <div className="muted version-meta">
        On <Link href={feedbackPath(documentId, round.versionId, round.id)}>{round.versionLabel}</Link> ·{' '}
        {round.open ? `closes ${formatDate(round.closesAt)}` : `closed ${formatDate(round.closedAt ?? round.closesAt)}`}
      </div>
      {meta.role === 'validator' && (
        <p>
          <Link href={feedbackPath(documentId, round.versionId, round.id)} className="primary-link" data-testid="open-round-version">
            {round.open ? `Open ${round.versionLabel} to give feedback` : `Read the feedback on ${round.versionLabel}`}
          </Link>
        </p>
      )}
      {manage && round.open && (
        <div className="form-actions">
          <input value={emails} onChange={(e) => setEmails(e.target.value)} placeholder="more emails…" aria-label="Invite more people" />
          <button type="button" className="link-button" onClick={() => void invite()} disabled={emailsOf(emails).length === 0}>
            Invite
          </button>
          <button type="button" className="link-button" onClick={() => void close()}>
            Close round
          </button>
        </div>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
      <Links invitations={links} />
      {readsFeedback && (
        <FeedbackReport
          documentId={documentId}
          roundId={round.id}
          role={meta.role}
          initiallyOpen={only || window.location.hash === `#round-${round.id}`}
        />
      )}
    </li>
  );
}

/** A document's validation rounds: validators see theirs; the Secretariat opens, invites and closes. */
export function RoundsPage({ documentId }: { documentId: string }) {
  const [meta, setMeta] = useState<DocumentMeta | null>(null);
  const [rounds, setRounds] = useState<Round[] | null>(null);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [links, setLinks] = useState<Invitation[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const m = await api.getDocument(documentId);
      setMeta(m);
      setRounds(await roundsApi.list(documentId));
      if (can(m.role, 'round.manage')) setVersions(await versionsApi.list(documentId));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The rounds could not be loaded.');
    }
  }, [documentId]);
  useEffect(() => {
    void load();
  }, [load]);

  const manage = can(meta?.role, 'round.manage');
  return (
    <div className="page">
      <AppHeader>
        <div className="doc-header">
          {can(meta?.role, 'document.readLive') ? (
            <Link href={documentPath(documentId)} className="back-link">
              ← {meta?.title ?? 'Document'}
            </Link>
          ) : (
            <Link href="/" className="back-link">
              ← Documents
            </Link>
          )}
          <h1 className="doc-title">Validation rounds{meta ? ` — ${meta.title}` : ''}</h1>
        </div>
      </AppHeader>
      <main className="version-main">
        {error && <p className="form-error" role="alert">{error}</p>}
        {meta?.role === 'validator' && (
          <p className="muted">
            You validate the version of the rounds below: open it to read the text as it was tabled and, while the round is
            open, to comment on its clauses.
          </p>
        )}
        {manage && (
          <OpenRoundForm
            documentId={documentId}
            versions={versions}
            onOpened={(made) => {
              setLinks(made);
              void load();
            }}
          />
        )}
        <Links invitations={links} />
        {rounds && rounds.length === 0 && <p className="muted">No validation round yet.</p>}
        <ol className="version-timeline">
          {meta &&
            (rounds ?? []).map((r, _i, all) => (
              <RoundItem key={r.id} documentId={documentId} round={r} meta={meta} only={all.length === 1} onChanged={() => void load()} />
            ))}
        </ol>
      </main>
    </div>
  );
}
