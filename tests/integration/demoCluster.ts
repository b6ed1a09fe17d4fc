/**
 * Several Accord processes serving the same seeded data over one Redis, as behind a load balancer:
 * the first seeds the demo dialogue, the others start on its storage (the same SQLite file, or the
 * same PostgreSQL database when the suite runs on PostgreSQL). Sessions live in the database, so a
 * cookie signed in on one process is valid on all.
 */
import { TEST_REDIS_URL } from '@tests/helpers/services';
import { startTestServer, type TestServer } from '@tests/helpers/testServer';
import { type DemoServer, startDemoServer } from './demoServer';

/** A seeded demo on several processes. */
export interface DemoCluster {
  /** The first process, its demo document and the demo sessions (valid on every process). */
  demo: DemoServer;
  /** Every process, the first one first. */
  servers: TestServer[];
}

/** Starts `count` processes on one storage and one Redis. */
export async function startDemoCluster(count = 2): Promise<DemoCluster> {
  const env = { REDIS_URL: TEST_REDIS_URL };
  const demo = await startDemoServer({ env });
  const servers = [demo.server];
  // One after the other: the first has seeded and migrated; the others find the schema in place.
  for (let i = 1; i < count; i++) servers.push(await startTestServer({ env, shareStorageWith: demo.server }));
  return { demo, servers };
}
