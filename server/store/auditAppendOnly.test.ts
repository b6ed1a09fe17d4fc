import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dropAuditProtection } from '@tests/helpers/auditTamper';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditCommand } from '../cli/auditCheck';
import { AuditLog, entryHash } from './auditLog';
import type { Store, StoreConfig } from './db';
import { openTestStore, testStoreKinds } from './testStores';

const kinds = await testStoreKinds();
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment that points the command at a store, as an operator would set it. */
function envFor(config: StoreConfig): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, ...inherited } = process.env;
  return config.kind === 'sqlite'
    ? { ...inherited, ACCORD_DATA_DIR: config.dataDir }
    : { ...inherited, DATABASE_URL: config.url };
}

/** Runs the `verify-audit` command in this process (starting one costs seconds on a busy machine). */
async function verifyAudit(config: StoreConfig, args: string[] = []): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await verifyAuditCommand(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: envFor(config),
  });
  return { code, stdout, stderr };
}

/** Runs `npm run verify-audit` as a process, to prove the script and its exit status. */
function npmVerifyAudit(config: StoreConfig): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'verify-audit'], { cwd: repoRoot, env: envFor(config), timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.each(kinds)('the audit log on %s', (kind) => {
  let store: Store;
  let config: StoreConfig;
  let cleanup: () => Promise<void>;
  let ids: number[];

  beforeEach(async () => {
    ({ store, config, cleanup } = await openTestStore(kind));
    const log = new AuditLog(store);
    ids = [];
    for (const action of ['member.added', 'document.edit', 'version.frozen', 'member.removed'])
      ids.push(await log.append({ dialogueId: 'd1', documentId: 'doc1', actorId: 'u1', action, detail: { action } }));
  });
  afterEach(async () => {
    await cleanup();
  });

  const rows = () => store.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

  it('refuses to update or delete an entry at the database level, whoever asks', async () => {
    const before = await rows();
    await expect(
      store.db.updateTable('audit_log').set({ action: 'forged' }).where('id', '=', ids[1]!).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('audit_log').where('id', '=', ids[2]!).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(store.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    if (kind === 'postgres') await expect(sql`truncate audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
    expect(await rows()).toEqual(before);
    // Appending is what the log is for, and stays allowed.
    await new AuditLog(store).append({ actorId: null, action: 'still.appends', detail: {} });
    expect(await rows()).toHaveLength(before.length + 1);
  });

  it('verify-audit exits 0 on an intact chain and prints its newest entry as an anchor', async () => {
    const result = await verifyAudit(config);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('OK: 4 audit entries');
    const last = (await rows()).at(-1)!;
    expect(result.stdout).toContain(`${last.id}:${last.hash}`);
    const anchored = await verifyAudit(config, ['--anchor', `${last.id}:${last.hash}`]);
    expect(anchored.code, anchored.stdout).toBe(0);
  });

  it('npm run verify-audit exits 1 naming the first altered entry when one was changed behind the triggers', async () => {
    await dropAuditProtection(store);
    await store.db
      .updateTable('audit_log')
      .set({ detail: '{"action":"nothing happened"}' })
      .where('id', '=', ids[1]!)
      .execute();
    const result = await npmVerifyAudit(config);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`first bad entry is #${ids[1]} (document.edit`);
    expect(result.stdout).toContain('the entry was altered');
    expect(result.stdout).toContain('The 1 entries before it are intact');
  });

  it('verify-audit exits 1 naming the entry after one that was deleted', async () => {
    await dropAuditProtection(store);
    await store.db.deleteFrom('audit_log').where('id', '=', ids[1]!).execute();
    const result = await verifyAudit(config);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`first bad entry is #${ids[2]} (version.frozen`);
    expect(result.stdout).toContain('an entry before it was removed');
  });

  it('verify-audit exits 1 naming a forged row inserted at the end of the log', async () => {
    const last = (await rows()).at(-1)!;
    // A forger who does not recompute the chain (a guessed hash): the triggers allow inserts.
    const forged = await store.db
      .insertInto('audit_log')
      .values({
        dialogue_id: 'd1',
        document_id: 'doc1',
        actor_id: 'u2',
        action: 'version.frozen',
        detail: '{}',
        created_at: new Date().toISOString(),
        prev_hash: last.hash,
        hash: 'f'.repeat(64),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const result = await verifyAudit(config);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`first bad entry is #${Number(forged.id)} (version.frozen`);
  });

  it('verify-audit exits 1 when the log was rewritten with recomputed hashes past a kept anchor', async () => {
    const original = await rows();
    const anchor = original.at(-1)!;
    // A forger with database rights rewrites entry 2 and recomputes every hash after it: the chain
    // itself is then consistent, and only an anchor kept outside the database reveals it.
    await dropAuditProtection(store);
    let prevHash = original[0]!.hash;
    for (const row of original.slice(1)) {
      const detail = row.id === ids[1] ? { action: 'nothing happened' } : (JSON.parse(row.detail) as unknown);
      const hash = entryHash(prevHash, {
        dialogueId: row.dialogue_id,
        documentId: row.document_id,
        actorId: row.actor_id,
        action: row.action,
        detail,
        createdAt: row.created_at,
      });
      await store.db
        .updateTable('audit_log')
        .set({ detail: JSON.stringify(detail), prev_hash: prevHash, hash })
        .where('id', '=', row.id)
        .execute();
      prevHash = hash;
    }
    expect((await verifyAudit(config)).code).toBe(0);
    const result = await verifyAudit(config, ['--anchor', `${anchor.id}:${anchor.hash}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`entry #${anchor.id} no longer has the anchored hash`);
  });

  it('verify-audit exits 2 with a usage line on a malformed anchor', async () => {
    const result = await verifyAudit(config, ['--anchor', 'not-an-anchor']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: npm run verify-audit');
  });
});
