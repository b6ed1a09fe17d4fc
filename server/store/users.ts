import type { Store } from './db';
import { newId } from './ids';
import type { UsersTable } from './schema';

/** A user account as the server uses it (with the password hash, which never leaves the server). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  affiliation: string | null;
  passwordHash: string;
  createdAt: string;
}

/** What is needed to create an account; the password is already hashed (see auth/password.ts). */
export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  affiliation?: string | null;
}

/** Emails are stored lower-cased, which makes every lookup case-insensitive on both databases. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toRecord(row: UsersTable): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    affiliation: row.affiliation,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

/** The accounts of people who can sign in. */
export class Users {
  constructor(private readonly store: Store) {}

  /** Creates an account; throws if the email is already taken. */
  async create(user: NewUser): Promise<UserRecord> {
    const row: UsersTable = {
      id: newId(),
      email: normalizeEmail(user.email),
      name: user.name,
      password_hash: user.passwordHash,
      affiliation: user.affiliation ?? null,
      created_at: new Date().toISOString(),
    };
    await this.store.db.insertInto('users').values(row).execute();
    return toRecord(row);
  }

  /** The account with this email, compared case-insensitively, or null. */
  async findByEmail(email: string): Promise<UserRecord | null> {
    const row = await this.store.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** The account with this id, or null. */
  async findById(id: string): Promise<UserRecord | null> {
    const row = await this.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Whether any account exists (the demo is seeded only into an empty database). */
  async isEmpty(): Promise<boolean> {
    const row = await this.store.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    return row === undefined;
  }
}
