/**
 * Authorship of tracked changes. The suggest-changes library decides *what* becomes an insertion or a
 * deletion; it knows nothing of authors, and when new text abuts an existing change it reuses (and
 * may rewrite) that change's mark. This pass, run on every transaction the library produced, decides
 * *who* each change belongs to: marks the library made are stamped with the local author and time;
 * marks of other members it rewrote are put back as they were; and a change never spans two authors.
 */
import type { Mark, Node } from 'prosemirror-model';
import type { Transaction } from 'prosemirror-state';
import { type ChangeAuthor, changeAttrs, changeMarkOf } from './marks';

interface Span {
  from: number;
  to: number;
  mark: Mark;
}

function changeSpans(doc: Node): Span[] {
  const spans: Span[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    const mark = changeMarkOf(node);
    if (mark) spans.push({ from: pos, to: pos + node.nodeSize, mark });
    return false;
  });
  return spans;
}

/** Contiguous spans with equal marks joined. */
function merged(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const last = out.at(-1);
    if (last && last.to === span.from && last.mark.eq(span.mark)) last.to = span.to;
    else out.push({ ...span });
  }
  return out;
}

function markAt(doc: Node, pos: number, mark: Mark): Mark | null {
  if (pos < 0 || pos >= doc.content.size) return null;
  const node = doc.nodeAt(pos);
  if (!node?.isText) return null;
  return mark.type.isInSet(node.marks) ?? null;
}

function sameMarkOver(doc: Node, from: number, to: number, mark: Mark): boolean {
  let same = true;
  doc.nodesBetween(from, to, (node) => {
    if (node.isText && !mark.isInSet(node.marks)) same = false;
    return same;
  });
  return same;
}

function setMark(tr: Transaction, span: Span): void {
  tr.removeMark(span.from, span.to, span.mark.type);
  tr.addMark(span.from, span.to, span.mark);
}

/**
 * Reconciles the authorship of the change marks in `tr` (a transaction the library made from a
 * local edit on a document that was `before`). Adds mark steps to `tr`.
 */
export function reconcileAuthorship(
  before: Node,
  tr: Transaction,
  author: ChangeAuthor,
  at: string,
  freshId: () => string,
): void {
  // 1. Text that had another member's (or our own earlier) authored change mark keeps it exactly.
  const restores: Span[] = [];
  for (const span of changeSpans(before)) {
    if (changeAttrs(span.mark).authorId === null) continue;
    const start = tr.mapping.mapResult(span.from, 1);
    const end = tr.mapping.mapResult(span.to, -1);
    if (end.pos - start.pos === span.to - span.from && sameMarkOver(tr.doc, start.pos, end.pos, span.mark)) {
      continue;
    }
    for (let c = span.from; c < span.to; c++) {
      const r = tr.mapping.mapResult(c, 1);
      if (r.deletedAfter) continue;
      const now = markAt(tr.doc, r.pos, span.mark);
      if (now && !now.eq(span.mark)) restores.push({ from: r.pos, to: r.pos + 1, mark: span.mark });
    }
  }
  for (const span of merged(restores)) setMark(tr, span);

  // 2. Unauthored marks that did not exist before are ours: the library just made them.
  const inverse = tr.mapping.invert();
  const mine: Span[] = [];
  for (const span of changeSpans(tr.doc)) {
    if (changeAttrs(span.mark).authorId !== null) continue;
    for (let c = span.from; c < span.to; c++) {
      const r = inverse.mapResult(c, 1);
      if (!r.deletedAfter) {
        const old = markAt(before, r.pos, span.mark);
        // An unauthored mark that was already there (imported text) is left alone.
        if (old && changeAttrs(old).authorId === null) continue;
      }
      mine.push({ from: c, to: c + 1, mark: span.mark });
    }
  }
  if (mine.length === 0) return;
  const runs = merged(mine);

  // Ids of changes by other members, which our marks must never share.
  const othersIds = new Set<string>();
  for (const span of changeSpans(tr.doc)) {
    const attrs = changeAttrs(span.mark);
    if (attrs.authorId !== null && attrs.authorId !== author.id) othersIds.add(String(attrs.id));
  }

  // One decision per id the library used: continue our own adjacent change, keep the library's id, or
  // take a fresh one when the library borrowed another member's.
  const decided = new Map<string, { id: string | number; at: string }>();
  const ownNeighbour = (run: Span): { id: string | number; at: string } | null => {
    for (const pos of [run.from - 1, run.to]) {
      if (pos < 0 || pos >= tr.doc.content.size) continue;
      const node = tr.doc.nodeAt(pos);
      const mark = node?.isText ? changeMarkOf(node) : null;
      if (!mark) continue;
      const attrs = changeAttrs(mark);
      if (attrs.authorId === author.id) return { id: attrs.id, at: attrs.at ?? at };
    }
    return null;
  };
  for (const run of runs) {
    const libraryId = String(changeAttrs(run.mark).id);
    if (decided.has(libraryId)) continue;
    const neighbour = runs
      .filter((r) => String(changeAttrs(r.mark).id) === libraryId)
      .map(ownNeighbour)
      .find((n) => n !== null);
    if (neighbour) decided.set(libraryId, neighbour);
    else if (othersIds.has(libraryId)) decided.set(libraryId, { id: freshId(), at });
    else decided.set(libraryId, { id: changeAttrs(run.mark).id, at });
  }
  for (const run of runs) {
    const choice = decided.get(String(changeAttrs(run.mark).id));
    if (!choice) continue;
    const mark = run.mark.type.create({
      ...run.mark.attrs,
      id: choice.id,
      authorId: author.id,
      authorName: author.name,
      at: choice.at,
    });
    setMark(tr, { from: run.from, to: run.to, mark });
  }
}
