/**
 * `npm run test:postgres`: runs the integration suite (tests/integration, tests/fuzz) a second time
 * with every test server on PostgreSQL (vitest project `integration-pg`). When PostgreSQL does not
 * answer, prints why and runs nothing — unless `CI=true`, where that fails the run. Arguments are
 * passed on to vitest (a file filter, `--reporter`, …).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { probe, TEST_POSTGRES_URL } from '../helpers/services';
import { repoRoot } from '../helpers/testServer';

const reason = await probe('postgres');
if (reason !== null) {
  const message = `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${reason})`;
  if (process.env.CI === 'true') {
    console.error(`${message}; CI=true requires the integration suite on PostgreSQL.`);
    process.exit(1);
  }
  console.warn(`${message}: the integration suite is not run on PostgreSQL.`);
  process.exit(0);
}

const vitest = spawn(
  process.execPath,
  [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'integration-pg', ...process.argv.slice(2)],
  { cwd: repoRoot, stdio: 'inherit' },
);
vitest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
