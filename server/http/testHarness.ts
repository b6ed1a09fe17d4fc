import { decodeDocState } from '@shared/collab/ydoc';
import type { Node } from 'prosemirror-model';
import * as Y from 'yjs';
import type { SignInLimits } from '../auth/rateLimit';
import { SESSION_COOKIE } from '../auth/sessionCookie';
import { loadConfig } from '../config';
import type { Audience, CollabControl, LiveEvent, ServerContext } from '../context';
import { createLogger } from '../logger';
import type { Store } from '../store/db';
import { DocUpdates } from '../store/docUpdates';
import { Sessions } from '../store/sessions';
import { openTestStore, type StoreKind } from '../store/testStores';
import { type AppType, createHttpApp } from './app';

/**
 * The one stand-in of the HTTP tests: the collaboration server is another part, so routes talk to a
 * `CollabControl` that records what it was asked to do.
 */
export class RecordingCollab implements CollabControl {
  /**
   * `store` lets `readState` and `readDocument` answer from storage, as the real server does for an
   * unloaded document.
   */
  constructor(private readonly store: Store | null = null) {}

  readonly published: { event: LiveEvent; audience?: Audience }[] = [];
  readonly accessChanges: { dialogueId: string; userId: string }[] = [];
  readonly serverUpdates: { documentId: string; update: Uint8Array; actorId: string | null }[] = [];

  publish(event: LiveEvent, audience?: Audience): void {
    this.published.push({ event, audience });
  }

  async accessChanged(dialogueId: string, userId: string): Promise<void> {
    this.accessChanges.push({ dialogueId, userId });
  }

  async applyServerUpdate(documentId: string, update: Uint8Array, actorId: string | null): Promise<void> {
    this.serverUpdates.push({ documentId, update, actorId });
  }

  /** The text `readDocument` answers with, per document (the stored text when not set). */
  readonly texts = new Map<string, Node>();
  readonly policyChanges: string[] = [];
  readonly grants: { documentId: string; writerId: string; authorId: string; changeId: string }[] = [];

  async readDocument(documentId: string): Promise<Node> {
    const set = this.texts.get(documentId);
    if (set) return set;
    return decodeDocState(await this.readState(documentId));
  }

  policyChanged(documentId: string): void {
    this.policyChanges.push(documentId);
  }

  allowAttribution(documentId: string, grant: { writerId: string; authorId: string; changeId: string }): void {
    this.grants.push({ documentId, ...grant });
  }

  async readState(documentId: string): Promise<Uint8Array> {
    if (!this.store) throw new Error('RecordingCollab needs a store to read document state');
    const stored = await new DocUpdates(this.store).load(documentId);
    const ydoc = new Y.Doc();
    if (stored.state) Y.applyUpdate(ydoc, stored.state);
    for (const update of stored.updates) Y.applyUpdate(ydoc, update);
    // Server-made updates (restore …) are recorded, not stored: apply them so reads see them.
    for (const u of this.serverUpdates) if (u.documentId === documentId) Y.applyUpdate(ydoc, u.update);
    const state = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
    return state;
  }
}

/** A test's HTTP app over a fresh store, with its context and recording collaboration stand-in. */
export interface TestApp {
  app: AppType;
  ctx: ServerContext;
  collab: RecordingCollab;
  close(): Promise<void>;
}

/** Builds the HTTP app over a fresh store of `kind` (SQLite by default), with silent logs. */
export async function createTestApp(
  options: { kind?: StoreKind; env?: NodeJS.ProcessEnv; signInLimits?: SignInLimits } = {},
): Promise<TestApp> {
  const { store, cleanup } = await openTestStore(options.kind ?? 'sqlite');
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    ACCORD_CLIENT_DIR: '/nonexistent/accord-client',
    ...options.env,
  });
  const ctx: ServerContext = { config, logger: createLogger(config), store };
  const collab = new RecordingCollab(store);
  const app = createHttpApp({ ctx, collab, signInLimits: options.signInLimits });
  return { app, ctx, collab, close: cleanup };
}

/** Signs in through the API and returns the `Cookie` header value that carries the session. */
export async function signIn(app: AppType, email: string, password: string): Promise<string> {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200)
    throw new Error(`sign-in of ${email} failed with ${res.status}: ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const pair = setCookie.split(';')[0];
  if (!pair?.startsWith('accord_session=')) throw new Error(`no session cookie in ${setCookie}`);
  return pair;
}

/**
 * A `Cookie` header for a new session of `userId`, made directly in storage: faster than signing in
 * through the API (scrypt is slow on purpose) for tests that are not about signing in.
 */
export async function sessionCookie(ctx: ServerContext, userId: string): Promise<string> {
  const { token } = await new Sessions(ctx.store).create(userId);
  return `${SESSION_COOKIE}=${token}`;
}
