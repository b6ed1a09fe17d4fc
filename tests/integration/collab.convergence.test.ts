import {
  type CollabClient,
  docText,
  firstClauseText,
  insertInFirstClause,
  syncedClient,
  waitForConvergence,
} from '@tests/helpers/collabClient';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type DemoServer, startDemoServer } from './demoServer';

describe('live co-drafting', () => {
  let demo: DemoServer;
  const clients: CollabClient[] = [];
  const connect = async (role: 'drafter' | 'cochair' | 'secretariat') => {
    const client = await syncedClient(demo.server.wsUrl, demo.documentId, {
      cookie: await demo.cookie(role),
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    demo = await startDemoServer();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it('a fresh client receives the stored demo document', async () => {
    const reader = await connect('drafter');
    expect(reader.fragment.length).toBeGreaterThan(0);
    expect(docText(reader.doc).length).toBeGreaterThan(0);
  });

  it("one drafter's edit reaches another connected drafter", async () => {
    const a = await connect('drafter');
    const b = await connect('cochair');
    insertInFirstClause(a.doc, 0, 'relayed-token ');
    await waitForConvergence([a.doc, b.doc]);
    expect(docText(b.doc)).toContain('relayed-token ');
  });

  it('two drafters editing the same clause at once end identical, and a fresh client sees the same', async () => {
    const a = await connect('drafter');
    const b = await connect('cochair');
    const lengthBefore = firstClauseText(a.doc).length;
    // Neither waits for the other: every edit is concurrent with some of the other's.
    for (let i = 0; i < 40; i++) {
      insertInFirstClause(a.doc, (i * 7) % (lengthBefore + 1), `a${i};`);
      insertInFirstClause(b.doc, (i * 5) % (lengthBefore + 1), `b${i};`);
      if (i % 10 === 9) {
        firstClauseText(a.doc).delete(0, 2);
        firstClauseText(b.doc).delete(1, 3);
      }
    }
    await waitForConvergence([a.doc, b.doc]);
    await Promise.all([a.whenSaved(), b.whenSaved()]);
    const fresh = await connect('secretariat');
    await waitForConvergence([a.doc, b.doc, fresh.doc]);

    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(a.doc));
    expect(fresh.fragment.toJSON()).toEqual(a.fragment.toJSON());
    expect(b.fragment.toJSON()).toEqual(a.fragment.toJSON());
    const text = docText(fresh.doc);
    expect(text).toContain('a39;');
    expect(text).toContain('b39;');
  });

  it('edits made while disconnected are sent on reconnect and reach the others', async () => {
    const a = await connect('drafter');
    const b = await connect('cochair');
    await a.close();
    insertInFirstClause(a.doc, 0, 'offline-token ');
    insertInFirstClause(b.doc, 0, 'online-token ');
    await a.reconnect();
    await a.whenSynced();
    await waitForConvergence([a.doc, b.doc]);
    expect(docText(b.doc)).toContain('offline-token ');
    expect(docText(a.doc)).toContain('online-token ');
  });
});
