/**
 * Storage that fails under a running server. While the database refuses writes, edits keep flowing
 * between clients but none is acknowledged as saved; once writing works again everything is stored.
 * A document whose stored data cannot be loaded refuses connections and is never overwritten.
 *
 * How the database is made unwritable: on SQLite another connection holds `BEGIN EXCLUSIVE` (the
 * server's writes wait out their busy timeout and fail with SQLITE_BUSY); on PostgreSQL the database
 * is switched to read-only transactions and the server's connections are cut (what a failover to a
 * read-only replica looks like).
 */
import { computeSavedStatus } from '@client/collab/savedStatus';
import { MessageType } from '@shared/collab/protocol';
import {
  type CollabClient,
  docText,
  stateVector,
  syncedClient,
  tryUpgrade,
  waitForConvergence,
} from '@tests/helpers/collabClient';
import { documentHash, sleep, storedDoc, TokenLedger } from '@tests/helpers/durability';
import { createRandom } from '@tests/helpers/random';
import { openServerStore, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './demoServer';

/** Makes the server's database refuse writes until the returned function is called. */
async function refuseWrites(server: TestServer): Promise<() => Promise<void>> {
  if (!server.databaseUrl) {
    const blocker = new SqliteDatabase(join(server.dataDir, 'accord.db'));
    blocker.exec('BEGIN EXCLUSIVE');
    return async () => {
      blocker.exec('ROLLBACK');
      blocker.close();
    };
  }
  const url = new URL(server.databaseUrl);
  const name = url.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Unexpected test database name ${name}`);
  const admin = new pg.Client({ connectionString: server.databaseUrl });
  await admin.connect();
  const cutConnections = () =>
    admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
      name,
    ]);
  await admin.query(`alter database ${name} set default_transaction_read_only = on`);
  await cutConnections();
  return async () => {
    await admin.query(`alter database ${name} reset default_transaction_read_only`);
    // Connections opened during the outage are read-only for life: cut them too.
    await cutConnections();
    await admin.end();
  };
}

/** How many "storing updates failed" lines the server logged, with the retry delays it announced. */
function storeFailures(server: TestServer): number[] {
  return server.logs
    .filter((line) => line.includes('"storing updates failed"'))
    .map((line) => Number((JSON.parse(line) as { retryInMs?: number }).retryInMs));
}

describe('when storage fails', () => {
  const clients: CollabClient[] = [];
  const connect = async (demo: DemoServer, role: 'drafter' | 'cochair' | 'observer') => {
    const client = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie(role) });
    clients.push(client);
    return client;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it('acknowledges nothing while the database refuses writes, keeps relaying edits, and stores them all once it accepts writes again', async () => {
    const demo = await startDemoServer();
    const writer = await connect(demo, 'drafter');
    const peer = await connect(demo, 'cochair');
    const ledger = new TokenLedger();
    const random = createRandom(8);
    ledger.type(writer, 0, random);
    await writer.whenSaved();
    await sleep(100);
    const acksBefore = writer.received.get(MessageType.ack) ?? 0;
    const savedBefore = writer.saved.get(writer.doc.clientID);

    const restore = await refuseWrites(demo.server);
    let restored = false;
    try {
      for (let i = 0; i < 30; i++) {
        ledger.type(writer, 0, random);
        await sleep(20);
      }
      // The server applied and relayed the edits: the peer has every one of them.
      await waitFor(() => ledger.missingFrom(docText(peer.doc)).length === 0, {
        timeout: 20_000,
        message: 'the peer to receive the edits made during the outage',
      });
      // Give the server time to try, fail and retry storing them.
      await waitFor(() => storeFailures(demo.server).length >= 1, {
        timeout: 20_000,
        message: 'the server to report a failed store',
      });
      await sleep(1500);

      expect(ledger.acked(), 'only the edit made before the outage is acknowledged').toEqual([ledger.typed[0]!.token]);
      expect(writer.saved.get(writer.doc.clientID)).toBe(savedBefore);
      expect(peer.saved.get(writer.doc.clientID)).toBe(savedBefore);
      expect(writer.received.get(MessageType.ack) ?? 0, 'no ack during the outage').toBe(acksBefore);
      expect(
        computeSavedStatus({ connected: writer.open, local: stateVector(writer.doc), stored: writer.saved }),
        'the indicator does not say "Saved"',
      ).toBe('saving');
      // The writer keeps its edits.
      expect(ledger.missingFrom(docText(writer.doc))).toEqual([]);

      await restore();
      restored = true;
    } finally {
      if (!restored) await restore();
    }

    await writer.whenSaved(30_000);
    await waitFor(() => (writer.received.get(MessageType.ack) ?? 0) > acksBefore, { message: 'an ack after recovery' });
    expect(ledger.acked()).toHaveLength(ledger.typed.length);
    const failures = storeFailures(demo.server);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    // Each failure announces a retry after a delay that never shrinks while failing (back-off).
    expect(failures.every((ms, i) => ms >= 100 && ms >= (failures[i - 1] ?? 0))).toBe(true);

    // Losing its database connections did not crash or wound the process.
    expect(demo.server.logs.filter((line) => /"level":60/.test(line)), 'fatal log lines').toEqual([]);
    expect(demo.server.alive).toBe(true);

    // Stored for real: after a crash, a fresh client and the database both hold every token.
    await demo.server.kill('SIGKILL');
    demo.use(await demo.server.restart());
    const fresh = await connect(demo, 'observer');
    expect(ledger.missingFrom(docText(fresh.doc))).toEqual([]);
    expect(ledger.missingFrom(docText(await storedDoc(demo.server, demo.documentId)))).toEqual([]);
    expect(ledger.count(docText(fresh.doc)).duplicated).toBe(0);
    await waitForConvergence([writer.doc, peer.doc]);
  }, 120_000);
});

describe('when a document cannot be loaded', () => {
  afterEach(async () => {
    await stopAllTestServers();
  });

  /** Every stored row of the document, to prove nothing was written over it. */
  const storedRows = async (server: TestServer, documentId: string) => {
    const store = await openServerStore(server);
    try {
      const states = await store.db
        .selectFrom('doc_states')
        .select(['data', 'last_update_id'])
        .where('document_id', '=', documentId)
        .execute();
      const updates = await store.db
        .selectFrom('doc_updates')
        .select(['id', 'data'])
        .where('document_id', '=', documentId)
        .orderBy('id')
        .execute();
      return {
        states: states.map((s) => ({ data: Buffer.from(s.data).toString('hex'), last: Number(s.last_update_id) })),
        updates: updates.map((u) => ({ id: u.id, data: Buffer.from(u.data).toString('hex') })),
      };
    } finally {
      await store.close();
    }
  };

  const expectRefused = async (demo: DemoServer) => {
    const result = await tryUpgrade(demo.server.wsUrl, demo.documentId, {
      cookie: await demo.cookie('drafter'),
      origin: demo.server.url,
    });
    expect(result.status).toBe(503);
    expect(JSON.parse(result.body)).toEqual({
      error: { code: 'load_failed', message: expect.stringMatching(/could not be loaded/) },
    });
    expect(result.messages, 'no Yjs byte before the refusal').toBe(0);
  };

  it('refuses connections to a document with a corrupt stored update and never overwrites it', async () => {
    const demo = await startDemoServer();
    const original = documentHash(await storedDoc(demo.server, demo.documentId));
    // A stored update cut short (a torn write, a bad copy): decoding it throws.
    const store = await openServerStore(demo.server);
    const state = await store.db
      .selectFrom('doc_states')
      .select('data')
      .where('document_id', '=', demo.documentId)
      .executeTakeFirstOrThrow();
    const corrupt = new Uint8Array(state.data).slice(0, Math.floor(state.data.length / 2));
    await store.db
      .insertInto('doc_updates')
      .values({ document_id: demo.documentId, data: corrupt, user_id: null, created_at: new Date().toISOString() })
      .execute();
    await store.close();
    const before = await storedRows(demo.server, demo.documentId);

    await expectRefused(demo);
    await expectRefused(demo);
    // A graceful restart (which compacts loaded documents) does not touch it either.
    demo.use(await demo.server.restart());
    await expectRefused(demo);
    expect(await storedRows(demo.server, demo.documentId)).toEqual(before);

    // Once the bad row is removed by hand, the document opens with its content intact.
    const repair = await openServerStore(demo.server);
    await repair.db.deleteFrom('doc_updates').where('document_id', '=', demo.documentId).where('data', '=', corrupt).execute();
    await repair.close();
    const reader = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie('drafter') });
    try {
      expect(documentHash(reader.doc)).toBe(original);
    } finally {
      await reader.destroy();
    }
  }, 90_000);

  it('refuses connections while the database fails to read the document, then opens it unchanged', async () => {
    const demo = await startDemoServer();
    const original = documentHash(await storedDoc(demo.server, demo.documentId));
    const before = await storedRows(demo.server, demo.documentId);
    const store = await openServerStore(demo.server);
    try {
      // Reading the update log fails as if the table were gone (a broken or half-restored database).
      await sql`alter table doc_updates rename to doc_updates_away`.execute(store.db);
      try {
        await expectRefused(demo);
      } finally {
        await sql`alter table doc_updates_away rename to doc_updates`.execute(store.db);
      }
    } finally {
      await store.close();
    }
    expect(await storedRows(demo.server, demo.documentId)).toEqual(before);
    const reader = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie('drafter') });
    try {
      expect(documentHash(reader.doc)).toBe(original);
    } finally {
      await reader.destroy();
    }
  }, 90_000);
});
