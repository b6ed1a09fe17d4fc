// The Hocuspocus peer of `npm run bench -- --peers`: `@hocuspocus/server` as its quick start sets it
// up (`new Server({ port, extensions })`, default debounce of stores) with persistence on through
// `@hocuspocus/extension-sqlite` in `BENCH_DATA_DIR/hocuspocus.sqlite`. Before it starts, the
// documents of the run are written into that database with the same content as Accord's (from
// `BENCH_SEED_DIR/<name>.bin`), so it loads them as it would load stored documents. Plain
// JavaScript run by plain Node, as the package is run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQLite, schema, upsertQuery } from '@hocuspocus/extension-sqlite';
import { Server } from '@hocuspocus/server';
import Database from 'better-sqlite3';

const database = join(process.env.BENCH_DATA_DIR ?? '.', 'hocuspocus.sqlite');
const seedDir = process.env.BENCH_SEED_DIR;
if (seedDir) {
  const db = new Database(database);
  db.exec(schema);
  const upsert = db.prepare(upsertQuery);
  db.transaction(() => {
    for (const file of readdirSync(seedDir)) {
      if (!file.endsWith('.bin')) continue;
      upsert.run({ name: file.slice(0, -4), data: readFileSync(join(seedDir, file)) });
    }
  })();
  db.close();
}

const server = new Server({
  port: Number(process.env.PORT ?? 0),
  address: process.env.HOST ?? '127.0.0.1',
  quiet: true,
  extensions: [new SQLite({ database })],
});
await server.listen();
console.log(JSON.stringify({ msg: 'listening', port: server.address.port }));
// Hocuspocus stores what its debounce still holds on a graceful stop.
process.on('SIGTERM', () => {
  void server.destroy().then(() => process.exit(0));
});
