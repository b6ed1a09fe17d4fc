import { tryUpgrade, type UpgradeResult } from '@tests/helpers/collabClient';
import { openServerStore, stopAllTestServers } from '@tests/helpers/testServer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoServer, startDemoServer } from './demoServer';

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** A refusal is an HTTP error with a JSON body, and not one WebSocket message. */
function expectRefused(result: UpgradeResult, statuses: readonly number[]): void {
  expect(statuses, `status ${result.status}, body ${result.body}`).toContain(result.status);
  expect(result.messages).toBe(0);
  expect(errorBody.safeParse(JSON.parse(result.body)).success, result.body).toBe(true);
}

describe('collaboration upgrade', () => {
  let demo: DemoServer;
  let cookie: string;
  let origin: string;

  beforeAll(async () => {
    demo = await startDemoServer();
    cookie = await demo.cookie('drafter');
    origin = demo.server.url;
  });

  afterAll(() => stopAllTestServers());

  it('is accepted with a session cookie and the server’s own Origin, and then sends Yjs messages', async () => {
    const result = await tryUpgrade(demo.server.wsUrl, demo.documentId, { cookie, origin });
    expect(result.status).toBe(101);
    expect(result.messages).toBeGreaterThan(0);
  });

  it('is refused with 401 before any byte when there is no session cookie', async () => {
    expectRefused(await tryUpgrade(demo.server.wsUrl, demo.documentId, { origin }), [401]);
  });

  it('is refused with 401 before any byte when the session cookie is forged', async () => {
    const forged = 'accord_session=not-a-real-session-token';
    expectRefused(await tryUpgrade(demo.server.wsUrl, demo.documentId, { cookie: forged, origin }), [401]);
  });

  it('is refused with 403 before any byte when the Origin is foreign', async () => {
    const result = await tryUpgrade(demo.server.wsUrl, demo.documentId, {
      cookie,
      origin: 'http://evil.example',
    });
    expectRefused(result, [403]);
  });

  it('is refused with 403 or 404 before any byte for a document that does not exist', async () => {
    expectRefused(await tryUpgrade(demo.server.wsUrl, 'no-such-document', { cookie, origin }), [403, 404]);
  });

  it('is refused with 404 before any byte for a path that is not a document id', async () => {
    expectRefused(await tryUpgrade(demo.server.wsUrl, 'a.b', { cookie, origin }), [404]);
  });

  it('is refused with 403 or 404 before any byte for a document of a dialogue the user is not a member of', async () => {
    const now = new Date().toISOString();
    const store = await openServerStore(demo.server);
    try {
      await store.db
        .insertInto('dialogues')
        .values({ id: 'foreign-dialogue', name: 'Another dialogue', created_at: now })
        .execute();
      await store.db
        .insertInto('documents')
        .values({
          id: 'foreign-document',
          dialogue_id: 'foreign-dialogue',
          title: 'Not yours',
          settings: '{}',
          created_at: now,
          updated_at: now,
        })
        .execute();
    } finally {
      await store.close();
    }

    expectRefused(await tryUpgrade(demo.server.wsUrl, 'foreign-document', { cookie, origin }), [403, 404]);
  });
});
