/**
 * Anchors of comment threads against the real server: a thread is made on words of a clause through
 * the REST API, other clients edit that clause concurrently over the collaboration socket, and a new
 * client that loads the document and the threads finds the thread on the same words — or reports it
 * orphaned, with its quote, once the words are deleted.
 */
import { type RangeAnchor, type Thread, threadListSchema, threadResponseSchema } from '@shared/api/threads';
import { anchorContextOf, createRangeAnchor, findClause, resolveAnchor } from '@shared/comments/anchor';
import { type CollabClient, syncedClient, waitForConvergence } from '@tests/helpers/collabClient';
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { createRandom, seedFromEnv } from '@tests/helpers/random';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

/** Clause 2.4 of the demo: plain text, no brackets, no tracked changes, no demo thread. */
const CLAUSE = 'c-demo00020004';
const WORDS = 'evaluated by an independent panel';

/** The Y.XmlText of a clause, and its characters without formatting. */
function clauseText(doc: Y.Doc, clauseId: string): Y.XmlText {
  for (const objective of doc.getXmlFragment('body').toArray()) {
    if (!(objective instanceof Y.XmlElement)) continue;
    for (const child of objective.toArray()) {
      if (child instanceof Y.XmlElement && child.getAttribute('id') === clauseId) {
        const text = child.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
        if (text) return text;
      }
    }
  }
  throw new Error(`No clause ${clauseId}`);
}

function plain(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

describe('thread anchors through the real server', () => {
  let server: TestServer;
  let documentId: string;
  const cookies: Record<string, string> = {};
  const clients: CollabClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    for (const [role, email] of Object.entries(demoUsers)) cookies[role] = await signIn(server.url, email);
    documentId = await firstDocumentId(server.url, cookies.drafter as string);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  afterAll(async () => {
    await stopAllTestServers();
  });

  const connect = async (role: keyof typeof demoUsers) => {
    const client = await syncedClient(server.wsUrl, documentId, { cookie: cookies[role] as string });
    clients.push(client);
    return client;
  };

  async function api(role: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${server.url}/api/documents/${documentId}${path}`, {
      method,
      headers: { cookie: cookies[role] as string, origin: server.url, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }

  /** The panel member comments on `words` of `clauseId`, from their own replica. */
  async function commentOn(clauseId: string, words: string): Promise<Thread> {
    const panel = await connect('panel');
    const ctx = anchorContextOf(panel.doc);
    const clause = findClause(ctx.doc, clauseId);
    const index = clause?.node.textContent.indexOf(words) ?? -1;
    if (!clause || index < 0) throw new Error(`"${words}" is not in ${clauseId}`);
    const from = clause.pos + 1 + index;
    const anchor = createRangeAnchor(ctx, from, from + words.length) as RangeAnchor;
    const { thread } = threadResponseSchema.parse(await api('panel', 'POST', '/threads', { anchor, body: 'Which panel?' }));
    if (!thread) throw new Error('no thread');
    return thread;
  }

  /** What a newcomer sees: the thread from the API, resolved in a fresh replica from the server. */
  async function newcomerSees(threadId: string) {
    const observer = await connect('observer');
    const { threads } = threadListSchema.parse(await api('observer', 'GET', '/threads'));
    const thread = threads.find((t) => t.id === threadId);
    if (!thread) throw new Error('the thread is not listed');
    return resolveAnchor(thread.anchor, anchorContextOf(observer.doc));
  }

  it('stays on the same words after concurrent edits before, inside and after the range by other clients', async () => {
    const thread = await commentOn(CLAUSE, WORDS);
    const drafter = await connect('drafter');
    const cochair = await connect('cochair');
    const d = clauseText(drafter.doc, CLAUSE);
    const c = clauseText(cochair.doc, CLAUSE);
    // Concurrent: neither has seen the other's edit when making their own.
    d.insert(0, 'Within five years, ');
    c.insert(plain(c).indexOf('independent'), 'fully ');
    d.insert(plain(d).indexOf(' after three years'), ' of experts');
    c.insert(plain(c).length - 1, ', renewable once');
    await waitForConvergence([drafter.doc, cochair.doc]);
    await Promise.all([drafter.whenSaved(), cochair.whenSaved()]);

    const seen = await newcomerSees(thread.id);
    expect(seen).toMatchObject({ status: 'anchored', text: 'evaluated by an fully independent panel', clauseId: CLAUSE });
    // Everyone's replica agrees.
    for (const client of [drafter, cochair]) {
      expect(resolveAnchor(thread.anchor, anchorContextOf(client.doc))).toMatchObject({
        status: 'anchored',
        text: 'evaluated by an fully independent panel',
      });
    }
  });

  it('keeps a seeded-random stream of concurrent edits around the range off the commented words', async () => {
    const seed = seedFromEnv('ACCORD_ANCHOR_SEED');
    const random = createRandom(seed);
    console.log(`anchor edit stream seed: ${seed} (replay with ACCORD_ANCHOR_SEED=${seed})`);
    const between = (lo: number, hi: number) => lo + random.int(hi - lo + 1);
    const words = 'open, machine-readable';
    const clauseId = 'c-demo00020002';
    const thread = await commentOn(clauseId, words);
    const editors = [await connect('drafter'), await connect('cochair'), await connect('secretariat')];
    for (let round = 0; round < 40; round++) {
      const editor = random.pick(editors);
      const text = clauseText(editor.doc, clauseId);
      const now = plain(text);
      const start = now.indexOf(words);
      // Edit anywhere except strictly inside the words: before them, after them, at either edge.
      const before = random.int(2) === 0;
      const at = before ? between(0, start) : between(start + words.length, now.length);
      if (random.int(4) === 0 && (before ? at < start : at < now.length)) {
        const room = before ? start - at : now.length - at;
        text.delete(at, Math.min(room, between(1, 4)));
      } else {
        text.insert(at, random.pick(['x', ' new ', ', ', 'and ', '—']));
      }
    }
    await waitForConvergence(editors.map((e) => e.doc));
    await Promise.all(editors.map((e) => e.whenSaved()));
    const seen = await newcomerSees(thread.id);
    expect(seen, `seed ${seed}`).toMatchObject({ status: 'anchored', text: words });
  });

  it('reports the thread orphaned, with its quote, once another client deletes the words', async () => {
    const thread = await commentOn('c-demo00040004', 'preserved and opened');
    const drafter = await connect('drafter');
    const text = clauseText(drafter.doc, 'c-demo00040004');
    text.delete(plain(text).indexOf('preserved and opened'), 'preserved and opened'.length);
    await drafter.whenSaved();
    expect(await newcomerSees(thread.id)).toEqual({ status: 'orphaned', quote: 'preserved and opened' });
    // The thread itself is kept, open, with its comments.
    const { thread: kept } = threadResponseSchema.parse(await api('drafter', 'GET', `/threads/${thread.id}`));
    expect(kept).toMatchObject({ status: 'open', comments: [{ body: 'Which panel?' }] });
  });

  it('stays orphaned after the server compacts and reloads the document', async () => {
    const thread = await commentOn('c-demo00030003', 'common registry');
    const drafter = await connect('drafter');
    const text = clauseText(drafter.doc, 'c-demo00030003');
    text.delete(plain(text).indexOf('common registry'), 'common registry'.length);
    await drafter.whenSaved();
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    server = await server.restart();
    for (const [role, email] of Object.entries(demoUsers)) cookies[role] = await signIn(server.url, email);
    expect(await newcomerSees(thread.id)).toEqual({ status: 'orphaned', quote: 'common registry' });
  });
});
