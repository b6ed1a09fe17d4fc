import { execFileSync } from 'node:child_process';
import { repoRoot } from '@tests/helpers/testServer';

/**
 * Browser tests drive the real built client: build it once before the e2e project runs (a second
 * or so), so a test never runs against a stale bundle.
 */
export default function setup(): void {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
}
