import { createHash, randomBytes } from 'node:crypto';
import type { Store } from './db';

/** How long a session lasts after sign-in. */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** A stored session. `id` is the SHA-256 of the token; the token itself is only in the cookie. */
export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/** The SHA-256 (hex) under which a session token is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Sign-in sessions. A database leak yields no usable token: only hashes are stored, and a token is
 * 32 random bytes, so it cannot be guessed from its hash.
 */
export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a new session for a user and returns its token (to be put in the cookie) and record. */
  async create(userId: string): Promise<{ token: string; session: SessionRecord }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: SessionRecord = {
      id: hashToken(token),
      userId,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + SESSION_TTL_MS).toISOString(),
    };
    await this.store.db
      .insertInto('sessions')
      .values({
        id: session.id,
        user_id: userId,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
    return { token, session };
  }

  /** The live session of a token, or null when it is unknown or expired. */
  async findByToken(token: string): Promise<SessionRecord | null> {
    const row = await this.store.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) return null;
    // ISO-8601 UTC strings of the same format compare in time order.
    if (row.expires_at <= new Date(this.now()).toISOString()) return null;
    return { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  /** Ends a session by its id (the token's hash). */
  async delete(id: string): Promise<void> {
    await this.store.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Ends every session of a user (e.g. when their account is disabled). */
  async deleteForUser(userId: string): Promise<void> {
    await this.store.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  /** Drops expired sessions; returns how many were dropped. */
  async deleteExpired(): Promise<number> {
    const result = await this.store.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', new Date(this.now()).toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
