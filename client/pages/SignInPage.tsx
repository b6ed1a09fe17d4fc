import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { navigate } from '../router';
import { useSession } from '../stores/session';

const demoAccounts = [
  { email: 'secretariat@demo.accord', role: 'Secretariat' },
  { email: 'cochair@demo.accord', role: 'Co-Chair' },
  { email: 'drafter@demo.accord', role: 'Steering group' },
  { email: 'panel@demo.accord', role: 'Expert panel' },
  { email: 'observer@demo.accord', role: 'Observer' },
];

function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'That email and password do not match an account.';
    if (error.status === 429) return 'Too many attempts. Please wait a minute before trying again.';
    if (error.status === 0) return error.message;
    if (error.status === 400) return 'Please enter your email and password.';
  }
  return 'Signing in failed. Please try again.';
}

/** The sign-in form. */
export function SignInPage() {
  const signIn = useSession((s) => s.signIn);
  const loadError = useSession((s) => s.loadError);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      navigate('/', { replace: true });
    } catch (err) {
      setError(messageFor(err));
      setSubmitting(false);
    }
  };

  return (
    <main className="signin-page">
      <div className="signin-card">
        <h1 className="brand">Accord</h1>
        <p className="signin-lede">Collaborative drafting for negotiated texts</p>
        <form onSubmit={submit} noValidate>
          <label>
            Email
            <input
              type="email"
              autoComplete="username"
              data-testid="signin-email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              disabled={submitting}
              required
            />
          </label>
          <label>
            Password
            <input
              type="password"
              autoComplete="current-password"
              data-testid="signin-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              disabled={submitting}
              required
            />
          </label>
          {(error ?? loadError) && (
            <p className="form-error" role="alert" data-testid="signin-error">
              {error ?? loadError}
            </p>
          )}
          <button
            type="submit"
            className="primary-button"
            data-testid="signin-submit"
            disabled={submitting || email.trim() === '' || password === ''}
          >
            {submitting ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <details className="demo-accounts">
          <summary>Demo accounts</summary>
          <p>
            Password <code>accord-demo</code> for all. Choose one to fill in the email:
          </p>
          <ul>
            {demoAccounts.map((account) => (
              <li key={account.email}>
                <button type="button" className="link-button" onClick={() => setEmail(account.email)}>
                  {account.email}
                </button>{' '}
                <span className="muted">{account.role}</span>
              </li>
            ))}
          </ul>
        </details>
      </div>
    </main>
  );
}
