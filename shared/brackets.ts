/**
 * Bracketed text: contested wording in [square brackets], optionally with alternatives
 * ("[Alt 1 …] [Alt 2 …]"). A bracket is the `bracket` mark; alternatives of one bracket share its
 * `group` and are numbered by `alt`. A plain bracket (no group) is one contiguous run of marked text.
 */
import type { Mark, Node } from 'prosemirror-model';

/** One alternative of a bracket (or the bracket's only wording). */
export interface BracketAlternative {
  /** 1, 2 … for alternatives; null for a bracket without alternatives. */
  alt: number | null;
  text: string;
  from: number;
  to: number;
}

/** One open bracket of a document. */
export interface OpenBracket {
  /** The group of its alternatives; null for a plain bracket without a group. */
  group: string | null;
  /** A key unique in the document: the group, or "pos:<from>" for a plain bracket. */
  key: string;
  clauseId: string | null;
  alternatives: BracketAlternative[];
  from: number;
  to: number;
}

function bracketMarks(node: Node): Mark[] {
  return node.marks.filter((m) => m.type.name === 'bracket');
}

/**
 * Every open bracket of the document in document order, with its clause. Alternatives of one group
 * are one bracket; the text of an alternative is the contiguous run of text carrying its mark.
 */
export function listBrackets(doc: Node): OpenBracket[] {
  const byKey = new Map<string, OpenBracket>();
  const order: OpenBracket[] = [];
  doc.descendants((block, blockPos) => {
    if (!block.isTextblock) return true;
    const clauseId = block.type.name === 'clause' ? ((block.attrs.id as string | null) ?? null) : null;
    // Open runs in this block: one per distinct bracket mark, extended while adjacent text has it.
    const open = new Map<string, BracketAlternative & { bracket: OpenBracket }>();
    block.forEach((child, offset) => {
      const pos = blockPos + 1 + offset;
      const marks = bracketMarks(child);
      const seen = new Set<string>();
      for (const mark of marks) {
        const group = (mark.attrs.group as string | null) ?? null;
        const alt = typeof mark.attrs.alt === 'number' ? mark.attrs.alt : null;
        const runKey = `${group ?? ''}\u0000${alt ?? ''}`;
        seen.add(runKey);
        const run = open.get(runKey);
        if (run && run.to === pos) {
          run.to = pos + child.nodeSize;
          run.text += child.text ?? '';
          run.bracket.to = Math.max(run.bracket.to, run.to);
          continue;
        }
        const key = group ?? `pos:${pos}`;
        let bracket = byKey.get(key);
        if (!bracket) {
          bracket = { group, key, clauseId, alternatives: [], from: pos, to: pos + child.nodeSize };
          byKey.set(key, bracket);
          order.push(bracket);
        }
        const alternative = { alt, text: child.text ?? '', from: pos, to: pos + child.nodeSize, bracket };
        bracket.alternatives.push(alternative);
        bracket.to = Math.max(bracket.to, alternative.to);
        open.set(runKey, alternative);
      }
      for (const runKey of [...open.keys()]) if (!seen.has(runKey)) open.delete(runKey);
    });
    return false;
  });
  return order.map((b) => ({
    ...b,
    alternatives: b.alternatives.map(({ alt, text, from, to }) => ({ alt, text, from, to })),
  }));
}

/** The number of open brackets per clause id (clauses without brackets are absent). */
export function openBracketsByClause(doc: Node): Map<string, number> {
  const counts = new Map<string, number>();
  for (const bracket of listBrackets(doc)) {
    if (bracket.clauseId) counts.set(bracket.clauseId, (counts.get(bracket.clauseId) ?? 0) + 1);
  }
  return counts;
}

/** The clause with id `clauseId` and its position, or null. */
export function findClause(doc: Node, clauseId: string): { node: Node; pos: number } | null {
  let found: { node: Node; pos: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.type.name === 'clause') {
      if (node.attrs.id === clauseId) found = { node, pos };
      return false;
    }
    return true;
  });
  return found;
}

/** The open brackets inside clause `clauseId` (0 when the clause has none or does not exist). */
export function openBracketsInClause(doc: Node, clauseId: string): number {
  return openBracketsByClause(doc).get(clauseId) ?? 0;
}
