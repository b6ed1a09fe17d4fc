/**
 * Thread anchors: where in the text a thread sits, made so that it follows the text while people edit.
 *
 * A range anchor holds two Yjs relative positions into the `body` fragment (encoded, base64). Unlike
 * ProseMirror positions they name the characters themselves, so concurrent edits before, inside or
 * after the range leave it on the same words. The anchor also keeps the quoted text, a little context
 * on each side and the clause id: when the words are deleted the thread is reported orphaned with
 * its quote; when a clause was moved (which Yjs sees as a delete and an insert) the quote is found
 * again inside the clause of the same id, by its exact context.
 *
 * Everything here is pure: it reads a Y.Doc and a ProseMirror document and needs no editor or server,
 * so the client's highlight plugin, the server and tests use the same code.
 */
import type { ClauseAnchor, RangeAnchor } from '@shared/api/threads';
import { type Anchor, MAX_CONTEXT_LENGTH, MAX_QUOTE_LENGTH } from '@shared/api/threads';
import { fromBase64, toBase64 } from 'lib0/buffer';
import type { Node } from 'prosemirror-model';
import {
  absolutePositionToRelativePosition,
  initProseMirrorDoc,
  relativePositionToAbsolutePosition,
} from 'y-prosemirror';
import * as Y from 'yjs';
import { BODY_FRAGMENT, schema } from '../schema';

/** y-prosemirror's map from Yjs types to the ProseMirror nodes they render (its binding keeps one). */
export type ProsemirrorMapping = Map<Y.AbstractType<unknown>, Node | Node[]>;

/** What anchors are made from and resolved against: the same text seen by Yjs and by ProseMirror. */
export interface AnchorContext {
  ydoc: Y.Doc;
  fragment: Y.XmlFragment;
  /** The ProseMirror document rendered from `fragment`. */
  doc: Node;
  /** y-prosemirror's map from Yjs types to the ProseMirror nodes they render. */
  mapping: ProsemirrorMapping;
}

/**
 * An anchor context for a Y.Doc outside an editor (server, tests): renders the body fragment once.
 * Inside the editor use the sync binding's own document and mapping instead (see the highlight plugin).
 */
export function anchorContextOf(ydoc: Y.Doc): AnchorContext {
  const fragment = ydoc.getXmlFragment(BODY_FRAGMENT);
  const { doc, mapping } = initProseMirrorDoc(fragment, schema);
  return { ydoc, fragment, doc, mapping };
}

/** Where an objective or clause with an id sits in a document. */
export interface IdNodeAt {
  id: string;
  pos: number;
  node: Node;
  /** For a clause: the id of its objective. */
  objectiveId: string | null;
}

/** The clause with `clauseId` in `doc`, or null. */
export function findClause(doc: Node, clauseId: string): IdNodeAt | null {
  let found: IdNodeAt | null = null;
  let objectiveId: string | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.type.name === 'objective') {
      objectiveId = (node.attrs.id as string | null) ?? null;
      return true;
    }
    if (node.type.name === 'clause') {
      if (node.attrs.id === clauseId) found = { id: clauseId, pos, node, objectiveId };
      return false;
    }
    return node.type.name === 'doc';
  });
  return found;
}

/** The clause and objective that hold position `pos`, by id. */
export function containersAt(doc: Node, pos: number): { clauseId: string | null; objectiveId: string | null } {
  const $pos = doc.resolve(Math.max(0, Math.min(pos, doc.content.size)));
  let clauseId: string | null = null;
  let objectiveId: string | null = null;
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (node.type.name === 'clause') clauseId = (node.attrs.id as string | null) ?? null;
    if (node.type.name === 'objective') objectiveId = (node.attrs.id as string | null) ?? null;
  }
  return { clauseId, objectiveId };
}

function encode(position: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(position));
}

function decode(encoded: string): Y.RelativePosition | null {
  try {
    const bytes = fromBase64(encoded);
    const position = Y.decodeRelativePosition(bytes);
    // Trailing bytes or a non-canonical encoding mean this was not made by Yjs.
    return toBase64(Y.encodeRelativePosition(position)) === toBase64(bytes) ? position : null;
  } catch {
    return null;
  }
}

/** True when `encoded` is a well-formed encoded Yjs relative position. */
export function isRelativePosition(encoded: string): boolean {
  return decode(encoded) !== null;
}

function isDeleted(type: Y.AbstractType<unknown>): boolean {
  for (let item = type._item; item !== null; item = (item.parent as Y.AbstractType<unknown>)._item) {
    if (item.deleted) return true;
  }
  return false;
}

/**
 * The ProseMirror position of an encoded relative position, or null when its characters are gone
 * (deleted and garbage-collected, or inside a deleted clause).
 */
function absolute(ctx: AnchorContext, encoded: string): number | null {
  const relative = decode(encoded);
  if (!relative) return null;
  try {
    const abs = Y.createAbsolutePositionFromRelativePosition(relative, ctx.ydoc);
    if (!abs || isDeleted(abs.type)) return null;
    return relativePositionToAbsolutePosition(ctx.ydoc, ctx.fragment, relative, ctx.mapping);
  } catch {
    // A mapping that lags the document (a render in progress) resolves on the next try.
    return null;
  }
}

/** The text of a clause's range `[from, to)` with the clause's own positions. */
function textOf(doc: Node, from: number, to: number): string {
  return doc.textBetween(from, to, '\n', ' ');
}

/**
 * A range anchor for the ProseMirror selection `[from, to)`, or null when the range holds no text.
 * The end sticks to the last character of the range (typing right after it does not extend it), the
 * start to the first (typing right before it does not either).
 */
