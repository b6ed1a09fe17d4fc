import { isRole, type Role, roleColors } from '@shared/permissions';
import { z } from 'zod';

/** One person present in a document, however many tabs or devices they have open. */
export interface PresenceEntry {
  userId: string;
  name: string;
  role: Role | null;
  color: string;
  /** The awareness client ids of their connections. */
  clientIds: number[];
  /** This is the local user. */
  isSelf: boolean;
}

/** The `user` field of an awareness state; the server sets it from the session, peers cannot fake it. */
const awarenessUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string().optional(),
  color: z.string().optional(),
});

const colorPattern = /^#[0-9a-fA-F]{3,8}$/;

/** The `user` field of an awareness state, or null when it is missing or malformed. */
export function awarenessUser(
  state: unknown,
): { id: string; name: string; role: Role | null; color: string } | null {
  if (typeof state !== 'object' || state === null) return null;
  const parsed = awarenessUserSchema.safeParse((state as { user?: unknown }).user);
  if (!parsed.success) return null;
  const role = isRole(parsed.data.role) ? parsed.data.role : null;
  // A colour goes into inline styles, so only plain hex colours are accepted.
  const color =
    parsed.data.color && colorPattern.test(parsed.data.color)
      ? parsed.data.color
      : role
        ? roleColors[role]
        : '#64748b';
  return { id: parsed.data.id, name: parsed.data.name, role, color };
}

/**
 * The people present, from awareness states (client id → state), one entry per user id, the local
 * user first, then by name.
 */
export function presenceFromStates(
  states: ReadonlyMap<number, unknown>,
  selfClientId: number,
): PresenceEntry[] {
  const byUser = new Map<string, PresenceEntry>();
  for (const [clientId, state] of states) {
    const user = awarenessUser(state);
    if (!user) continue;
    const entry = byUser.get(user.id);
    if (entry) {
      entry.clientIds.push(clientId);
      entry.isSelf ||= clientId === selfClientId;
    } else {
      byUser.set(user.id, {
        userId: user.id,
        name: user.name,
        role: user.role,
        color: user.color,
        clientIds: [clientId],
        isSelf: clientId === selfClientId,
      });
    }
  }
  return [...byUser.values()].sort(
    (a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name),
  );
}

/** True when two presence lists show the same people the same way (to skip needless renders). */
export function samePresence(a: readonly PresenceEntry[], b: readonly PresenceEntry[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((entry, i) => {
    const other = b[i];
    return (
      other !== undefined &&
      entry.userId === other.userId &&
      entry.name === other.name &&
      entry.role === other.role &&
      entry.color === other.color &&
      entry.isSelf === other.isSelf &&
      entry.clientIds.length === other.clientIds.length
    );
  });
}
