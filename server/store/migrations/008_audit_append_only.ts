import { type Kysely, sql } from 'kysely';
import type { Dialect } from './types';

/**
 * Trigger names of the audit log's protection. Exported for the tests that tamper with the log on
 * purpose (they drop the triggers first, as an attacker with the database's owner rights could).
 */
export const auditProtection = {
  sqlite: ['audit_log_no_update', 'audit_log_no_delete'],
  postgres: ['audit_log_no_update_delete', 'audit_log_no_truncate'],
  postgresFunction: 'audit_log_refuse_change',
} as const;

/**
 * Makes the audit log append-only in the database itself (issue 8): a trigger refuses every UPDATE and
 * DELETE of `audit_log` (and, on PostgreSQL, TRUNCATE), whoever sends it — a bug in Accord, a console
 * session, a script. The hash chain (`server/store/auditLog.ts`, `npm run verify-audit`) then reveals
 * what someone with the rights to drop the triggers changed anyway.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    const [noUpdate, noDelete] = auditProtection.sqlite;
    await sql
      .raw(
        `create trigger ${noUpdate} before update on audit_log
         begin select raise(abort, 'audit_log is append-only: entries cannot be changed'); end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${noDelete} before delete on audit_log
         begin select raise(abort, 'audit_log is append-only: entries cannot be deleted'); end`,
      )
      .execute(db);
    return;
  }
  const fn = auditProtection.postgresFunction;
  const [noUpdateDelete, noTruncate] = auditProtection.postgres;
  // Unqualified names land in the current schema, next to the table (tests run in one schema each).
  await sql
    .raw(
      `create function ${fn}() returns trigger language plpgsql as $$
       begin
         raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
       end $$`,
    )
    .execute(db);
  await sql
    .raw(`create trigger ${noUpdateDelete} before update or delete on audit_log for each row execute function ${fn}()`)
    .execute(db);
  await sql
    .raw(`create trigger ${noTruncate} before truncate on audit_log for each statement execute function ${fn}()`)
    .execute(db);
}
