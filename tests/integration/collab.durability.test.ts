import {
  appendClause,
  type CollabClient,
  clauses,
  docText,
  firstClauseText,
  syncedClient,
  waitForConvergence,
} from '@tests/helpers/collabClient';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './demoServer';

describe('durability of the live draft', () => {
  const clients: CollabClient[] = [];
  const connect = async (demo: DemoServer) => {
    const client = await syncedClient(demo.server.wsUrl, demo.documentId, {
      cookie: await demo.cookie('drafter'),
    });
    clients.push(client);
    return client;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it('keeps every edit acknowledged as saved when the server is killed with SIGKILL right after', async () => {
    const demo = await startDemoServer();
    const writer = await connect(demo);
    const tokens = Array.from({ length: 500 }, (_, i) => `tok${i}x`);
    for (const token of tokens) {
      const text = firstClauseText(writer.doc);
      text.insert(text.length, ` ${token}`);
    }
    await writer.whenSaved(20_000);

    await demo.server.kill('SIGKILL');
    demo.use(await demo.server.restart());
    const reader = await connect(demo);

    const text = docText(reader.doc);
    const missing = tokens.filter((t) => !text.includes(t));
    expect(missing, `${missing.length} of ${tokens.length} saved edits lost`).toEqual([]);
  });

  it('never duplicates content over three restarts with a client reconnecting each time', async () => {
    const demo = await startDemoServer();
    const writer = await connect(demo);
    appendClause(writer.doc, 'A clause written before the restarts.');
    await writer.whenSaved();
    const json = writer.fragment.toJSON();
    const textLength = docText(writer.doc).length;
    const clauseCount = clauses(writer.doc).length;

    for (const signal of ['SIGTERM', 'SIGKILL', 'SIGTERM'] as const) {
      await demo.server.kill(signal);
      demo.use(await demo.server.restart());
      await writer.reconnect(demo.server.wsUrl);
      await writer.whenSynced();
      const fresh = await connect(demo);
      await waitForConvergence([writer.doc, fresh.doc]);

      expect(fresh.fragment.toJSON(), `after ${signal}`).toEqual(json);
      expect(docText(fresh.doc).length, `after ${signal}`).toBe(textLength);
      expect(clauses(fresh.doc).length, `after ${signal}`).toBe(clauseCount);
    }
  });
});
