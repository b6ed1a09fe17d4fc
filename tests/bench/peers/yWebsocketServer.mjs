// The `@y/websocket-server` peer of `npm run bench -- --peers`: the package's own `server.js`
// (its `npx y-websocket` bin) line for line — its own `ws`, `setupWSConnection`, no authentication —
// with two additions only: port 0 with a `listening` line on stdout for the orchestrator, and
// documents seeded with the same content as Accord's from `BENCH_SEED_DIR/<name>.bin` when first
// opened (`setContentInitializor`, the package's hook for that). 0.1.5 has no persistence of its
// own (its `YPERSISTENCE`/y-leveldb support is commented out), so documents live in memory only.
// Plain JavaScript run by plain Node, as the package is run.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setContentInitializor, setupWSConnection } from '@y/websocket-server/utils';
import * as Y from 'yjs';

// The ws version the package depends on (its server.js imports it), not the one of this project.
const requireFromPackage = createRequire(createRequire(import.meta.url).resolve('@y/websocket-server/package.json'));
const WebSocket = requireFromPackage('ws');

const seedDir = process.env.BENCH_SEED_DIR;
setContentInitializor(async (ydoc) => {
  if (!seedDir) return;
  let state;
  try {
    state = readFileSync(join(seedDir, `${ydoc.name}.bin`));
  } catch {
    return;
  }
  Y.applyUpdate(ydoc, new Uint8Array(state));
});

const wss = new WebSocket.Server({ noServer: true });
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('okay');
});
wss.on('connection', setupWSConnection);
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    wss.emit('connection', ws, request);
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'listening', port: server.address().port }));
});
process.on('SIGTERM', () => process.exit(0));
