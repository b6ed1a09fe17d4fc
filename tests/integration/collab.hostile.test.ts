import { MAX_PAYLOAD } from '@server/collab/collabServer';
import { CloseCode, MessageType } from '@shared/collab/protocol';
import {
  type CloseInfo,
  type CollabClient,
  docText,
  firstClauseText,
  insertInFirstClause,
  stateVector,
  syncedClient,
  waitForConvergence,
} from '@tests/helpers/collabClient';
import { healthy } from '@tests/helpers/http';
import { createRandom } from '@tests/helpers/random';
import { stopAllTestServers } from '@tests/helpers/testServer';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { type DemoServer, startDemoServer } from './demoServer';

/** A `sync` message of the given sub-type whose payload is `bytes`, framed correctly. */
function syncMessage(syncType: number, bytes: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, bytes);
  return encoding.toUint8Array(encoder);
}

/** A replica of `doc` whose next change is captured as an update instead of being sent anywhere. */
function captureUpdate(
  doc: Y.Doc,
  change: (scratch: Y.Doc) => void,
): { update: Uint8Array; clientID: number } {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  let update: Uint8Array | null = null;
  scratch.on('update', (u: Uint8Array) => {
    update = u;
  });
  change(scratch);
  if (!update) throw new Error('the change made no update');
  return { update, clientID: scratch.clientID };
}

describe('hostile bytes on the collaboration socket', () => {
  let demo: DemoServer;
  let victim: CollabClient;
  const clients: CollabClient[] = [];
  let round = 0;

  const connect = async (role: 'drafter' | 'cochair' | 'secretariat') => {
    const client = await syncedClient(demo.server.wsUrl, demo.documentId, {
      cookie: await demo.cookie(role),
    });
    clients.push(client);
    return client;
  };

  /** Opens an attacker's socket, sends `bytes` on it and resolves with how the server closed it. */
  const attack = async (bytes: Uint8Array | string): Promise<CloseInfo> => {
    const attacker = await connect('drafter');
    attacker.ws.send(bytes);
    return attacker.closed;
  };

  /** The bystander keeps editing, a fresh client converges with it, and the process still answers. */
  const expectBystanderUnharmed = async () => {
    const token = `bystander-edit-${++round}`;
    insertInFirstClause(victim.doc, 0, `${token} `);
    const fresh = await connect('secretariat');
    await waitForConvergence([victim.doc, fresh.doc]);
    expect(victim.open).toBe(true);
    expect(docText(fresh.doc)).toContain(token);
    expect(await healthy(demo.server.url)).toBe(true);
    expect(demo.server.alive).toBe(true);
  };

  beforeAll(async () => {
    demo = await startDemoServer();
    victim = await connect('cochair');
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it.each([1, 2, 3, 4, 5])(
    'a sync update of random bytes (seed %i) closes only the sender’s socket with a protocol error',
    async (seed) => {
      const garbage = createRandom(seed).bytes(64);
      expect(() => Y.decodeUpdate(garbage), 'the garbage must not be a valid update').toThrow();

      const closed = await attack(syncMessage(syncProtocol.messageYjsUpdate, garbage));

      expect(closed.code).toBe(CloseCode.protocolError);
      await expectBystanderUnharmed();
    },
  );

  it('a truncated sync update closes only the sender’s socket and none of it reaches the document', async () => {
    const { update, clientID } = captureUpdate(victim.doc, (scratch) => {
      firstClauseText(scratch).insert(0, 'truncated-update-text '.repeat(20));
    });
    const truncated = update.slice(0, Math.floor(update.length / 2));
    expect(() => Y.decodeUpdate(truncated), 'the truncated update must not decode').toThrow();

    const closed = await attack(syncMessage(syncProtocol.messageYjsUpdate, truncated));

    expect(closed.code).toBe(CloseCode.protocolError);
    await expectBystanderUnharmed();
    expect(stateVector(victim.doc).has(clientID)).toBe(false);
    expect(docText(victim.doc)).not.toContain('truncated-update-text');
  });

  it('a message that announces a huge length closes only the sender’s socket', async () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsUpdate);
    encoding.writeVarUint(encoder, 2 ** 50);
    encoding.writeUint8Array(encoder, new Uint8Array(16));

    const closed = await attack(encoding.toUint8Array(encoder));

    expect(closed.code).toBe(CloseCode.protocolError);
    await expectBystanderUnharmed();
  });

  it('a frame larger than the payload limit closes only the sender’s socket with 1009', async () => {
    const oversized = new Uint8Array(MAX_PAYLOAD + 1);

    const closed = await attack(oversized);

    expect(closed.code).toBe(1009);
    await expectBystanderUnharmed();
  });

  it('a text frame closes only the sender’s socket with a protocol error', async () => {
    const closed = await attack('{"type":"sync"}');

    expect(closed.code).toBe(CloseCode.protocolError);
    await expectBystanderUnharmed();
  });

  it('an unknown sync sub-type closes only the sender’s socket with a protocol error', async () => {
    const closed = await attack(syncMessage(7, new Uint8Array([1, 2, 3])));

    expect(closed.code).toBe(CloseCode.protocolError);
    await expectBystanderUnharmed();
  });

  it('an awareness update that is not JSON closes only the sender’s socket with a protocol error', async () => {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, 12345);
    encoding.writeVarUint(inner, 1);
    encoding.writeVarString(inner, '{not json');
    const outer = encoding.createEncoder();
    encoding.writeVarUint(outer, MessageType.awareness);
    encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));

    const closed = await attack(encoding.toUint8Array(outer));

    expect(closed.code).toBe(CloseCode.protocolError);
    await expectBystanderUnharmed();
  });

  it('an update that writes outside the body fragment closes the sender’s socket and is not applied', async () => {
    const { update, clientID } = captureUpdate(victim.doc, (scratch) => {
      scratch.getMap('smuggled').set('payload', 'x'.repeat(1000));
    });

    const closed = await attack(syncMessage(syncProtocol.messageYjsUpdate, update));

    expect(closed.code).toBe(CloseCode.protocolError);
    await expectBystanderUnharmed();
    const fresh = await connect('secretariat');
    expect(stateVector(fresh.doc).has(clientID)).toBe(false);
  });

  it('a client that floods messages is closed with the flood code and the others are unaffected', async () => {
    const flooder = await connect('drafter');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 42);
    const tiny = encoding.toUint8Array(encoder);

    for (let i = 0; i < 5000 && flooder.ws.readyState === flooder.ws.OPEN; i++) flooder.sendRaw(tiny);
    const closed = await flooder.closed;

    expect(closed.code).toBe(CloseCode.flood);
    await expectBystanderUnharmed();
  });

  it('a message of an unknown type is ignored: the sender stays connected and can still edit', async () => {
    const attacker = await connect('drafter');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 42);
    encoding.writeVarString(encoder, 'from a newer client');

    attacker.sendRaw(encoding.toUint8Array(encoder));
    await attacker.roundTrip();
    insertInFirstClause(attacker.doc, 0, 'after-unknown-type ');

    await waitForConvergence([attacker.doc, victim.doc]);
    expect(attacker.open).toBe(true);
    expect(docText(victim.doc)).toContain('after-unknown-type ');
    await expectBystanderUnharmed();
  });
});
