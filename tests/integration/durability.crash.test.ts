/**
 * The crash test: many clients type unique tokens into one document while the server process is
 * killed with SIGKILL at random moments and restarted on the same storage. Whatever the server
 * acknowledged as saved must be there for a fresh client before anyone reconnects; once the original
 * clients reconnect, everything they typed (online or while the server was down) must be there too.
 */
import { type CollabClient, docText, syncedClient } from '@tests/helpers/collabClient';
import { announceSoakSkip, sleep, soak, storedDoc, TokenLedger } from '@tests/helpers/durability';
import { createRandom, type Random, seedFromEnv } from '@tests/helpers/random';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoRole, type DemoServer, startDemoServer } from './demoServer';

const editors: readonly DemoRole[] = ['drafter', 'cochair', 'secretariat'];

interface CrashRun {
  clients: number;
  kills: number;
}

describe('durability under SIGKILL', () => {
  const open: CollabClient[] = [];

  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.destroy()));
    await stopAllTestServers();
  });

  /** The text a fresh client (a new replica, not one of the typists) receives from the server. */
  const freshText = async (demo: DemoServer): Promise<string> => {
    const fresh = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie('observer') });
    try {
      return docText(fresh.doc);
    } finally {
      await fresh.destroy();
    }
  };

  const crashRun = async ({ clients: clientCount, kills }: CrashRun) => {
    const seed = seedFromEnv('ACCORD_CRASH_SEED');
    const random: Random = createRandom(seed);
    const label = `ACCORD_CRASH_SEED=${seed}`;
    const started = Date.now();
    const demo = await startDemoServer();
    const clients: CollabClient[] = [];
    for (let i = 0; i < clientCount; i++) {
      const client = await syncedClient(demo.server.wsUrl, demo.documentId, {
        cookie: await demo.cookie(editors[i % editors.length]!),
      });
      clients.push(client);
      open.push(client);
    }
    const ledger = new TokenLedger();

    // One typist loop for all clients: a token every few milliseconds from a random client, whether
    // its socket is open or not (offline edits are kept and sent on reconnect).
    let typing = true;
    const typist = (async () => {
      while (typing) {
        const index = random.int(clients.length);
        ledger.type(clients[index]!, index, random);
        await sleep(2 + random.int(6));
      }
    })();

    try {
      for (let kill = 1; kill < kills; kill++) {
        await sleep(150 + random.int(1200));
        await demo.server.kill('SIGKILL');
        // The server is down: typing goes on while it restarts.
        demo.use(await demo.server.restart());

        // Before any original client is back, a fresh one must see everything acknowledged so far.
        const acked = ledger.acked();
        const missing = ledger.missingFrom(await freshText(demo), acked);
        expect(missing, `${label}: after kill ${kill}, ${missing.length} of ${acked.length} acknowledged tokens missing`).toEqual([]);

        await Promise.all(clients.map((c) => c.reconnect(demo.server.wsUrl)));
      }
    } finally {
      typing = false;
      await typist;
    }

    // The last crash: nobody reconnects before the full check.
    await demo.server.kill('SIGKILL');
    demo.use(await demo.server.restart());
    const acked = ledger.acked();
    const beforeReconnect = await freshText(demo);
    const missingAcked = ledger.missingFrom(beforeReconnect, acked);

    await Promise.all(clients.map((c) => c.reconnect(demo.server.wsUrl)));
    await Promise.all(clients.map((c) => c.whenSynced(20_000)));
    await Promise.all(clients.map((c) => c.whenSaved(30_000)));
    const afterReconnect = await freshText(demo);
    const missingAny = ledger.missingFrom(afterReconnect);
    const counts = ledger.count(afterReconnect);
    const onDisk = ledger.missingFrom(docText(await storedDoc(demo.server, demo.documentId)));

    console.info(
      `crash test (${label}): ${clientCount} clients, ${kills} SIGKILLs, ` +
        `${ledger.typed.length} tokens typed, ${acked.length} acknowledged as saved before the last kill, ` +
        `${acked.length - missingAcked.length} of them present for a fresh client before reconnecting, ` +
        `${counts.present} present after the clients reconnected (${counts.duplicated} duplicated), ` +
        `${(Date.now() - started) / 1000} s`,
    );
    expect(missingAcked, `${label}: acknowledged tokens missing after the last kill`).toEqual([]);
    expect(missingAny, `${label}: typed tokens missing after the clients reconnected`).toEqual([]);
    expect(onDisk, `${label}: typed tokens missing from storage`).toEqual([]);
    expect(counts.duplicated, `${label}: tokens present more than once`).toBe(0);
    // A crash test that acknowledged nothing proved nothing.
    expect(acked.length).toBeGreaterThan(ledger.typed.length / 4);
    for (const client of clients) expect(client.errors, label).toEqual([]);
  };

  it('loses no saved edit and, once clients reconnect, no edit at all: 20 clients, 5 SIGKILLs', async () => {
    await crashRun({ clients: 20, kills: 5 });
  }, 180_000);

  announceSoakSkip('20 clients, 20 SIGKILLs');
  it.skipIf(!soak)('loses no saved edit and, once clients reconnect, no edit at all: 20 clients, 20 SIGKILLs', async () => {
    await crashRun({ clients: 20, kills: 20 });
  }, 900_000);
});
