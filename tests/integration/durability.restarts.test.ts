/**
 * No duplication: restarting the server over and over (gracefully or killed) while clients reload
 * must never add content. Content comes once from storage; a reloaded tab brings back its offline
 * copy (IndexedDB in the browser) under a new client id, which must merge into nothing new.
 */
import { appendClause, type CollabClient, clauses, syncedClient, waitForConvergence } from '@tests/helpers/collabClient';
import { announceSoakSkip, documentHash, soak, storedDoc } from '@tests/helpers/durability';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startDemoServer } from './demoServer';

describe('restarts and reloads', () => {
  const clients: CollabClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await stopAllTestServers();
  });

  const cycles = async (count: number) => {
    const started = Date.now();
    const demo = await startDemoServer();
    const cookie = await demo.cookie('drafter');
    let tab = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie });
    clients.push(tab);
    appendClause(tab.doc, 'A clause written before the restarts.');
    await tab.whenSaved();
    const hash = documentHash(tab.doc);
    const vector = Y.encodeStateVector(tab.doc);
    const clauseCount = clauses(tab.doc).length;

    for (let cycle = 1; cycle <= count; cycle++) {
      await demo.server.kill(cycle % 2 === 0 ? 'SIGKILL' : 'SIGTERM');
      demo.use(await demo.server.restart());
      // The tab reloads: a new replica (new client id) starts from the offline copy of the old one.
      const offlineCopy = new Y.Doc();
      Y.applyUpdate(offlineCopy, Y.encodeStateAsUpdate(tab.doc));
      await tab.destroy();
      tab = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie, doc: offlineCopy });
      clients.push(tab);
      // And a client that had never seen the document.
      const fresh = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie });
      clients.push(fresh);
      await waitForConvergence([tab.doc, fresh.doc]);

      const what = `after restart ${cycle}`;
      expect(documentHash(fresh.doc), what).toBe(hash);
      expect(documentHash(tab.doc), what).toBe(hash);
      expect(Y.encodeStateVector(fresh.doc), what).toEqual(vector);
      expect(clauses(fresh.doc).length, what).toBe(clauseCount);
      await fresh.destroy();
    }
    expect(documentHash(await storedDoc(demo.server, demo.documentId))).toBe(hash);
    console.info(`no duplication: ${count} restarts with reloads, document hash ${hash.slice(0, 12)}… unchanged, ${(Date.now() - started) / 1000} s`);
  };

  it('ten restarts, each followed by a tab reload from its offline copy and a fresh client, leave the document hash unchanged', async () => {
    await cycles(10);
  }, 240_000);

  announceSoakSkip('50 restarts with reloads');
  it.skipIf(!soak)('fifty restarts with reloads leave the document hash unchanged', async () => {
    await cycles(50);
  }, 900_000);
});
