/**
 * Tampering with the audit log on purpose, as someone with the database owner's rights could: drop
 * the append-only triggers of migration 008, then change rows directly. Tests use it to prove that
 * the triggers refuse changes while in place and that the hash chain reveals changes made without them.
 */
import type { Store } from '@server/store/db';
import { auditProtection } from '@server/store/migrations/008_audit_append_only';
import { sql } from 'kysely';

/** Drops the triggers that make `audit_log` append-only. */
export async function dropAuditProtection(store: Store): Promise<void> {
  const names = store.dialect === 'sqlite' ? auditProtection.sqlite : auditProtection.postgres;
  for (const name of names) {
    const statement =
      store.dialect === 'sqlite' ? `drop trigger ${name}` : `drop trigger ${name} on audit_log`;
    await sql.raw(statement).execute(store.db);
  }
}
