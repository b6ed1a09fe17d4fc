import type { ReactNode } from 'react';
import { navigate } from '../router';
import { useSession } from '../stores/session';
import { Link } from './Link';

/** The bar across the top of every signed-in page: the app name, page content, the user and sign out. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const user = useSession((s) => s.user);
  const signOut = useSession((s) => s.signOut);
  const handleSignOut = async () => {
    try {
      await signOut();
    } finally {
      navigate('/signin', { replace: true });
    }
  };
  return (
    <header className="app-header">
      <Link href="/" className="brand-link">
        Accord
      </Link>
      <div className="app-header-main">{children}</div>
      {user && (
        <div className="app-header-user">
          <span className="user-name" title={user.email}>
            {user.name}
          </span>
          <button type="button" className="quiet-button" onClick={handleSignOut} data-testid="signout">
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
