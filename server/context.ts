import type { Node } from 'prosemirror-model';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Store } from './store/db';

/**
 * A live event about a server record, delivered to every viewer of a document over its collaboration
 * socket (message type `event`). `audience` limits who receives it (internal threads, for example).
 */
export interface LiveEvent {
  type: string;
  documentId: string;
  [key: string]: unknown;
}

/** Who may receive a live event: everyone who can read the document, or only some roles. */
export type Audience = { roles?: readonly string[]; userIds?: readonly string[] };

/** The part of the collaboration server that HTTP routes talk to. */
export interface CollabControl {
  /** Pushes a live event to every connection on the document (across processes once Redis is on). */
  publish(event: LiveEvent, audience?: Audience): void;
  /** A member's role changed or they were removed: downgrade or close their open connections now. */
  accessChanged(dialogueId: string, userId: string): Promise<void>;
  /** Applies a server-made Yjs update to a document (restore, apply proposed wording …) and stores it. */
  applyServerUpdate(documentId: string, update: Uint8Array, actorId: string | null): Promise<void>;
  /**
   * The document's current text as the server holds it (the live copy when loaded, storage otherwise),
   * for routes that must check the text themselves (open brackets, pending changes …).
   */
  readDocument(documentId: string): Promise<Node>;
  /** A document's settings or clause statuses changed: edits are checked against the new rules. */
  policyChanged(documentId: string): void;
  /**
   * Lets `writerId` write the tracked change `changeId` attributed to `authorId` without it being
   * flagged as forged (a drafter applying a panel member's proposed wording).
   */
  allowAttribution(documentId: string, grant: { writerId: string; authorId: string; changeId: string }): void;
  /**
   * The document's current text as one Yjs update: the loaded room's state once its pending edits are
   * stored, else what storage holds. Routes read the live text through `readDocumentText`
   * (server/domain/documentText.ts), which builds on this.
   */
  readState(documentId: string): Promise<Uint8Array>;
}

/** What every part of the server is built from; created once in `accord.ts`. */
export interface ServerContext {
  config: Config;
  logger: Logger;
  store: Store;
}
