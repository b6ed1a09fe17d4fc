import { isFullyStored } from '@shared/collab/protocol';
import * as Y from 'yjs';

/** What the saved indicator says. */
export type SavedStatus = 'saved' | 'saving' | 'offline';

/** The indicator's words for each status. */
export const savedStatusText: Record<SavedStatus, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  offline: 'Offline — your changes are kept',
};

/** The inputs the saved status is computed from. */
export interface SavedInputs {
  /** The WebSocket is open. */
  connected: boolean;
  /** The state vector of the local document (client id → clock). */
  local: Map<number, number>;
  /** What the server said it has durably stored (client id → clock, the maximum heard per client). */
  stored: Map<number, number>;
  /** Updates sent on this socket that the server has not acknowledged as stored yet. */
  unacknowledged?: boolean;
}

/**
 * The status to show. "Saved" only when the server has said it durably stored every edit this
 * client has (the state vector) and every update it sent (acks, which also cover deletions);
 * offline wins over everything, because then nothing can be stored.
 */
export function computeSavedStatus({
  connected,
  local,
  stored,
  unacknowledged = false,
}: SavedInputs): SavedStatus {
  if (!connected) return 'offline';
  return !unacknowledged && isFullyStored(local, stored) ? 'saved' : 'saving';
}

/** The state vector of `doc` as a map of client id → clock. */
export function localStateVector(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

/**
 * Merges `update` (from a `saved` message) into `stored`, keeping the larger clock per client, since
 * stored entries only grow and messages may arrive out of order across reconnects. Returns whether
 * anything changed.
 */
export function mergeStored(stored: Map<number, number>, update: Map<number, number>): boolean {
  let changed = false;
  for (const [client, clock] of update) {
    if ((stored.get(client) ?? -1) < clock) {
      stored.set(client, clock);
      changed = true;
    }
  }
  return changed;
}
