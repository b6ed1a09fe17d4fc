/**
 * Checks the audit log's hash chain in the configured database (`DATABASE_URL`, or the SQLite file
 * under `ACCORD_DATA_DIR`, as the server finds it):
 *
 *   npm run verify-audit
 *   npm run verify-audit -- --anchor 1234:9f86d081…   # an entry id and hash noted earlier
 *
 * Walks every entry in order, recomputing each hash from the one before it, and exits 0 when the chain
 * is intact (printing its length and newest entry, worth noting down as the next anchor), 1 naming the
 * first bad entry when one was altered, removed or forged, and 2 when it cannot check (no database,
 * bad arguments). A chain can be cut at its end or rewritten wholesale by someone who recomputes every
 * hash; an anchor kept outside the database (a printout, a ticket) reveals both.
 */
import { verifyAuditCommand } from './auditCheck';

process.exitCode = await verifyAuditCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
