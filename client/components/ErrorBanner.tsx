import type { Banner } from '../stores/documentPage';

/** A message across the page: information, a warning (something is retrying) or an error. */
export function ErrorBanner({ banner, onDismiss }: { banner: Banner | null; onDismiss?: () => void }) {
  if (!banner) return null;
  return (
    <div className={`banner is-${banner.kind}`} role={banner.kind === 'error' ? 'alert' : 'status'}>
      <span>{banner.text}</span>
      {onDismiss && (
        <button type="button" className="banner-dismiss" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}
