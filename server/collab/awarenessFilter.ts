import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Largest awareness state (JSON characters) a client may publish: a cursor and a name, not a payload. */
const MAX_STATE_CHARS = 4096;
/** Most awareness entries one message may carry: one client has one or two doc instances at most. */
const MAX_ENTRIES = 8;

/**
 * Rewrites an awareness update from a client so it can be trusted: keeps only entries for client ids
 * this connection owns (or claims now, if no other connection owns them), and overwrites each
 * state's `user` field with the identity set by the server. Returns null when nothing remains.
 * Throws on malformed bytes, which closes the sender's socket.
 */
export function filterAwarenessUpdate(
  update: Uint8Array,
  user: Record<string, unknown>,
  mayClaim: (clientId: number) => boolean,
  claimed: Set<number>,
): Uint8Array | null {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > MAX_ENTRIES) throw new Error(`awareness update with ${count} entries`);
  const kept: { clientId: number; clock: number; state: string }[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    if (json.length > MAX_STATE_CHARS) throw new Error('awareness state too large');
    const state: unknown = JSON.parse(json);
    if (!claimed.has(clientId)) {
      if (!mayClaim(clientId)) continue;
      claimed.add(clientId);
    }
    if (state === null) {
      kept.push({ clientId, clock, state: 'null' });
    } else if (typeof state === 'object' && !Array.isArray(state)) {
      kept.push({ clientId, clock, state: JSON.stringify({ ...state, user }) });
    } else {
      throw new Error('awareness state is not an object');
    }
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after awareness update');
  if (kept.length === 0) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const k of kept) {
    encoding.writeVarUint(encoder, k.clientId);
    encoding.writeVarUint(encoder, k.clock);
    encoding.writeVarString(encoder, k.state);
  }
  return encoding.toUint8Array(encoder);
}
