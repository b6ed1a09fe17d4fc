/**
 * Whether the external services some tests need (PostgreSQL, Redis) answer. Where one does not,
 * the reason is printed and the tests that need it are left out — except under `CI=true`, where
 * that is an error: CI must prove those paths.
 *
 * ```ts
 * const redis = await serviceStatus('redis');
 * describe.runIf(redis.ok)('two processes on one Redis', () => { … });
 * ```
 */
import { TEST_POSTGRES_URL } from '@server/store/testStores';
import { Redis } from 'ioredis';
import pg from 'pg';

export { TEST_POSTGRES_URL };

/** The Redis server tests use; `ACCORD_TEST_REDIS_URL` overrides it. */
export const TEST_REDIS_URL = process.env.ACCORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A service tests may need. */
export type Service = 'postgres' | 'redis';

/** Whether a service answered, and why not. */
export interface ServiceStatus {
  ok: boolean;
  /** Why it is not available (empty when it is). */
  reason: string;
}

const checked = new Map<Service, Promise<ServiceStatus>>();

/**
 * Checks once per test process whether a service answers. Prints why it does not; throws when it
 * does not under `CI=true`.
 */
export function serviceStatus(service: Service): Promise<ServiceStatus> {
  let status = checked.get(service);
  if (!status) {
    status = probe(service).then((reason) => {
      if (reason === null) return { ok: true, reason: '' };
      const message = `${describe(service)} is unreachable (${reason})`;
      if (process.env.CI === 'true') {
        throw new Error(`${message}; CI=true requires it.`);
      }
      console.warn(`${message}: the tests that need it are not run.`);
      return { ok: false, reason: message };
    });
    checked.set(service, status);
  }
  return status;
}

/** Null when the service answers, else what went wrong. */
export async function probe(service: Service): Promise<string | null> {
  if (service === 'postgres') {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (err) {
      return err instanceof Error ? err.message || err.name : String(err);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // ioredis reports the cause (ECONNREFUSED …) as an 'error' event and rejects with "Connection is closed".
  let cause: string | null = null;
  redis.on('error', (err: Error) => {
    cause ??= err.message;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    return cause ?? (err instanceof Error ? err.message || err.name : String(err));
  } finally {
    redis.disconnect();
  }
}

function describe(service: Service): string {
  return service === 'postgres' ? `PostgreSQL at ${TEST_POSTGRES_URL}` : `Redis at ${TEST_REDIS_URL}`;
}
