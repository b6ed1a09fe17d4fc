import {
  appendClause,
  type CollabClient,
  clauses,
  clauseText,
  syncedClient,
  waitForConvergence,
} from '@tests/helpers/collabClient';
import { createRandom, seedFromEnv } from '@tests/helpers/random';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type DemoRole, startDemoServer } from '../integration/demoServer';

/** How many random operations the clients make in total. */
const OPERATIONS = 1200;
const roles: readonly DemoRole[] = ['drafter', 'cochair', 'secretariat', 'drafter'];

describe('convergence through the real server', () => {
  const clients: CollabClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it('four clients editing at random, with random disconnects and reconnects, end with identical documents', async () => {
    const seed = seedFromEnv('FUZZ_SEED');
    console.info(`convergence fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
    const random = createRandom(seed);
    const demo = await startDemoServer();
    for (const role of roles) {
      clients.push(
        await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie(role) }),
      );
    }
    let clausesAdded = 0;

    const step = async () => {
      const client = random.pick(clients);
      const roll = random.next();
      if (roll < 0.04) {
        if (client.open) await client.close();
        else await client.reconnect();
        return;
      }
      const all = clauses(client.doc);
      if (roll < 0.08) {
        appendClause(client.doc, random.word(12), `fuzz-${seed}-${clausesAdded++}`);
        return;
      }
      if (roll < 0.1 && all.length > 3) {
        const victim = random.pick(all);
        const parent = victim.parent;
        if (parent instanceof Y.XmlElement) {
          const index = parent.toArray().indexOf(victim);
          if (index >= 0) parent.delete(index, 1);
        }
        return;
      }
      const text = clauseText(random.pick(all));
      if (roll < 0.75 || text.length === 0) {
        text.insert(random.int(text.length + 1), `${random.word()} `);
      } else {
        const at = random.int(text.length);
        text.delete(at, Math.min(1 + random.int(5), text.length - at));
      }
    };

    try {
      for (let i = 0; i < OPERATIONS; i++) {
        await step();
        // Let messages flow at random points so that edits interleave differently with each seed.
        const pause = random.next();
        if (pause < 0.3) await new Promise((resolve) => setImmediate(resolve));
        else if (pause < 0.35) await new Promise((resolve) => setTimeout(resolve, random.int(5)));
      }
      for (const client of clients) if (!client.open) await client.reconnect();
      await Promise.all(clients.map((c) => c.whenSynced()));
      await waitForConvergence(clients.map((c) => c.doc));
      await Promise.all(clients.map((c) => c.whenSaved()));
      const fresh = await syncedClient(demo.server.wsUrl, demo.documentId, {
        cookie: await demo.cookie('drafter'),
      });
      clients.push(fresh);
      await waitForConvergence(clients.map((c) => c.doc));
    } catch (err) {
      const problems = demo.server.logs.filter((line) => /"level":(40|50|60)/.test(line)).slice(-10);
      throw new Error(
        `Fuzz failed with FUZZ_SEED=${seed}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nServer warnings:\n${problems.join('\n')}`,
        { cause: err },
      );
    }

    const [first, ...rest] = clients.map((c) => c.doc);
    for (const doc of rest) {
      expect(Y.encodeStateVector(doc), `FUZZ_SEED=${seed}`).toEqual(Y.encodeStateVector(first!));
      expect(doc.getXmlFragment('body').toJSON(), `FUZZ_SEED=${seed}`).toEqual(
        first!.getXmlFragment('body').toJSON(),
      );
    }
    for (const client of clients) expect(client.errors, `FUZZ_SEED=${seed}`).toEqual([]);
  });
});
