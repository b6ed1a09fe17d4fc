/**
 * The fixture most collaboration tests share: one seeded server per test file, sessions for the demo
 * accounts (signed in once each, so sign-in rate limits are never hit) and the demo document's id.
 */
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { startTestServer, type TestServer, type TestServerOptions } from '@tests/helpers/testServer';

/** A demo role name, as in `demoUsers`. */
export type DemoRole = keyof typeof demoUsers;

/** A started demo server with lazily signed-in sessions. */
export interface DemoServer {
  server: TestServer;
  documentId: string;
  /** The `Cookie` header of a demo account (signed in on first use, then reused). */
  cookie(role: DemoRole): Promise<string>;
  /** Points at another server process (after a restart); sessions are kept, they live in the database. */
  use(server: TestServer): void;
}

/** Starts a seeded server and finds the demo document. */
export async function startDemoServer(opts: TestServerOptions = {}): Promise<DemoServer> {
  let server = await startTestServer(opts);
  const cookies = new Map<DemoRole, string>();
  const cookie = async (role: DemoRole) => {
    let value = cookies.get(role);
    if (!value) {
      value = await signIn(server.url, demoUsers[role]);
      cookies.set(role, value);
    }
    return value;
  };
  const documentId = await firstDocumentId(server.url, await cookie('drafter'));
  return {
    get server() {
      return server;
    },
    documentId,
    cookie,
    // Sessions live in the database, so they stay valid across restarts; only the URL changes.
    use: (next) => {
      server = next;
    },
  };
}
