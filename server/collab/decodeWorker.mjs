// Worker thread entry of `updateGuard.ts`: decodes large untrusted updates away from the server's
// event loop, so that one whose decoding runs away (CPU or memory) costs this worker, which the
// guard terminates, and never the documents of everyone else. Plain JavaScript, so it starts
// without a TypeScript loader under any runner.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { scanUpdate } from './updateScan.mjs';

// Starting (loading Yjs) is not decoding: the guard's time limit begins once this is received.
parentPort?.postMessage({ ready: true });

parentPort?.on('message', ({ id, update, limits }) => {
  try {
    scanUpdate(update, limits);
    // The full decode catches what a structural walk cannot (embedded JSON that does not parse …).
    Y.decodeUpdate(update);
    parentPort?.postMessage({ id, ok: true });
  } catch (err) {
    parentPort?.postMessage({ id, ok: false, reason: err instanceof Error ? err.message : String(err) });
  }
});
