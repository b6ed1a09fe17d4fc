import {
  type CollabClient,
  docText,
  insertInFirstClause,
  stateVector,
  syncedClient,
  waitForConvergence,
} from '@tests/helpers/collabClient';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRole, type DemoServer, startDemoServer } from './demoServer';

let demo: DemoServer;
const clients: CollabClient[] = [];
let markers = 0;
const connect = async (role: DemoRole) => {
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

describe.each(['observer', 'panel'] as const)('a read-only %s connection', (readOnlyRole) => {
  /**
   * Makes the read-only client write, then proves the server has handled that write (a sync round
   * trip on the same socket) and that a later edit by `writer` reached `peer`: whatever the server
   * would have relayed of the dropped write would have arrived before it.
   */
  const writeAndSettle = async (
    reader: CollabClient,
    writer: CollabClient,
    peer: CollabClient,
    token: string,
  ) => {
    insertInFirstClause(reader.doc, 0, token);
    await reader.roundTrip();
    const marker = `writer-marker-${++markers} `;
    insertInFirstClause(writer.doc, 0, marker);
    await waitFor(() => docText(peer.doc).includes(marker), {
      message: `the writer's edit after the read-only write to reach the peer`,
    });
  };

  it('has its document updates dropped: another connected client never sees them', async () => {
    const reader = await connect(readOnlyRole);
    const writer = await connect('drafter');
    const peer = await connect('cochair');
    const token = `forged-by-${readOnlyRole} `;

    await writeAndSettle(reader, writer, peer, token);

    expect(docText(peer.doc)).not.toContain(token);
    expect(stateVector(peer.doc).has(reader.doc.clientID)).toBe(false);
  });

  it('has its document updates dropped: the stored document, seen by a fresh drafter, is unchanged', async () => {
    const reader = await connect(readOnlyRole);
    const writer = await connect('drafter');
    const token = `stored-forgery-by-${readOnlyRole} `;

    await writeAndSettle(reader, writer, writer, token);
    await writer.whenSaved();
    const fresh = await connect('drafter');

    expect(docText(fresh.doc)).not.toContain(token);
    expect(stateVector(fresh.doc).has(reader.doc.clientID)).toBe(false);
    expect(fresh.fragment.toJSON()).toEqual(writer.fragment.toJSON());
  });

  it("still receives other members' edits", async () => {
    const reader = await connect(readOnlyRole);
    const writer = await connect('drafter');
    insertInFirstClause(writer.doc, 0, `for-the-${readOnlyRole} `);

    await waitFor(() => docText(reader.doc).includes(`for-the-${readOnlyRole} `), {
      message: `the drafter's edit to reach the ${readOnlyRole}`,
    });
  });

  it('receives the stored document in full on connect', async () => {
    const writer = await connect('drafter');
    const reader = await connect(readOnlyRole);
    await waitForConvergence([writer.doc, reader.doc]);
    expect(reader.fragment.toJSON()).toEqual(writer.fragment.toJSON());
  });
});
