import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { z } from 'zod';
import { type BenchServer, signIn, startServer } from './serverProcess';

/** The demo account the simulated editors sign in as: a drafter may edit the text. */
export const BENCH_USER = { email: 'drafter@demo.accord', password: 'accord-demo' } as const;

/** A prepared data directory, copied afresh for every scenario. */
export interface Dataset {
  dataDir: string;
  /** A session cookie stored in the directory's database, valid in every copy. */
  cookie: string;
  /** The demo document first, then its copies. */
  documentIds: string[];
}

const documentList = z.array(z.object({ id: z.string(), title: z.string() }));

/**
 * Seeds the demo dialogue into `dataDir` by starting the server once, signs in there (sign-in is
 * rate limited, so the one session is reused by every connection of every scenario), stops it, then
 * copies the demo document with its stored text until there are `documentCount` documents in the
 * same dialogue, so the demo drafter may edit all of them.
 */
export async function prepareDataset(dataDir: string, documentCount: number): Promise<Dataset> {
  const server = await startServer(dataDir, { ACCORD_DEMO: '1' });
  let cookie: string;
  let demoId: string;
  try {
    cookie = await signIn(server, BENCH_USER.email, BENCH_USER.password);
    demoId = await firstDocument(server, cookie);
  } finally {
    await server.stop();
  }
  const documentIds = [demoId, ...copyDocument(dataDir, demoId, documentCount - 1)];
  return { dataDir, cookie, documentIds };
}

async function firstDocument(server: BenchServer, cookie: string): Promise<string> {
  const res = await fetch(`${server.url}/api/documents`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`Listing documents failed with ${res.status}`);
  const [first] = documentList.parse(await res.json());
  if (!first) throw new Error('The seeded database has no document.');
  return first.id;
}

type Row = Record<string, unknown>;

/**
 * Inserts `count` copies of a document (its row, its compacted state and its update log), column by
 * column as the database has them, so the copy keeps working when tables gain columns.
 */
function copyDocument(dataDir: string, sourceId: string, count: number): string[] {
  const db = new SqliteDatabase(join(dataDir, 'accord.db'));
  try {
    const doc = db.prepare('SELECT * FROM documents WHERE id = ?').get(sourceId) as Row | undefined;
    if (!doc) throw new Error(`Document ${sourceId} is not in the database.`);
    const states = db.prepare('SELECT * FROM doc_states WHERE document_id = ?').all(sourceId) as Row[];
    const updates = db
      .prepare('SELECT * FROM doc_updates WHERE document_id = ? ORDER BY id')
      .all(sourceId) as Row[];
    const ids: string[] = [];
    db.transaction(() => {
      for (let i = 1; i <= count; i++) {
        const id = `bench-doc-${String(i).padStart(3, '0')}`;
        ids.push(id);
        insert(db, 'documents', { ...doc, id, title: `${String(doc.title)} (bench copy ${i})` });
        for (const state of states) insert(db, 'doc_states', { ...state, document_id: id });
        for (const { id: _logId, ...update } of updates)
          insert(db, 'doc_updates', { ...update, document_id: id });
      }
    })();
    return ids;
  } finally {
    db.close();
  }
}

function insert(db: SqliteDatabase.Database, table: string, row: Row): void {
  const columns = Object.keys(row);
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  db.prepare(sql).run(...columns.map((c) => row[c]));
}
