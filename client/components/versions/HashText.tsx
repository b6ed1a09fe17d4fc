import { useState } from 'react';

/** A SHA-256 shown short (the first 12 characters), with the full value on hover and a copy button. */
export function HashText({ hash, full = false }: { hash: string; full?: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(hash);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard refused (insecure context): the full hash is still selectable.
    }
  };
  return (
    <span className="hash-text">
      <code title={`SHA-256 ${hash}`} data-testid="version-hash">
        {full ? hash : `${hash.slice(0, 12)}…`}
      </code>
      <button type="button" className="link-button" onClick={() => void copy()} aria-label="Copy the SHA-256">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

/** "3 Mar 2030, 14:05" in the reader's time zone. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
