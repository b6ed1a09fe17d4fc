import { type CollabClient, syncedClient } from '@tests/helpers/collabClient';
import { currentUser, documentAccess } from '@tests/helpers/http';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRole, type DemoServer, startDemoServer } from './demoServer';

type Presence = { probe?: string; user?: Record<string, unknown> } | undefined;

describe('presence (awareness)', () => {
  let demo: DemoServer;
  const clients: CollabClient[] = [];
  const connect = async (role: DemoRole) => {
    const client = await syncedClient(demo.server.wsUrl, demo.documentId, {
      cookie: await demo.cookie(role),
    });
    clients.push(client);
    return client;
  };
  const presenceOf = (viewer: CollabClient, clientID: number) =>
    viewer.awareness.getStates().get(clientID) as Presence;

  beforeAll(async () => {
    demo = await startDemoServer();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it('shows others the name and role of the session, not the ones the client claims', async () => {
    const mallory = await connect('drafter');
    const viewer = await connect('cochair');
    const cookie = await demo.cookie('drafter');
    const user = await currentUser(demo.server.url, cookie);
    const { role } = await documentAccess(demo.server.url, demo.documentId, cookie);

    mallory.awareness.setLocalState({ probe: 'claims', user: { name: 'Mallory', role: 'secretariat' } });
    await waitFor(() => presenceOf(viewer, mallory.doc.clientID)?.probe === 'claims', {
      message: 'the drafter’s presence to reach the co-chair',
    });

    const seen = presenceOf(viewer, mallory.doc.clientID)?.user;
    expect(seen).toMatchObject({ id: user.id, name: user.name, role });
    expect(seen?.name).not.toBe('Mallory');
    expect(role).toBe('drafter');
  });

  it('removes a client’s presence for the others when it disconnects', async () => {
    const leaving = await connect('drafter');
    const viewer = await connect('cochair');
    leaving.awareness.setLocalState({ probe: 'leaving' });
    await waitFor(() => presenceOf(viewer, leaving.doc.clientID)?.probe === 'leaving', {
      message: 'the presence to reach the viewer',
    });

    await leaving.close();

    await waitFor(() => !viewer.awareness.getStates().has(leaving.doc.clientID), {
      message: 'the presence of the disconnected client to disappear',
    });
  });

  it('does not let a client overwrite the presence of another client', async () => {
    const honest = await connect('cochair');
    const forger = await connect('drafter');
    const viewer = await connect('secretariat');
    honest.awareness.setLocalState({ probe: 'honest' });
    await waitFor(() => presenceOf(viewer, honest.doc.clientID)?.probe === 'honest', {
      message: 'the co-chair’s presence to reach the viewer',
    });
    const before = presenceOf(viewer, honest.doc.clientID);

    // The forger publishes a state under the honest client's id, with a higher clock.
    forger.awareness.states.set(honest.doc.clientID, { probe: 'forged' });
    forger.awareness.meta.set(honest.doc.clientID, { clock: 1000, lastUpdated: Date.now() });
    forger.awareness.emit('update', [{ added: [], updated: [honest.doc.clientID], removed: [] }, 'local']);
    // Then a change of its own, which the viewer can wait for: the forgery was handled before it.
    forger.awareness.setLocalState({ probe: 'forger-after' });
    await waitFor(() => presenceOf(viewer, forger.doc.clientID)?.probe === 'forger-after', {
      message: 'the forger’s own presence to reach the viewer',
    });

    expect(presenceOf(viewer, honest.doc.clientID)).toEqual(before);
  });
});
