/**
 * A headless editor for integration tests: a ProseMirror state kept in step with a real Yjs client
 * (`CollabClient`) the way y-prosemirror's binding does it — local transactions are written into the
 * `body` fragment with `updateYFragment`, remote changes are read back from it. It lets tests drive
 * suggesting mode, accept and reject through the real server without a browser.
 */
import { type ChangeAuthor, type Decision, decideChanges, suggestTransaction } from '@shared/changes';
import { schema } from '@shared/schema';
import type { Node } from 'prosemirror-model';
import { EditorState, type Transaction } from 'prosemirror-state';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import type { CollabClient } from './collabClient';

/** A headless editor on a collaboration client. */
export class HeadlessEditor {
  private readonly meta = { mapping: new Map(), isOMark: new Map() };

  constructor(
    readonly client: CollabClient,
    readonly author: ChangeAuthor,
  ) {}

  /** The current document, read from the shared fragment (remote changes included). */
  get doc(): Node {
    return yXmlFragmentToProseMirrorRootNode(this.client.fragment, schema);
  }

  /** A fresh editor state of the current document. */
  get state(): EditorState {
    return EditorState.create({ doc: this.doc });
  }

  /** Applies a transaction's document to the shared fragment, as the binding does after a local edit. */
  write(tr: Transaction): void {
    this.meta.mapping = new Map();
    updateYFragment(this.client.doc, this.client.fragment, tr.doc, this.meta);
  }

  /** Makes an edit in suggesting mode: the edit built by `edit` becomes a tracked change by the author. */
  suggest(edit: (state: EditorState) => Transaction): void {
    const state = this.state;
    const out = suggestTransaction(state, edit(state), this.author);
    if (!out.ok) throw new Error(`suggestion refused: ${out.reason}`);
    this.write(out.tr);
  }

  /** Makes a direct edit (Editing mode). */
  edit(edit: (state: EditorState) => Transaction): void {
    this.write(edit(this.state));
  }

  /** Accepts or rejects changes by id. */
  decide(ids: string[], decision: Decision): void {
    const tr = decideChanges(this.state, ids, decision);
    if (!tr) throw new Error(`none of ${ids.join(', ')} is pending`);
    this.write(tr);
  }
}

/** The position right after `text` in the clause with id `clauseId` (or its end when `text` is null). */
export function posInClause(doc: Node, clauseId: string, text: string | null, after = true): number {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.type.name !== 'clause') return true;
    if (node.attrs.id !== clauseId) return false;
    if (text === null) {
      found = pos + node.nodeSize - 1;
      return false;
    }
    const index = node.textContent.indexOf(text);
    if (index < 0) throw new Error(`"${text}" is not in clause ${clauseId}: ${node.textContent}`);
    // Text offsets equal positions inside a clause (it holds text only).
    found = pos + 1 + index + (after ? text.length : 0);
    return false;
  });
  if (found < 0) throw new Error(`clause ${clauseId} not found`);
  return found;
}

/** The text of a clause. */
export function clauseTextOf(doc: Node, clauseId: string): string {
  let text: string | null = null;
  doc.descendants((node) => {
    if (text !== null) return false;
    if (node.type.name === 'clause' && node.attrs.id === clauseId) text = node.textContent;
    return node.type.name !== 'clause';
  });
  if (text === null) throw new Error(`clause ${clauseId} not found`);
  return text;
}
