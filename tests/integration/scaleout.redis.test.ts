import { CloseCode } from '@shared/collab/protocol';
import { DocUpdates } from '@server/store/docUpdates';
import {
  appendClause,
  type CollabClient,
  clauses,
  clauseText,
  docText,
  firstClauseText,
  syncedClient,
  waitForConvergence,
} from '@tests/helpers/collabClient';
import { currentUser, documentAccess } from '@tests/helpers/http';
import { createRandom, seedFromEnv } from '@tests/helpers/random';
import { serviceStatus, TEST_REDIS_URL } from '@tests/helpers/services';
import { openServerStore, startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DemoRole, DemoServer } from './demoServer';
import { startDemoCluster } from './demoCluster';

const redis = await serviceStatus('redis');

/** The text of a document as storage holds it (compacted state and update log), read from outside. */
async function storedText(server: TestServer, documentId: string): Promise<string> {
  const store = await openServerStore(server);
  try {
    const stored = await new DocUpdates(store).load(documentId);
    const doc = new Y.Doc();
    Y.transact(doc, () => {
      if (stored.state) Y.applyUpdate(doc, stored.state);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    return docText(doc);
  } finally {
    await store.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(redis.ok)('several processes on one Redis', () => {
  const clients: CollabClient[] = [];
  const connect = async (demo: DemoServer, server: TestServer, role: DemoRole = 'drafter') => {
    const client = await syncedClient(server.wsUrl, demo.documentId, { cookie: await demo.cookie(role) });
    clients.push(client);
    return client;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it('converges clients on different processes editing the same clauses concurrently', async () => {
    const seed = seedFromEnv('SCALEOUT_SEED');
    console.info(`scale-out convergence seed ${seed} (replay with SCALEOUT_SEED=${seed})`);
    const random = createRandom(seed);
    const { demo, servers } = await startDemoCluster(2);
    const [a, b] = servers as [TestServer, TestServer];
    const writers = [
      await connect(demo, a, 'drafter'),
      await connect(demo, a, 'cochair'),
      await connect(demo, b, 'drafter'),
      await connect(demo, b, 'secretariat'),
    ];

    for (let round = 0; round < 40; round++) {
      for (const writer of writers) {
        const all = clauses(writer.doc);
        if (random.next() < 0.05) {
          appendClause(writer.doc, random.word(10), `scale-${seed}-${round}-${writer.doc.clientID}`);
          continue;
        }
        const text = clauseText(random.pick(all));
        if (text.length > 0 && random.next() < 0.3) {
          const at = random.int(text.length);
          text.delete(at, Math.min(1 + random.int(3), text.length - at));
        } else {
          text.insert(random.int(text.length + 1), random.word(5));
        }
      }
      // Let some rounds cross on the wire, others not: the updates interleave differently each time.
      if (random.next() < 0.5) await sleep(random.int(8));
    }

    await waitForConvergence(writers.map((w) => w.doc));
    await Promise.all(writers.map((w) => w.whenSaved()));
    // A newcomer on each process sees exactly what the writers see.
    const fresh = [await connect(demo, a, 'observer'), await connect(demo, b, 'panel')];
    await waitForConvergence([...writers, ...fresh].map((c) => c.doc));
    expect(fresh[0]!.fragment.toJSON()).toEqual(writers[0]!.fragment.toJSON());
    for (const c of [...writers, ...fresh]) expect(c.errors).toEqual([]);
  });

  it('shows the presence of a client on one process to a client on the other, and removes it when it leaves', async () => {
    const { demo, servers } = await startDemoCluster(2);
    const [a, b] = servers as [TestServer, TestServer];
    const cochair = await connect(demo, a, 'cochair');
    const observer = await connect(demo, b, 'observer');
    const cochairId = (await currentUser(a.url, await demo.cookie('cochair'))).id;

    cochair.awareness.setLocalStateField('cursor', { anchor: 3, head: 7 });
    await waitFor(() => observer.awareness.getStates().has(cochair.doc.clientID), {
      message: "the co-chair's presence to reach the other process",
    });
    const seen = observer.awareness.getStates().get(cochair.doc.clientID) as {
      cursor: unknown;
      user: { id: string; role: string };
    };
    expect(seen.cursor).toEqual({ anchor: 3, head: 7 });
    // The user field is the one the co-chair's own process set from the session.
    expect(seen.user).toMatchObject({ id: cochairId, role: 'co_chair' });

    await cochair.close();
    await waitFor(() => !observer.awareness.getStates().has(cochair.doc.clientID), {
      message: "the co-chair's presence to be removed on the other process",
    });
  });

  it('catches up a process that loads the document while another holds edits it has not stored yet', async () => {
    const { demo, servers } = await startDemoCluster(2);
    const [a, b] = servers as [TestServer, TestServer];
    const writer = await connect(demo, a);
    // Edits keep flowing on the first process while the second loads the document from storage.
    const tokens: string[] = [];
    let typing = true;
    const typist = (async () => {
      for (let i = 0; typing; i++) {
        const text = firstClauseText(writer.doc);
        const token = ` late${i}x`;
        text.insert(text.length, token);
        tokens.push(token.trim());
        // Well below the flood limit (300 messages a second).
        await sleep(5);
      }
    })();
    await sleep(50);
    const readers = await Promise.all([connect(demo, b, 'observer'), connect(demo, b, 'panel')]);
    await sleep(50);
    typing = false;
    await typist;

    await waitForConvergence([writer.doc, ...readers.map((r) => r.doc)]);
    const text = docText(readers[0]!.doc);
    expect(tokens.filter((t) => !text.includes(t))).toEqual([]);
  });

  it('delivers live events and access changes made on one process to connections on the other', async () => {
    const { demo, servers } = await startDemoCluster(2);
    const [a, b] = servers as [TestServer, TestServer];
    const observer = await connect(demo, b, 'observer');
    const panel = await connect(demo, b, 'panel');
    const secretariat = await demo.cookie('secretariat');
    const { dialogueId } = await documentAccess(a.url, demo.documentId, secretariat);
    const panelUser = await currentUser(a.url, await demo.cookie('panel'));

    // The Secretariat, served by the first process, makes the panel member an observer.
    const res = await fetch(`${a.url}/api/dialogues/${dialogueId}/members/${panelUser.id}`, {
      method: 'PATCH',
      headers: { cookie: secretariat, origin: a.url, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'observer' }),
    });
    expect(res.status, await res.text()).toBe(200);

    // The live event reaches a viewer on the second process …
    await waitFor(() => observer.events.some((e) => e.type === 'member.changed' && e.userId === panelUser.id), {
      message: 'the member.changed event to reach the other process',
    });
    expect(observer.events.find((e) => e.type === 'member.changed')).toMatchObject({
      documentId: demo.documentId,
      role: 'observer',
    });
    // … and the panel member's socket there is closed so it reconnects with its new role.
    expect((await panel.closed).code).toBe(CloseCode.roleChanged);
  });

  it('delivers a thread event made on one process to viewers on the other, internal notes only to the chairs', async () => {
    const { demo, servers } = await startDemoCluster(2);
    const [a, b] = servers as [TestServer, TestServer];
    const observer = await connect(demo, b, 'observer');
    const cochair = await connect(demo, b, 'cochair');
    const createThread = async (role: DemoRole, body: Record<string, unknown>) => {
      const res = await fetch(`${a.url}/api/documents/${demo.documentId}/threads`, {
        method: 'POST',
        headers: { cookie: await demo.cookie(role), origin: a.url, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      expect(res.status, text).toBeLessThan(300);
      return (JSON.parse(text) as { thread: { id: string } }).thread.id;
    };
    const about = (client: CollabClient, threadId: string) =>
      client.events.some((e) => JSON.stringify(e).includes(threadId));

    // Served by the first process; the viewers are on the second.
    const note = await createThread('secretariat', {
      anchor: { kind: 'document' },
      visibility: 'internal',
      body: 'INTERNAL-ACROSS-PROCESSES',
    });
    const open = await createThread('panel', { anchor: { kind: 'document' }, body: 'A public thread.' });

    await waitFor(() => about(observer, open) && about(cochair, open), {
      message: 'the public thread event to reach both viewers on the other process',
    });
    expect(observer.events.find((e) => JSON.stringify(e).includes(open))?.type).toBe('thread.created');
    await waitFor(() => about(cochair, note), { message: 'the internal note to reach the co-chair' });
    // Events of one process arrive in order: the public one came after the note, so the note would be here.
    expect(about(observer, note)).toBe(false);
    expect(JSON.stringify(observer.events)).not.toContain('INTERNAL-ACROSS-PROCESSES');
  });

  it('loses no acknowledged edit when a process is killed with SIGKILL during editing, and its clients finish on the other', async () => {
    const { demo, servers } = await startDemoCluster(2);
    const [a, b] = servers as [TestServer, TestServer];
    const onA = await connect(demo, a, 'drafter');
    const onB = await connect(demo, b, 'cochair');

    /** Each writer's tokens with the clock its replica reached when the token was typed. */
    const typed = new Map<CollabClient, { token: string; clock: number }[]>([
      [onA, []],
      [onB, []],
    ]);
    let typing = true;
    const type = async (writer: CollabClient, name: string) => {
      for (let i = 0; typing; i++) {
        const text = firstClauseText(writer.doc);
        const token = `${name}${i}x`;
        // At either end of the clause, never inside another token (which would split it).
        text.insert(i % 2 === 0 ? 0 : text.length, ` ${token} `);
        typed.get(writer)!.push({ token, clock: Y.getState(writer.doc.store, writer.doc.clientID) });
        await sleep(5);
      }
    };
    const typists = [type(onA, 'alpha'), type(onB, 'beta')];

    await waitFor(() => (onA.saved.get(onA.doc.clientID) ?? 0) > 200, {
      message: 'the first writer to have edits acknowledged',
    });
    await a.kill('SIGKILL');
    demo.use(b);
    // What the killed process had acknowledged to its client, at the moment it died.
    const ackedClock = onA.saved.get(onA.doc.clientID) ?? 0;
    const acked = typed.get(onA)!.filter((t) => t.clock <= ackedClock).map((t) => t.token);
    expect(acked.length).toBeGreaterThan(0);

    // Every acknowledged edit is in storage, whatever the clients do next.
    const stored = await storedText(b, demo.documentId);
    expect(acked.filter((t) => !stored.includes(t))).toEqual([]);

    // The killed process's client reconnects to the survivor (as the load balancer sends it) and
    // both keep typing a little longer.
    await onA.closed;
    await onA.reconnect(b.wsUrl);
    await onA.whenSynced();
    await sleep(200);
    typing = false;
    await Promise.all(typists);

    await waitForConvergence([onA.doc, onB.doc]);
    await Promise.all([onA.whenSaved(20_000), onB.whenSaved(20_000)]);
    const fresh = await connect(demo, b, 'observer');
    await waitForConvergence([onA.doc, onB.doc, fresh.doc]);
    const text = docText(fresh.doc);
    for (const [writer, tokens] of typed) {
      const missing = tokens.filter((t) => !text.includes(t.token));
      expect(missing, `tokens of client ${writer.doc.clientID} missing`).toEqual([]);
    }

    // And a process started afterwards on the same storage serves the same document.
    const c = await startTestServer({ env: { REDIS_URL: TEST_REDIS_URL }, shareStorageWith: b });
    await b.kill('SIGKILL');
    demo.use(c);
    const late = await connect(demo, c, 'panel');
    expect(late.fragment.toJSON()).toEqual(fresh.fragment.toJSON());
  });
});
