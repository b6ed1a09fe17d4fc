import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api/client';
import { type InvitationInfo, roundsApi } from '../api/rounds';
import { formatDate } from '../components/versions/HashText';
import { feedbackPath, navigate } from '../router';
import { useSession } from '../stores/session';

/**
 * Where an invitation link leads: what the round is, then either a form to create one's account
 * (name, affiliation, password) or, when an account with the invited email exists, signing in with
 * it; accepting makes the person a validator of that round and opens its version.
 */
export function InvitationPage({ token }: { token: string }) {
  const session = useSession();
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [affiliation, setAffiliation] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    roundsApi
      .invitation(token)
      .then(setInfo)
      .catch((err: unknown) => setLoadError(err instanceof Error ? err.message : 'This invitation could not be opened.'));
  }, [token]);

  if (loadError) {
    return (
      <main className="signin-page">
        <div className="signin-card">
          <p className="form-error" role="alert">{loadError}</p>
          <a href="/">Go to Accord</a>
        </div>
      </main>
    );
  }
  if (!info) return <div className="splash">Opening the invitation…</div>;

  const signedInAsInvitee = session.user?.email === info.email;
  const needsSignIn = info.accountExists && !signedInAsInvitee;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (needsSignIn) await session.signIn(info.email, password);
      const accepted = await roundsApi.accept(
        token,
        info.accountExists ? {} : { name: name.trim(), affiliation: affiliation.trim(), password },
      );
      if (!info.accountExists) useSession.setState({ status: 'signedIn', user: await api.getSession() });
      navigate(feedbackPath(accepted.documentId, accepted.versionId, accepted.roundId), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'The password does not match this account.' : err instanceof Error ? err.message : 'The invitation could not be accepted.');
      setBusy(false);
    }
  };

  return (
    <main className="signin-page">
      <form className="signin-card" onSubmit={(e) => void submit(e)} data-testid="invitation-form">
        <h1 className="brand">Accord</h1>
        <p className="signin-lede">
          You are invited to validate <strong>{info.round.versionLabel}</strong> of <strong>{info.documentTitle}</strong> ({info.dialogueName}) in
          the round “{info.round.title}”, open until {formatDate(info.round.closesAt)}.
        </p>
        {!info.round.open && <p className="form-error" role="alert">This round is closed: it no longer takes validators.</p>}
        <p className="muted">Invitation for {info.email}</p>
        {info.round.open && !info.accountExists && (
          <>
            <label>
              Your name
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoComplete="name" data-testid="invitation-name" />
            </label>
            <label>
              Country or organisation
              <input value={affiliation} onChange={(e) => setAffiliation(e.target.value)} maxLength={200} data-testid="invitation-affiliation" />
            </label>
            <label>
              Choose a password (at least 10 characters)
              <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={10} autoComplete="new-password" data-testid="invitation-password" />
            </label>
          </>
        )}
        {info.round.open && needsSignIn && (
          <label>
            Your Accord password for {info.email}
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" />
          </label>
        )}
        {error && <p className="form-error" role="alert">{error}</p>}
        {info.round.open && (
          <button type="submit" className="primary-button" disabled={busy} data-testid="invitation-accept">
            {busy ? 'Joining…' : info.accountExists ? 'Join the round' : 'Create my account and join'}
          </button>
        )}
      </form>
    </main>
  );
}
