/**
 * The authorization matrix of the collaboration socket (issue 8, "Access"), through a real server:
 * every principal × the upgrade to the live draft and to a frozen version × every message kind a
 * client can send (sync step 1, document update, awareness, awareness query, `auth`, Accord's own
 * server-only kinds and an unknown one). Expected allow/deny is one table; a denied write must reach
 * neither storage nor any peer. The REST half of the matrix is tests/integration/access.matrix.test.ts.
 */
import { hashPassword } from '@server/auth/password';
import { DocUpdates } from '@server/store/docUpdates';
import { Users } from '@server/store/users';
import { MessageType } from '@shared/collab/protocol';
import {
  type CollabClient,
  docText,
  insertInFirstClause,
  syncedClient,
  tryUpgrade,
} from '@tests/helpers/collabClient';
import { currentUser, signIn } from '@tests/helpers/http';
import { openServerStore, stopAllTestServers } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './demoServer';

const principals = [
  'secretariat',
  'cochair',
  'drafter',
  'panel',
  'observer',
  'validator',
  'otherValidator',
  'nonMember',
  'anonymous',
] as const;
type Who = (typeof principals)[number];
type Reader = 'secretariat' | 'cochair' | 'drafter' | 'panel' | 'observer';

/** Who may open the live draft's socket; nobody opens a frozen version's (it is read over REST). */
const upgradeAllowed: Record<'live' | 'frozen', readonly Who[]> = {
  live: ['secretariat', 'cochair', 'drafter', 'panel', 'observer'],
  frozen: [],
};

/** What each message kind does for each reader: applied/relayed (`allow`) or dropped (`deny`). */
const messageAllowed = {
  syncStep1: ['secretariat', 'cochair', 'drafter', 'panel', 'observer'],
  update: ['secretariat', 'cochair', 'drafter'],
  awareness: ['secretariat', 'cochair', 'drafter', 'panel', 'observer'],
  queryAwareness: ['secretariat', 'cochair', 'drafter', 'panel', 'observer'],
  // Client-sent `auth` and the server-only kinds carry nothing the server acts on: ignored for everyone.
  ignoredKinds: [],
} as const satisfies Record<string, readonly Reader[]>;

const readers: Reader[] = ['secretariat', 'cochair', 'drafter', 'panel', 'observer'];

function raw(type: number, write: (e: encoding.Encoder) => void = () => undefined): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}

