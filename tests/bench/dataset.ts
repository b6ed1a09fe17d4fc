import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store, type StoreConfig } from '@server/store/db';
import { BODY_FRAGMENT } from '@shared/schema';
import { z } from 'zod';
import * as Y from 'yjs';
import { createRandom } from '../helpers/random';
import { type BenchServer, signIn, startServer } from './serverProcess';

/** The demo account the simulated editors sign in as: a drafter may edit the text. */
export const BENCH_USER = { email: 'drafter@demo.accord', password: 'accord-demo' } as const;

/** A prepared store, copied afresh for every run. */
export interface Dataset {
  /** The SQLite data directory, or the PostgreSQL database to copy (as a template). */
  store: StoreConfig;
  /** A session cookie stored in the database, valid in every copy. */
  cookie: string;
  /** The demo document first, then its copies. */
  documentIds: string[];
  /** Documents of about `BIG_DOCUMENT_CHARS` characters each (for memory per loaded document). */
  bigDocumentIds: string[];
}

/** What peers are seeded with: one `<documentId>.bin` (a Yjs update) per document of the dataset. */
export interface SeedDir {
  dir: string;
}

/** How many characters of text a "big" document holds. */
export const BIG_DOCUMENT_CHARS = 100_000;

const documentList = z.array(z.object({ id: z.string(), title: z.string() }));

/**
 * Seeds the demo dialogue into a store by starting the server once on it, signs in there (sign-in
 * is rate limited, so the one session is reused by every connection of every run), stops it, then
 * copies the demo document with its stored text until there are `documentCount` documents in the
 * same dialogue, so the demo drafter may edit all of them, and adds `bigCount` documents of
 * `BIG_DOCUMENT_CHARS` characters.
 */
export async function prepareDataset(
  store: StoreConfig,
  documentCount: number,
  bigCount = 0,
): Promise<Dataset> {
  const env: Record<string, string> =
    store.kind === 'postgres' ? { DATABASE_URL: store.url } : { ACCORD_DATA_DIR: store.dataDir };
  const server = await startServer(store.kind === 'sqlite' ? store.dataDir : '.', { ...env, ACCORD_DEMO: '1' });
  let cookie: string;
  let demoId: string;
  try {
    cookie = await signIn(server, BENCH_USER.email, BENCH_USER.password);
    demoId = await firstDocument(server, cookie);
  } finally {
    await server.stop();
  }
  const db = await openStore(store);
  try {
    const copies = Array.from({ length: documentCount - 1 }, (_, i) => `bench-doc-${String(i + 1).padStart(3, '0')}`);
    const bigIds = Array.from({ length: bigCount }, (_, i) => `bench-big-${String(i + 1).padStart(3, '0')}`);
    await copyDocument(db, demoId, copies);
    if (bigCount > 0) {
      const big = bigDocumentState(await documentState(db, demoId), BIG_DOCUMENT_CHARS);
      await copyDocument(db, demoId, bigIds, big);
    }
    return { store, cookie, documentIds: [demoId, ...copies], bigDocumentIds: bigIds };
  } finally {
    await db.close();
  }
}

/**
 * Writes the Yjs state of every document of a prepared SQLite dataset as `<id>.bin` into `dir`, for
 * the peers to start from the same content as Accord.
 */
export async function writeSeedDir(dataset: Dataset, dir: string): Promise<SeedDir> {
  mkdirSync(dir, { recursive: true });
  const db = await openStore(dataset.store);
  try {
    for (const id of [...dataset.documentIds, ...dataset.bigDocumentIds]) {
      writeFileSync(join(dir, `${id}.bin`), await documentState(db, id));
    }
  } finally {
    await db.close();
  }
  return { dir };
}

async function firstDocument(server: BenchServer, cookie: string): Promise<string> {
  const res = await fetch(`${server.url}/api/documents`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`Listing documents failed with ${res.status}`);
  const [first] = documentList.parse(await res.json());
  if (!first) throw new Error('The seeded database has no document.');
  return first.id;
}

/** A document's whole stored state (compacted state and log) as one Yjs update. */
async function documentState(store: Store, documentId: string): Promise<Uint8Array> {
  const state = await store.db
    .selectFrom('doc_states')
    .select('data')
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  const updates = await store.db
    .selectFrom('doc_updates')
    .select('data')
    .where('document_id', '=', documentId)
    .orderBy('id')
    .execute();
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, new Uint8Array(state.data));
  for (const u of updates) Y.applyUpdate(doc, new Uint8Array(u.data));
  const out = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return out;
}

/**
 * Inserts copies of a document under new ids (its row, its compacted state and its update log, or
 * `state` instead of them), row by row as the database has them, so the copy keeps working when
 * tables gain columns. Works on SQLite and PostgreSQL alike.
 */
async function copyDocument(store: Store, sourceId: string, ids: readonly string[], state?: Uint8Array): Promise<void> {
  const { db } = store;
  const doc = await db.selectFrom('documents').selectAll().where('id', '=', sourceId).executeTakeFirstOrThrow();
  const states = await db.selectFrom('doc_states').selectAll().where('document_id', '=', sourceId).execute();
  const updates = await db
    .selectFrom('doc_updates')
    .selectAll()
    .where('document_id', '=', sourceId)
    .orderBy('id')
    .execute();
  await db.transaction().execute(async (trx) => {
    for (const [i, id] of ids.entries()) {
      await trx
        .insertInto('documents')
        .values({ ...doc, id, title: `${doc.title} (bench copy ${i + 1})` })
        .execute();
      if (state) {
        await trx
          .insertInto('doc_states')
          .values({ document_id: id, data: state, last_update_id: 0, updated_at: new Date().toISOString() })
          .execute();
        continue;
      }
      for (const s of states) await trx.insertInto('doc_states').values({ ...s, document_id: id }).execute();
      for (const { id: _logId, ...u } of updates) {
        await trx.insertInto('doc_updates').values({ ...u, document_id: id }).execute();
      }
    }
  });
}

/**
 * The demo document grown to `chars` characters of clause text: clauses of about 100 characters
 * appended to its objectives, each typed a word at a time at random places (seeded), so the text is
 * made of many Yjs items, as text written and revised over weeks is, not of one long insert.
 */
export function bigDocumentState(demoState: Uint8Array, chars: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 424_242;
  Y.applyUpdate(doc, demoState);
  const body = doc.getXmlFragment(BODY_FRAGMENT);
  const objectives = body
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'objective');
  if (objectives.length === 0) throw new Error('The demo document has no objective to grow.');
  const random = createRandom(7);
  let total = textLength(body);
  for (let n = 0; total < chars; n++) {
    const objective = objectives[n % objectives.length]!;
    const clause = new Y.XmlElement('clause');
    clause.setAttribute('id', `c-bench-${n}`);
    const text = new Y.XmlText();
    clause.insert(0, [text]);
    objective.insert(objective.length, [clause]);
    while (text.length < 100) {
      const word = `${random.word(9)} `;
      text.insert(random.int(text.length + 1), word);
      total += word.length;
    }
  }
  const out = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return out;
}

function textLength(node: Y.XmlFragment | Y.XmlElement): number {
  let n = 0;
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) n += child.length;
    else if (child instanceof Y.XmlElement) n += textLength(child);
  }
  return n;
}
