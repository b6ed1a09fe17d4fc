/**
 * Seeded convergence fuzzing through the real server: several clients edit one document at random
 * (insertions, deletions, formatting, new and deleted clauses) over a jittery network, disconnect and
 * reconnect, while the server is killed or stopped and restarted. At the end every replica, a fresh
 * client and what the server stored must be identical: same state vector, same ProseMirror JSON.
 *
 * Replay a run with `ACCORD_FUZZ_SEED=<seed>` (printed on failure). A seed that once failed goes into
 * `REGRESSION_SEEDS`, which run every time.
 */
import {
  appendClause,
  type CollabClient,
  clauses,
  clauseText,
  syncedClient,
  waitForConvergence,
} from '@tests/helpers/collabClient';
import { announceSoakSkip, pmJson, sleep, soak, storedDoc } from '@tests/helpers/durability';
import { createRandom, type Random } from '@tests/helpers/random';
import { stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type DemoRole, type DemoServer, startDemoServer } from '../integration/demoServer';

/**
 * Seeds run on every test run: seeds that once found a bug stay here for good, with what they found.
 * (None of the seeds tried so far failed; these fix the coverage of the normal suite.)
 */
const REGRESSION_SEEDS: readonly number[] = [1, 20251123];

/** How big a run is. */
interface FuzzSize {
  clients: number;
  operations: number;
  /** Most server restarts in one run (each a SIGKILL or a SIGTERM, at a random moment). */
  restarts: number;
  /** Largest delay of one message, each way, in milliseconds. */
  maxLatencyMs: number;
}

const small: FuzzSize = { clients: 5, operations: 400, restarts: 1, maxLatencyMs: 25 };
const large: FuzzSize = { clients: 20, operations: 2500, restarts: 4, maxLatencyMs: 60 };

const writers: readonly DemoRole[] = ['drafter', 'cochair', 'secretariat'];

function envSeed(): number | null {
  const raw = process.env.ACCORD_FUZZ_SEED;
  if (raw === undefined || raw === '') return null;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`ACCORD_FUZZ_SEED must be an integer, got "${raw}"`);
  return seed;
}

/** One fuzz run; throws naming the seed when the replicas do not end identical. */
async function fuzz(seed: number, size: FuzzSize): Promise<string> {
  const random = createRandom(seed);
  const demo: DemoServer = await startDemoServer();
  const clients: CollabClient[] = [];
  // Each client's network jitter has its own generator, so the operations drawn from `random` do not
  // depend on how many messages happened to flow.
  for (let i = 0; i < size.clients; i++) {
    const jitter = createRandom(seed * 31 + i);
    clients.push(
      await syncedClient(demo.server.wsUrl, demo.documentId, {
        cookie: await demo.cookie(writers[i % writers.length]!),
        latency: () => jitter.int(size.maxLatencyMs + 1),
      }),
    );
  }
  /** Whether each client means to be online (it is reconnected after a server restart if so). */
  const online = clients.map(() => true);
  let restarting: Promise<TestServer> | null = null;
  let clausesAdded = 0;
  // When the server goes down: at operations drawn up front, so every seed restarts as often as asked.
  const restartAt = new Set(
    Array.from({ length: size.restarts }, () => Math.floor(size.operations * (0.1 + 0.8 * random.next()))),
  );
  const stats = { operations: 0, restarts: 0, disconnects: 0 };

  const serverUp = () => restarting === null;
  const finishRestart = async () => {
    if (!restarting) return;
    demo.use(await restarting);
    restarting = null;
    await Promise.all(clients.map((c, i) => (online[i] ? c.reconnect(demo.server.wsUrl) : undefined)));
  };

  const step = async (i: number) => {
    // A restart: the server dies (or stops) and comes back while the clients keep editing offline.
    if (restartAt.has(i) && serverUp()) {
      stats.restarts++;
      const signal = random.next() < 0.5 ? 'SIGKILL' : 'SIGTERM';
      await demo.server.kill(signal);
      restarting = demo.server.restart();
      return;
    }
    // While it is down, the clients edit offline for a random number of operations, then wait for it.
    if (!serverUp() && random.next() < 0.03) {
      await finishRestart();
      return;
    }
    const roll = random.next();
    const index = random.int(clients.length);
    const client = clients[index]!;
    if (roll < 0.035) {
      online[index] = !online[index];
      stats.disconnects++;
      if (!online[index]) {
        if (client.open) await client.close();
      } else if (serverUp()) {
        await client.reconnect(demo.server.wsUrl);
      }
      return;
    }
    edit(client, random, () => `fuzz-${seed}-${clausesAdded++}`);
  };

  try {
    for (let i = 0; i < size.operations; i++) {
      await step(i);
      stats.operations++;
      // Let messages flow at random points, so that edits interleave differently with each seed.
      const pause = random.next();
      if (pause < 0.3) await new Promise((resolve) => setImmediate(resolve));
      else if (pause < 0.4) await sleep(random.int(8));
    }
    await finishRestart();
    await Promise.all(clients.map((c) => (c.open ? undefined : c.reconnect(demo.server.wsUrl))));
    await Promise.all(clients.map((c) => c.whenSynced(20_000)));
    await waitForConvergence(
      clients.map((c) => c.doc),
      30_000,
    );
    await Promise.all(clients.map((c) => c.whenSaved(20_000)));
    const fresh = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie('observer') });
    clients.push(fresh);
    await waitForConvergence(clients.map((c) => c.doc));

    const [first, ...rest] = clients.map((c) => c.doc);
    const expectedVector = Y.encodeStateVector(first!);
    const expectedJson = pmJson(first!);
    for (const doc of rest) {
      expect(Y.encodeStateVector(doc)).toEqual(expectedVector);
      expect(pmJson(doc)).toEqual(expectedJson);
      expect(doc.getXmlFragment('body').toString()).toBe(first!.getXmlFragment('body').toString());
    }
    // The server's storage holds the same (a deletion does not advance a state vector, so its
    // commit may trail `saved` by a moment: wait for the content too).
    await waitFor(
      async () => {
        const stored = await storedDoc(demo.server, demo.documentId);
        return (
          Buffer.from(Y.encodeStateVector(stored)).equals(Buffer.from(expectedVector)) &&
          JSON.stringify(pmJson(stored)) === JSON.stringify(expectedJson)
        );
      },
      { timeout: 15_000, interval: 250, message: 'the stored document to equal the replicas' },
    );
    for (const client of clients) expect(client.errors).toEqual([]);
    return `${stats.operations} operations, ${stats.disconnects} disconnects/reconnects, ${stats.restarts} server restarts, ${size.clients} clients`;
  } catch (err) {
    const problems = demo.server.logs.filter((line) => /"level":(40|50|60)/.test(line)).slice(-10);
    throw new Error(
      `Convergence fuzz failed; replay with ACCORD_FUZZ_SEED=${seed}\n` +
        `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nServer warnings:\n${problems.join('\n')}`,
      { cause: err },
    );
  } finally {
    if (restarting) await (restarting as Promise<TestServer>).catch(() => undefined);
    await Promise.all(clients.map((c) => c.destroy()));
  }
}

