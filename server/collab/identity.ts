import type { Role } from '@shared/permissions';

/** Who is on a connection, as established from the session at upgrade (never from the client). */
export interface CollabIdentity {
  userId: string;
  name: string;
  email: string;
  dialogueId: string;
  role: Role;
  /** Colour of the role, used for cursors and presence. */
  color: string;
}

/** The awareness `user` field the server writes into every state a connection publishes. */
export function awarenessUser(identity: CollabIdentity): {
  id: string;
  name: string;
  role: Role;
  color: string;
} {
  return { id: identity.userId, name: identity.name, role: identity.role, color: identity.color };
}
