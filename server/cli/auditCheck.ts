/**
 * The `verify-audit` command (see server/cli/verifyAudit.ts), as a function tests can call without
 * starting a process.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../config';
import { AuditLog, type ChainBreak } from '../store/auditLog';
import { openStore, type Store, type StoreConfig } from '../store/db';

const usage = 'Usage: npm run verify-audit [-- --anchor <entry id>:<sha256>]\n';

const reasons: Record<ChainBreak, string> = {
  hash: 'its content no longer matches its hash: the entry was altered',
  link: 'it does not link to the entry before it: an entry before it was removed, or this one was forged',
  detail: 'its detail is not valid JSON: the entry was altered',
};

interface Anchor {
  id: number;
  hash: string;
}

function parseArgs(argv: string[]): { anchor: Anchor | null } | { error: string } | { help: true } {
  let anchor: Anchor | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--anchor') {
      const match = /^(\d+):([0-9a-fA-F]{64})$/.exec(argv[i + 1] ?? '');
      if (!match) return { error: '--anchor needs <entry id>:<64 hexadecimal characters>, e.g. 42:9f86d0…' };
      anchor = { id: Number(match[1]), hash: match[2]!.toLowerCase() };
      i++;
      continue;
    }
    return { error: `Unknown argument: ${arg}` };
  }
  return { anchor };
}

async function describeEntry(store: Store, id: number): Promise<string> {
  const row = await store.db
    .selectFrom('audit_log')
    .select(['action', 'created_at', 'actor_id', 'document_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return `#${id}`;
  const where = row.document_id ? `, document ${row.document_id}` : '';
  return `#${id} (${row.action} at ${row.created_at} by ${row.actor_id ?? 'the system'}${where})`;
}

async function check(store: Store, anchor: Anchor | null, io: CommandIo): Promise<number> {
  const out = (line: string) => io.stdout(`${line}\n`);
  const result = await new AuditLog(store).verifyChain();
  if (!result.ok) {
    out(`BROKEN: the audit log's first bad entry is ${await describeEntry(store, result.brokenId)}.`);
    out(`It fails because ${reasons[result.reason]}.`);
    out(`The ${result.count} entries before it are intact.`);
    return 1;
  }
  if (anchor) {
    const row = await store.db.selectFrom('audit_log').select('hash').where('id', '=', anchor.id).executeTakeFirst();
    if (!row || row.hash !== anchor.hash) {
      out(
        row
          ? `BROKEN: entry #${anchor.id} no longer has the anchored hash (${row.hash}): the log was rewritten up to it.`
          : `BROKEN: the anchored entry #${anchor.id} is gone: the log was cut or rewritten.`,
      );
      return 1;
    }
  }
  out(`OK: ${result.count} audit entries, every hash and link intact.`);
  if (result.head) out(`Newest entry: ${result.head.id}:${result.head.hash} (keep it to pass as --anchor next time)`);
  return 0;
}

/** Where the command writes, and the environment it reads its configuration from. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Runs `verify-audit` with `argv` (the arguments after the script); resolves with its exit code. */
export async function verifyAuditCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv);
  if ('help' in args) {
    io.stdout(usage);
    return 0;
  }
  if ('error' in args) {
    io.stderr(`${args.error}\n${usage}`);
    return 2;
  }
  let storeConfig: StoreConfig;
  try {
    const config = loadConfig(io.env);
    storeConfig = config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'sqlite', dataDir: config.dataDir };
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  // Opening a missing SQLite file would create an empty database and report an intact, empty chain.
  if (storeConfig.kind === 'sqlite' && !existsSync(join(storeConfig.dataDir, 'accord.db'))) {
    io.stderr(`No Accord database in ${storeConfig.dataDir} (set ACCORD_DATA_DIR or DATABASE_URL).\n`);
    return 2;
  }
  let store: Store | null = null;
  try {
    store = await openStore(storeConfig, { migrate: false });
    await sql`select 1 from audit_log limit 1`.execute(store.db);
    return await check(store, args.anchor, io);
  } catch (err) {
    io.stderr(`Cannot read the audit log: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  } finally {
    await store?.close();
  }
}