/** One random edit of `client`'s replica. */
function edit(client: CollabClient, random: Random, newClauseId: () => string): void {
  const all = clauses(client.doc);
  const roll = random.next();
  if (roll < 0.05) {
    appendClause(client.doc, random.word(12), newClauseId());
    return;
  }
  if (roll < 0.07 && all.length > 3) {
    const victim = random.pick(all);
    const parent = victim.parent;
    if (parent instanceof Y.XmlElement) {
      const index = parent.toArray().indexOf(victim);
      if (index >= 0) parent.delete(index, 1);
    }
    return;
  }
  const text = clauseText(random.pick(all));
  if (roll < 0.12 && text.length > 0) {
    const at = random.int(text.length);
    const length = Math.min(1 + random.int(8), text.length - at);
    text.format(at, length, { bold: random.next() < 0.7 ? {} : null });
    return;
  }
  if (roll < 0.75 || text.length === 0) {
    text.insert(random.int(text.length + 1), `${random.word()} `);
    return;
  }
  const at = random.int(text.length);
  text.delete(at, Math.min(1 + random.int(5), text.length - at));
}

describe('convergence through the real server', () => {
  afterEach(async () => {
    await stopAllTestServers();
  });

  const replay = envSeed();
  if (replay !== null) {
    it(`replays seed ${replay}: replicas, a fresh client and storage end identical`, async () => {
      console.info(`convergence fuzz ACCORD_FUZZ_SEED=${replay}: ${await fuzz(replay, soak ? large : small)}`);
    }, 600_000);
    return;
  }

  it.each(REGRESSION_SEEDS)(
    'regression seed %i: five clients with jitter, disconnects and a restart end identical to each other and to storage',
    async (seed) => {
      console.info(`convergence fuzz ACCORD_FUZZ_SEED=${seed}: ${await fuzz(seed, small)}`);
    },
    120_000,
  );

  it('a fresh random seed: five clients with jitter, disconnects and a restart end identical', async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    console.info(`convergence fuzz ACCORD_FUZZ_SEED=${seed}: ${await fuzz(seed, small)}`);
  }, 120_000);

  announceSoakSkip('convergence fuzz, 10 seeds × 20 clients');
  it.skipIf(!soak)('ten random seeds: twenty clients with jitter, disconnects and restarts end identical', async () => {
    for (let i = 0; i < 10; i++) {
      const seed = Math.floor(Math.random() * 2 ** 31);
      const started = Date.now();
      const summary = await fuzz(seed, large);
      console.info(`convergence fuzz ACCORD_FUZZ_SEED=${seed}: ${summary}, ${(Date.now() - started) / 1000} s`);
      await stopAllTestServers();
    }
  }, 1_800_000);
});
