import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { GeneratorJob, GeneratorMessage, GeneratorResult } from './scenario';
import { repoRoot } from './serverProcess';

/** Forks the load generator (tests/bench/generator.ts) in its own process, hands it the job and resolves with its result. */
export function runGenerator(
  job: GeneratorJob,
  profileDir: string | undefined,
  onMessage: (message: GeneratorMessage) => void,
): Promise<GeneratorResult> {
  const child = fork(join(repoRoot, 'tests', 'bench', 'generator.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<GeneratorResult>((resolve, reject) => {
    let settled = false;
    child.on('message', (raw) => {
      // Our own child, built from the same types: its messages need no validation.
      const message = raw as GeneratorMessage;
      onMessage(message);
      if (message.type === 'result') {
        settled = true;
        resolve(message.result);
        // It exits by itself once its sockets are closed (a profile, if asked for, is written then).
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      } else if (message.type === 'failed') {
        settled = true;
        reject(new Error(`The load generator failed: ${message.error}`));
        child.kill();
      }
    });
    child.once('exit', (code, signal) => {
      if (!settled)
        reject(new Error(`The load generator exited (code ${code}, signal ${signal}) without a result.`));
    });
    child.send(job);
  });
}

