import { BODY_FRAGMENT } from '@shared/schema';
import * as Y from 'yjs';
import type { Random } from '../helpers/random';

/** Origin of updates applied from the server, so they are told apart from typing. */
export const SERVER_ORIGIN = Symbol('server');

/** One keystroke as it leaves an editor. */
export interface Keystroke {
  /** The encoded Yjs update, as the y-websocket client would send it. */
  update: Uint8Array;
  /** The writer's clock after the keystroke (its next expected clock). */
  clock: number;
  /** Where the caret is afterwards. */
  text: Y.XmlText;
  index: number;
}

/**
 * A Yjs replica of one document that one editor, or several, type into. Several editors may share
 * one: each keystroke is then made under the typing editor's own client id (switched for the
 * duration of the insert), so the update is exactly the one that editor's own up-to-date replica
 * would have made, at a fraction of the cost of keeping one replica per editor.
 */
export class Replica {
  readonly doc = new Y.Doc();
  private texts: Y.XmlText[] = [];
  /** Received updates not yet applied: applied in one transaction before the next keystroke. */
  private inbox: Uint8Array[] = [];

  /** Finds the clause texts to type into; call once the initial sync is complete. */
  ready(): boolean {
    if (this.texts.length === 0) this.texts = clauseTexts(this.doc);
    return this.texts.length > 0;
  }

  /** Keeps an update from the server for the next catch-up. */
  enqueue(update: Uint8Array): void {
    this.inbox.push(update);
  }

  /**
   * Applies what arrived since the last keystroke in one transaction. Yjs reads the whole state
   * vector twice per transaction, which with 200 writers made one transaction per received message
   * the generator's largest cost; the inserts that follow see the same document either way.
   */
  catchUp(): void {
    if (this.inbox.length === 0) return;
    const inbox = this.inbox;
    this.inbox = [];
    Y.transact(
      this.doc,
      () => {
        for (const update of inbox) Y.applyUpdate(this.doc, update, SERVER_ORIGIN);
      },
      SERVER_ORIGIN,
    );
  }

  /** Types one random letter at a random place of a random clause as editor `clientID`. */
  typeAs(clientID: number, random: Random): Keystroke | null {
    this.catchUp();
    const text = random.pick(this.texts);
    const index = random.int(text.length + 1);
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array) => {
      update = u;
    };
    const own = this.doc.clientID;
    this.doc.clientID = clientID;
    this.doc.on('update', capture);
    try {
      text.insert(index, String.fromCharCode(97 + random.int(26)));
    } finally {
      this.doc.off('update', capture);
      this.doc.clientID = own;
    }
    if (!update) return null;
    return { update, clock: Y.getState(this.doc.store, clientID), text, index: index + 1 };
  }
}

/** The text of every clause of every objective: where editors type. */
function clauseTexts(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  for (const objective of doc.getXmlFragment(BODY_FRAGMENT).toArray()) {
    if (!(objective instanceof Y.XmlElement) || objective.nodeName !== 'objective') continue;
    for (const clause of objective.toArray()) {
      if (!(clause instanceof Y.XmlElement) || clause.nodeName !== 'clause') continue;
      const text = clause.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
      if (text) out.push(text);
    }
  }
  return out;
}