export function createRangeAnchor(ctx: AnchorContext, from: number, to: number): RangeAnchor | null {
  const { doc } = ctx;
  const start = Math.max(0, Math.min(from, to));
  const end = Math.min(doc.content.size, Math.max(from, to));
  const quote = textOf(doc, start, end);
  if (quote.trim().length === 0) return null;

  const fromRel = absolutePositionToRelativePosition(start, ctx.fragment, ctx.mapping);
  let toRel = absolutePositionToRelativePosition(end, ctx.fragment, ctx.mapping);
  const endAbs = Y.createAbsolutePositionFromRelativePosition(toRel, ctx.ydoc);
  if (endAbs && endAbs.type instanceof Y.XmlText && endAbs.index > 0) {
    toRel = Y.createRelativePositionFromTypeIndex(endAbs.type, endAbs.index, -1);
  }

  const { clauseId, objectiveId } = containersAt(doc, start);
  const $start = doc.resolve(start);
  const $end = doc.resolve(end);
  const prefix = textOf(doc, $start.start(), start).slice(-MAX_CONTEXT_LENGTH / 2);
  const suffix = textOf(doc, end, $end.end()).slice(0, MAX_CONTEXT_LENGTH / 2);
  return {
    kind: 'range',
    from: encode(fromRel),
    to: encode(toRel),
    quote: quote.slice(0, MAX_QUOTE_LENGTH),
    prefix,
    suffix,
    clauseId,
    objectiveId,
    clauseNumber: null,
  };
}

/** A whole-clause anchor for the clause `clauseId`, or null when there is no such clause. */
export function createClauseAnchor(doc: Node, clauseId: string): ClauseAnchor | null {
  const clause = findClause(doc, clauseId);
  if (!clause) return null;
  return {
    kind: 'clause',
    clauseId,
    objectiveId: clause.objectiveId,
    quote: clause.node.textContent.slice(0, MAX_QUOTE_LENGTH),
    clauseNumber: null,
  };
}

/** Where an anchor is now. */
export type ResolvedAnchor =
  | {
      status: 'anchored';
      /** Positions in the current document: the range, the clause node, or the whole document. */
      from: number;
      to: number;
      /** The clause and objective it is in now (a moved clause keeps its id, not its objective). */
      clauseId: string | null;
      objectiveId: string | null;
      /** The text now covered (for ranges); differs from the quote when it was edited inside. */
      text: string;
      /** True when the range was found again by its quote (its clause was moved), not by position. */
      relocated: boolean;
    }
  | {
      status: 'orphaned';
      /** The text as it was when the thread was made. */
      quote: string;
    };

/** Finds `anchor` in the current text. Never throws: anything it cannot place is orphaned. */
export function resolveAnchor(anchor: Anchor, ctx: AnchorContext): ResolvedAnchor {
  const { doc } = ctx;
  if (anchor.kind === 'document') {
    return {
      status: 'anchored',
      from: 0,
      to: doc.content.size,
      clauseId: null,
      objectiveId: null,
      text: '',
      relocated: false,
    };
  }
  if (anchor.kind === 'clause') {
    const clause = findClause(doc, anchor.clauseId);
    if (!clause) return { status: 'orphaned', quote: anchor.quote };
    return {
      status: 'anchored',
      from: clause.pos,
      to: clause.pos + clause.node.nodeSize,
      clauseId: anchor.clauseId,
      objectiveId: clause.objectiveId,
      text: clause.node.textContent,
      relocated: false,
    };
  }
  const from = absolute(ctx, anchor.from);
  const to = absolute(ctx, anchor.to);
  if (from !== null && to !== null && from < to && to <= doc.content.size) {
    const text = textOf(doc, from, to);
    if (text.length > 0) {
      return { status: 'anchored', from, to, ...containersAt(doc, from), text, relocated: false };
    }
  }
  return relocate(anchor, doc) ?? { status: 'orphaned', quote: anchor.quote };
}

/**
 * Finds a range's quote again inside the clause of the same id, where it stands with exactly the
 * context it had. Only that clause is searched and the context must match, so deleting the words
 * never re-attaches the thread to the same words elsewhere.
 */
function relocate(anchor: RangeAnchor, doc: Node): ResolvedAnchor | null {
  if (!anchor.clauseId) return null;
  const clause = findClause(doc, anchor.clauseId);
  if (!clause) return null;
  const text = clause.node.textContent;
  const wanted = anchor.prefix + anchor.quote + anchor.suffix;
  const at = text.indexOf(wanted);
  if (at < 0) return null;
  const startIndex = at + anchor.prefix.length;
  // The prefix was taken from the start of the clause only when it was shorter than the maximum.
  if (anchor.prefix.length < MAX_CONTEXT_LENGTH / 2 && at !== 0) return null;
  const from = positionOfTextIndex(clause.node, clause.pos, startIndex);
  const to = positionOfTextIndex(clause.node, clause.pos, startIndex + anchor.quote.length);
  if (from === null || to === null) return null;
  return {
    status: 'anchored',
    from,
    to,
    clauseId: anchor.clauseId,
    objectiveId: clause.objectiveId,
    text: anchor.quote,
    relocated: true,
  };
}

/** The document position of the `index`-th character of a textblock's text (`blockPos`: just before the block). */
export function positionOfTextIndex(block: Node, blockPos: number, index: number): number | null {
  let seen = 0;
  let result: number | null = null;
  block.forEach((child, offset) => {
    if (result !== null || !child.isText) return;
    const length = child.text?.length ?? 0;
    if (index <= seen + length) result = blockPos + 1 + offset + (index - seen);
    seen += length;
  });
  if (result === null && index === seen) result = blockPos + 1 + block.content.size;
  return result;
}
