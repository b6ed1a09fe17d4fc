/**
 * What the durability and convergence tests share: the soak switch, edits that carry unique tokens
 * (so a test can tell exactly which edits survived), what a server has on disk, and a document hash.
 *
 * ```ts
 * const ledger = new TokenLedger();
 * ledger.type(client, index, random);          // inserts "~c3n17~" at a token boundary
 * ledger.acked();                              // the tokens the server acknowledged as stored
 * ledger.missingFrom(docText(fresh.doc));      // the tokens a replica lacks
 * ```
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@shared/canonicalJson';
import { yDocToDoc } from '@shared/collab/ydoc';
import { BODY_FRAGMENT } from '@shared/schema';
import { DocUpdates } from '@server/store/docUpdates';
import * as Y from 'yjs';
import { type CollabClient, clauses, clauseText } from './collabClient';
import type { Random } from './random';
import { openServerStore, type TestServer } from './testServer';

/** Whether the long variants run (`npm run test:soak` sets `ACCORD_SOAK=1`). */
export const soak = process.env.ACCORD_SOAK === '1';

/** Says once, in the test output, that a soak variant is left out and how to run it. */
export function announceSoakSkip(what: string): void {
  if (!soak) console.info(`[soak] skipped "${what}": set ACCORD_SOAK=1 (npm run test:soak) to run it.`);
}

/** One typed token: who typed it and the client's own clock right after it (for "acknowledged"). */
export interface TypedToken {
  token: string;
  client: CollabClient;
  /** The client's clock after the insertion: the token is stored once `saved[clientID] >= clock`. */
  clock: number;
}

const tokenPattern = /~c\d+n\d+~/g;

/**
 * Every token typed in a test. Tokens are inserted only at the start or the end of a clause's text,
 * which are item boundaries for every replica, so concurrent insertions never split one another:
 * a token is either wholly present or absent.
 */
export class TokenLedger {
  readonly typed: TypedToken[] = [];
  private next = new Map<number, number>();

  /** Types a fresh token into a random one of the first clauses, at its start or end. */
  type(client: CollabClient, clientIndex: number, random: Random): string {
    const n = this.next.get(clientIndex) ?? 0;
    this.next.set(clientIndex, n + 1);
    const token = `~c${clientIndex}n${n}~`;
    const targets = clauses(client.doc).slice(0, 3);
    const text = clauseText(random.pick(targets));
    text.insert(random.next() < 0.5 ? 0 : text.length, token);
    this.typed.push({ token, client, clock: Y.getState(client.doc.store, client.doc.clientID) });
    return token;
  }

  /** The tokens whose insertion the server has acknowledged as durably stored (its `saved` message). */
  acked(): string[] {
    return this.typed
      .filter((t) => (t.client.saved.get(t.client.doc.clientID) ?? 0) >= t.clock)
      .map((t) => t.token);
  }

  /** Of `tokens` (every typed token when omitted), those that `text` lacks. */
  missingFrom(text: string, tokens: readonly string[] = this.typed.map((t) => t.token)): string[] {
    const present = new Set(text.match(tokenPattern) ?? []);
    return tokens.filter((t) => !present.has(t));
  }

  /** How many distinct typed tokens `text` holds, and how many tokens it holds more than once. */
  count(text: string): { present: number; duplicated: number } {
    const seen = new Map<string, number>();
    for (const t of text.match(tokenPattern) ?? []) seen.set(t, (seen.get(t) ?? 0) + 1);
    return {
      present: [...seen.keys()].length,
      duplicated: [...seen.values()].filter((n) => n > 1).length,
    };
  }
}

/** The document as the server's storage holds it, read directly from its database. */
export async function storedDoc(server: TestServer, documentId: string): Promise<Y.Doc> {
  const store = await openServerStore(server);
  try {
    const stored = await new DocUpdates(store).load(documentId);
    const doc = new Y.Doc();
    Y.transact(doc, () => {
      if (stored.state) Y.applyUpdate(doc, stored.state);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
    });
    return doc;
  } finally {
    await store.close();
  }
}

/**
 * The ProseMirror JSON of a replica's `body` (what the editor shows and versions hash). Read from a
 * copy: y-prosemirror's converter deletes, in the Y.Doc itself, elements the schema rejects — on a
 * replica that would be an edit, hiding the very difference a test looks for.
 */
export function pmJson(doc: Y.Doc): unknown {
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  try {
    return yDocToDoc(copy).toJSON();
  } finally {
    copy.destroy();
  }
}

/**
 * SHA-256 of the document: its canonical ProseMirror JSON and the raw XML of the `body` fragment
 * (the raw form too, because converting to ProseMirror drops what the schema does not know).
 */
export function documentHash(doc: Y.Doc): string {
  return createHash('sha256')
    .update(canonicalJson(pmJson(doc)))
    .update('\u0000')
    .update(doc.getXmlFragment(BODY_FRAGMENT).toString())
    .digest('hex');
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
