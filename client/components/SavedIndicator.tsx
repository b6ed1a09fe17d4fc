import { savedStatusText } from '../collab/savedStatus';
import { useDocumentPage } from '../stores/documentPage';

/** Says whether the server has durably stored the user's edits; its text is exactly the status. */
export function SavedIndicator() {
  const saved = useDocumentPage((s) => s.saved);
  return (
    <span
      className={`saved-indicator is-${saved}`}
      data-testid="saved-indicator"
      data-status={saved}
      aria-live="polite"
    >
      {savedStatusText[saved]}
    </span>
  );
}