describe('the authorization matrix of the collaboration socket', () => {
  let demo: DemoServer;
  const cookies = new Map<Who, string>();
  let versionId: string;
  const clients: CollabClient[] = [];

  /** What storage holds of the document: the number of stored updates and its text. */
  const stored = async () => {
    const store = await openServerStore(demo.server);
    try {
      const s = await new DocUpdates(store).load(demo.documentId);
      return { updates: s.updates.length, hasState: s.state !== null };
    } finally {
      await store.close();
    }
  };

  const connect = async (who: Reader) => {
    const client = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: cookies.get(who) });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    demo = await startDemoServer();
    const { url } = demo.server;
    for (const role of readers) cookies.set(role, await demo.cookie(role));
    const sec = cookies.get('secretariat')!;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { cookie: sec, origin: url, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const D = `/api/documents/${demo.documentId}`;
    versionId = ((await api('POST', `${D}/versions`, { label: 'Access matrix' })) as { version: { id: string } }).version.id;
    const versions = ((await api('GET', `${D}/versions`)) as { versions: { id: string }[] }).versions;
    const otherVersion = versions.find((v) => v.id !== versionId)!.id;
    // Validators join through their invitation link, as a person would.
    for (const [who, onVersion] of [
      ['validator', versionId],
      ['otherValidator', otherVersion],
    ] as const) {
      const res = (await api('POST', `${D}/rounds`, {
        versionId: onVersion,
        title: `Round for ${who}`,
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        invite: [`${who.toLowerCase()}@matrix.test`],
      })) as { invitations: { link: string }[] };
      const token = res.invitations[0]!.link.split('/invitations/')[1]!;
      const accepted = await fetch(`${url}/api/invitations/${token}/accept`, {
        method: 'POST',
        headers: { origin: url, 'content-type': 'application/json' },
        body: JSON.stringify({ name: who, password: 'a long enough password' }),
      });
      expect(accepted.status).toBe(200);
      cookies.set(who, accepted.headers.getSetCookie()[0]!.split(';')[0]!);
    }
    // An account that belongs to no dialogue.
    const store = await openServerStore(demo.server);
    try {
      await new Users(store).create({
        email: 'outsider@matrix.test',
        name: 'Outsider',
        passwordHash: await hashPassword('outsider password'),
      });
    } finally {
      await store.close();
    }
    cookies.set('nonMember', await signIn(url, 'outsider@matrix.test', 'outsider password'));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it.each(['live', 'frozen'] as const)('opens the %s socket exactly for the roles the table allows, refusing the others before any Yjs byte', async (state) => {
    const mismatches: string[] = [];
    for (const who of principals) {
      const target = state === 'live' ? demo.documentId : versionId;
      const cookie = cookies.get(who);
      const result = await tryUpgrade(demo.server.wsUrl, target, {
        origin: demo.server.url,
        ...(cookie ? { cookie } : {}),
      });
      const allowed = upgradeAllowed[state].includes(who);
      const ok = allowed
        ? result.status === 101 && result.messages > 0
        : result.messages === 0 && (who === 'anonymous' ? result.status === 401 : [403, 404].includes(result.status));
      if (!ok) mismatches.push(`${state} ${who}: ${result.status}, ${result.messages} messages, expected ${allowed ? 'open' : 'refused'}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('answers sync step 1 and awareness queries of every reader', async () => {
    for (const who of readers) {
      const client = await connect(who);
      expect(messageAllowed.syncStep1).toContain(who);
      await client.roundTrip();
      const before = client.received.get(MessageType.awareness) ?? 0;
      client.sendRaw(raw(MessageType.queryAwareness));
      await waitFor(() => (client.received.get(MessageType.awareness) ?? 0) > before, {
        message: `an awareness answer to ${who}'s query`,
      });
      expect(messageAllowed.queryAwareness).toContain(who);
      await client.destroy();
    }
  });

  it('applies document updates of the writing roles only; a read-only update reaches neither storage nor peers', async () => {
    const watcher = await connect('secretariat');
    const writer = await connect('drafter');
    let marker = 0;
    for (const who of readers) {
      const client = await connect(who);
      const token = `matrix-${who}-${Date.now()} `;
      const before = await stored();
      insertInFirstClause(client.doc, 0, token);
      await client.roundTrip();
      if ((messageAllowed.update as readonly string[]).includes(who)) {
        await client.whenSaved();
        await waitFor(() => docText(watcher.doc).includes(token), { message: `${who}'s edit to reach a peer` });
      } else {
        // Anything relayed of the dropped write would arrive before a later edit of a writer.
        const after = `writer-after-${who}-${++marker} `;
        insertInFirstClause(writer.doc, 0, after);
        await writer.whenSaved();
        await waitFor(() => docText(watcher.doc).includes(after), { message: 'the writer’s later edit' });
        expect(docText(watcher.doc)).not.toContain(token);
        const fresh = await connect('observer');
        expect(docText(fresh.doc)).not.toContain(token);
        expect((await stored()).updates).toBe(before.updates + 1); // the writer's edit only
        await fresh.destroy();
      }
      await client.destroy();
    }
  });

  it('relays the awareness of every reader with the identity the server set, never the one claimed', async () => {
    const watcher = await connect('secretariat');
    for (const who of readers) {
      const client = await connect(who);
      const me = await currentUser(demo.server.url, cookies.get(who)!);
      client.awareness.setLocalState({ probe: who, user: { id: 'forged', name: 'Mallory', role: 'secretariat' } });
      await waitFor(() => (watcher.awareness.getStates().get(client.doc.clientID) as { probe?: string } | undefined)?.probe === who, {
        message: `${who}'s presence to reach the watcher`,
      });
      const seen = (watcher.awareness.getStates().get(client.doc.clientID) as { user: Record<string, unknown> }).user;
      expect(messageAllowed.awareness).toContain(who);
      expect(seen).toMatchObject({ id: me.id, name: me.name });
      expect(seen.name).not.toBe('Mallory');
      await client.destroy();
    }
  });

  it('ignores client-sent auth and server-only message kinds from every reader: the socket stays, nothing changes', async () => {
    const ignored = [
      raw(MessageType.auth, (e) => encoding.writeVarUint(e, 0)),
      raw(MessageType.saved, (e) => encoding.writeVarUint(e, 0)),
      raw(MessageType.event, (e) => encoding.writeVarString(e, JSON.stringify({ type: 'member.changed', userId: 'x', role: 'secretariat' }))),
      raw(MessageType.ack, (e) => encoding.writeVarUint(e, 999)),
      raw(250),
    ];
    const watcher = await connect('secretariat');
    for (const who of readers) {
      const client = await connect(who);
      const before = await stored();
      const events = watcher.events.length;
      for (const message of ignored) client.sendRaw(message);
      await client.roundTrip();
      expect(client.open).toBe(true);
      expect(await stored()).toEqual(before);
      expect(watcher.events.length).toBe(events);
      expect(messageAllowed.ignoredKinds).not.toContain(who);
      await client.destroy();
    }
  });
});
