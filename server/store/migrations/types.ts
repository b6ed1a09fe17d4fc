import type { Kysely } from 'kysely';

/** Which database a migration runs on; the few type names that differ are chosen from it. */
export type Dialect = 'sqlite' | 'postgres';

/** A migration: written once for both databases through Kysely's schema builder. */
export interface Migration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}
