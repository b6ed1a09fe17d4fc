import { isRole, type Role } from '@shared/permissions';
import type { Store } from './db';

/** A member of a dialogue with their account details. */
export interface MemberWithUser {
  userId: string;
  name: string;
  email: string;
  role: Role;
  affiliation: string | null;
}

/**
 * Membership of users in dialogues, with their role. A row whose role is not a known `Role` (written
 * by a newer version, or by hand) is treated as no membership: access is never granted by accident.
 */
export class Members {
  constructor(private readonly store: Store) {}

  /** Adds a user to a dialogue with a role; throws if they are already a member. */
  async add(dialogueId: string, userId: string, role: Role): Promise<void> {
    await this.store.db
      .insertInto('members')
      .values({ dialogue_id: dialogueId, user_id: userId, role, created_at: new Date().toISOString() })
      .execute();
  }

  /** The role of a user in a dialogue, or null when they are not a member. */
  async roleOf(dialogueId: string, userId: string): Promise<Role | null> {
    const row = await this.store.db
      .selectFrom('members')
      .select('role')
      .where('dialogue_id', '=', dialogueId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && isRole(row.role) ? row.role : null;
  }

  /** Every member of a dialogue with their name, email and affiliation, ordered by name. */
  async list(dialogueId: string): Promise<MemberWithUser[]> {
    const rows = await this.store.db
      .selectFrom('members')
      .innerJoin('users', 'users.id', 'members.user_id')
      .select(['users.id as userId', 'users.name', 'users.email', 'users.affiliation', 'members.role'])
      .where('members.dialogue_id', '=', dialogueId)
      .orderBy('users.name')
      .orderBy('users.id')
      .execute();
    const out: MemberWithUser[] = [];
    for (const row of rows) {
      if (isRole(row.role)) out.push({ ...row, role: row.role });
    }
    return out;
  }

  /** How many members of a dialogue have a given role. */
  async countWithRole(dialogueId: string, role: Role): Promise<number> {
    const row = await this.store.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dialogue_id', '=', dialogueId)
      .where('role', '=', role)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Changes a member's role; returns false when the user is not a member. */
  async setRole(dialogueId: string, userId: string, role: Role): Promise<boolean> {
    const result = await this.store.db
      .updateTable('members')
      .set({ role })
      .where('dialogue_id', '=', dialogueId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Removes a member; returns false when the user was not a member. */
  async remove(dialogueId: string, userId: string): Promise<boolean> {
    const result = await this.store.db
      .deleteFrom('members')
      .where('dialogue_id', '=', dialogueId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
