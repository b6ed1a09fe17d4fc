import type { VersionSummary } from '@shared/api/versions';
import { verifyVersionText } from '@shared/versions/content';
import { type ChangeEvent, useState } from 'react';
import { formatDate } from './HashText';

type Outcome =
  | { kind: 'match'; version: VersionSummary; hash: string }
  | { kind: 'unknown'; hash: string }
  | { kind: 'invalid'; message: string };

/**
 * Checks, in the browser, that a version content file someone holds is a text that was tabled: its
 * SHA-256 is computed here (nothing is uploaded) and looked up among this document's versions.
 */
export function VerifyFile({ versions }: { versions: readonly VersionSummary[] }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    try {
      if (!globalThis.crypto?.subtle) {
        setOutcome({ kind: 'invalid', message: 'This browser can check files only over HTTPS. Use `sha256sum` on the file instead.' });
        return;
      }
      const result = await verifyVersionText(await file.text());
      if (!result.ok) setOutcome({ kind: 'invalid', message: result.message });
      else {
        const version = versions.find((v) => v.hash === result.hash);
        setOutcome(version ? { kind: 'match', version, hash: result.hash } : { kind: 'unknown', hash: result.hash });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="verify-file">
      <label className="link-button">
        {busy ? 'Checking…' : 'Check a version file…'}
        <input type="file" accept=".json,application/json" className="visually-hidden" onChange={(e) => void check(e)} data-testid="verify-input" />
      </label>
      {outcome?.kind === 'match' && (
        <p className="verify-ok" role="status" data-testid="verify-result">
          ✓ This file is <strong>{outcome.version.label}</strong> exactly as frozen on {formatDate(outcome.version.frozenAt)}.
        </p>
      )}
      {outcome?.kind === 'unknown' && (
        <p className="verify-bad" role="status" data-testid="verify-result">
          ✗ No version of this document has this content (SHA-256 {outcome.hash.slice(0, 12)}…): the file differs from every tabled text.
        </p>
      )}
      {outcome?.kind === 'invalid' && (
        <p className="verify-bad" role="status" data-testid="verify-result">
          ✗ {outcome.message}
        </p>
      )}
    </div>
  );
}
