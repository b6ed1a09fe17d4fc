import { BODY_FRAGMENT } from '@shared/schema';
import { scanUpdate, UpdateRejected } from './updateScan.mjs';

/**
 * Checks an untrusted update before it touches the document, so that malformed or truncated bytes
 * are refused whole instead of being half-applied, and bytes that would make Yjs' decoder loop or
 * allocate without bound never reach it. Throws `UpdateRejected` with a reason when the update is
 * malformed, exceeds the scan's limits or writes outside the `body` fragment. Linear in the size
 * of the update; see `updateGuard.ts` for how large updates are checked off the event loop.
 */
export function validateUpdate(update: Uint8Array): void {
  try {
    scanUpdate(update, { allowedRoots: [BODY_FRAGMENT] });
  } catch (err) {
    throw err instanceof UpdateRejected ? err : new UpdateRejected(String(err));
  }
}
