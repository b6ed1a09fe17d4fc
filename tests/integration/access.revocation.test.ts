/**
 * "A change of role or a removal takes effect at once, on open connections too" (PRODUCT.md §1),
 * measured: within 5 s an open socket of a removed member is closed with `accessRevoked`, and one of
 * a member whose role was lowered is closed with `roleChanged` and reconnects read-only — on the
 * process that made the change and on another process behind the same Redis.
 */
import { hashPassword } from '@server/auth/password';
import { Users } from '@server/store/users';
import { CloseCode } from '@shared/collab/protocol';
import {
  type CollabClient,
  connectClient,
  docText,
  insertInFirstClause,
  syncedClient,
} from '@tests/helpers/collabClient';
import { documentAccess, signIn } from '@tests/helpers/http';
import { serviceStatus } from '@tests/helpers/services';
import { openServerStore, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCluster } from './demoCluster';
import type { DemoServer } from './demoServer';

/** The bound of the acceptance line. */
const LIMIT_MS = 5000;
const redis = await serviceStatus('redis');

describe.runIf(redis.ok)('access changes reach open connections', () => {
  let demo: DemoServer;
  let a: TestServer;
  let b: TestServer;
  let dialogueId: string;
  let secretariat: string;
  const clients: CollabClient[] = [];
  let people = 0;

  beforeAll(async () => {
    const cluster = await startDemoCluster(2);
    demo = cluster.demo;
    [a, b] = cluster.servers as [TestServer, TestServer];
    secretariat = await demo.cookie('secretariat');
    ({ dialogueId } = await documentAccess(a.url, demo.documentId, secretariat));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await stopAllTestServers();
  });

  /** A new account made a member with `role` through the API; returns its id and signed-in cookie. */
  const newMember = async (role: string) => {
    const email = `access-${++people}@revocation.test`;
    const store = await openServerStore(a);
    let id: string;
    try {
      id = (await new Users(store).create({ email, name: `Member ${people}`, passwordHash: await hashPassword('member password') })).id;
    } finally {
      await store.close();
    }
    const res = await manage('POST', `/api/dialogues/${dialogueId}/members`, { email, role });
    expect(res.status).toBe(201);
    return { id, cookie: await signIn(a.url, email, 'member password') };
  };
  const manage = (method: string, path: string, body?: unknown) =>
    fetch(`${a.url}${path}`, {
      method,
      headers: { cookie: secretariat, origin: a.url, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const open = async (server: TestServer, cookie: string) => {
    const client = await syncedClient(server.wsUrl, demo.documentId, { cookie });
    clients.push(client);
    return client;
  };
  /** Makes a change on process `a` and resolves with how long the socket took to close after it was answered. */
  const closeDelay = async (client: CollabClient, change: () => Promise<Response>) => {
    const res = await change();
    expect(res.status, await res.text()).toBeLessThan(300);
    const answered = Date.now();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`socket still open ${LIMIT_MS} ms after the change`)), LIMIT_MS).unref(),
    );
    const closed = await Promise.race([client.closed, timeout]);
    return { ...closed, ms: Date.now() - answered };
  };

  describe.each([
    ['the same process', () => a],
    ['another process (Redis)', () => b],
  ] as const)('on %s', (_where, server) => {
    it('closes the socket of a removed member within 5 s, and the member cannot reopen it', async () => {
      const { id, cookie } = await newMember('drafter');
      const client = await open(server(), cookie);
      const closed = await closeDelay(client, () => manage('DELETE', `/api/dialogues/${dialogueId}/members/${id}`));
      console.info(`removal closed a socket on ${_where} after ${closed.ms} ms`);
      expect(closed.code).toBe(CloseCode.accessRevoked);
      expect(closed.ms).toBeLessThan(LIMIT_MS);
      await expect(connectClient(server().wsUrl, demo.documentId, { cookie })).rejects.toThrow(/refused with 40[34]/);
    });

    it('closes the socket of a drafter lowered to observer within 5 s, and the reopened socket is read-only', async () => {
      const { id, cookie } = await newMember('drafter');
      const client = await open(server(), cookie);
      const closed = await closeDelay(client, () =>
        manage('PATCH', `/api/dialogues/${dialogueId}/members/${id}`, { role: 'observer' }),
      );
      console.info(`demotion closed a socket on ${_where} after ${closed.ms} ms`);
      expect(closed.code).toBe(CloseCode.roleChanged);
      expect(closed.ms).toBeLessThan(LIMIT_MS);

      // The client reconnects (as the browser does on roleChanged): its edits are now dropped.
      await client.reconnect();
      await client.whenSynced();
      const watcher = await open(a, secretariat);
      const token = `after-demotion-${Date.now()} `;
      insertInFirstClause(client.doc, 0, token);
      await client.roundTrip();
      const writer = await open(server(), await demo.cookie('drafter'));
      const marker = `marker-${Date.now()} `;
      insertInFirstClause(writer.doc, 0, marker);
      await waitFor(() => docText(watcher.doc).includes(marker), { message: 'a writer’s later edit to reach the watcher' });
      expect(docText(watcher.doc)).not.toContain(token);
      expect(client.isSaved()).toBe(false);
    });
  });
});
