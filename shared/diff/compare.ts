/**
 * Clause-by-clause comparison of two texts of a framework document (two versions, or a version and
 * the live draft). Objectives and clauses are matched by their stable ids, never by position, so a
 * moved clause is reported as moved (not as one removed and one added), and a clause whose number
 * changed only because others were inserted before it is reported as renumbered.
 *
 * - added / removed: the id is in only one of the texts;
 * - moved: the clause now sits in another objective, or its order relative to the other clauses
 *   present in both texts changed (it is outside their longest common subsequence);
 * - renumbered: its number differs although it did not move;
 * - changed: its content differs (text, brackets, formatting); the redline is word-level.
 */
import type { Node } from 'prosemirror-model';
import { computeOutline, type ClauseEntry, type NumberingBaseline, type ObjectiveEntry } from '../numbering';
import { displayText } from './displayText';
import { wordRedline } from './redline';
import type {
  ChangeKind,
  ClauseComparison,
  ClausePlace,
  ComparisonCounts,
  DocumentComparison,
  ObjectiveComparison,
} from './types';

/** One of the two texts being compared. */
export interface CompareSide {
  doc: Node;
  /** The numbering baseline the text is shown with (a version's own; the live draft's "bis" baseline). */
  baseline?: NumberingBaseline;
  /** Clause statuses by clause id, when known for this text. */
  statuses?: Readonly<Record<string, string>> | null;
}

interface Indexed<T> {
  key: string;
  entry: T;
  node: Node;
}

/** Entries keyed by id; an entry without an id (or repeating one) gets a positional key instead. */
function keyed<T extends { id: string | null; pos: number }>(
  entries: readonly T[],
  doc: Node,
  positional: (entry: T, i: number) => string,
): Map<string, Indexed<T>> {
  const map = new Map<string, Indexed<T>>();
  entries.forEach((entry, i) => {
    const node = doc.nodeAt(entry.pos);
    if (!node) return;
    const key = entry.id !== null && !map.has(entry.id) ? entry.id : `~${positional(entry, i)}`;
    map.set(key, { key, entry, node });
  });
  return map;
}

/** Keys that keep their relative order: the longest common subsequence of the two key lists. */
function stableKeys(before: readonly string[], after: readonly string[]): Set<string> {
  const n = before.length;
  const m = after.length;
  // Classic O(n·m) table; documents have at most a few hundred clauses.
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] =
        before[i] === after[j]
          ? table[i + 1]![j + 1]! + 1
          : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      kept.add(before[i]!);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

function childNode(node: Node, type: string): Node | null {
  let found: Node | null = null;
  node.forEach((child) => {
    if (child.type.name === type) found = child;
  });
  return found;
}

function childText(node: Node, type: string): string {
  const child = childNode(node, type);
  return child ? displayText(child) : '';
}

/** Whether the `type` children of two nodes have equal content (both absent counts as equal). */
function sameChild(a: Node, b: Node, type: string): boolean {
  const x = childNode(a, type);
  const y = childNode(b, type);
  return x === null || y === null ? x === y : x.content.eq(y.content);
}

function clausePlace(entry: ClauseEntry, node: Node): ClausePlace {
  return {
    number: entry.number,
    objectiveId: entry.objectiveId,
    objectiveNumber: entry.objectiveNumber,
    text: displayText(node),
  };
}

function preambleText(doc: Node): string {
  const paragraphs: string[] = [];
  doc.forEach((child) => {
    if (child.type.name === 'preamble') child.forEach((p) => paragraphs.push(displayText(p)));
  });
  return paragraphs.join('\n\n');
}

function titleText(doc: Node): string {
  return doc.firstChild?.type.name === 'title' ? doc.firstChild.textContent : '';
}

/**
 * Lists `after`'s keys in order, with each key found only in `before` placed right after the
 * nearest key that precedes it in `before` and survives (or first, when none does).
 */
function mergedOrder(before: readonly string[], after: readonly string[]): string[] {
  const inAfter = new Set(after);
  const removedAfter = new Map<string, string[]>();
  let anchor = '';
  for (const key of before) {
    if (inAfter.has(key)) anchor = key;
    else removedAfter.set(anchor, [...(removedAfter.get(anchor) ?? []), key]);
  }
  const out = [...(removedAfter.get('') ?? [])];
  for (const key of after) out.push(key, ...(removedAfter.get(key) ?? []));
  return out;
}

/** Compares two texts objective by objective and clause by clause. Pure: no I/O, no clock. */
export function compareDocuments(before: CompareSide, after: CompareSide): DocumentComparison {
  const outlineBefore = computeOutline(before.doc, before.baseline ? { baseline: before.baseline } : {});
  const outlineAfter = computeOutline(after.doc, after.baseline ? { baseline: after.baseline } : {});

  const objectives = compareObjectives(
    keyed(outlineBefore.objectives, before.doc, (_o, i) => `objective-${i}`),
    keyed(outlineAfter.objectives, after.doc, (_o, i) => `objective-${i}`),
  );
  const statusesCompared = !!before.statuses && !!after.statuses;
  const clauses = compareClauses(
    keyed(outlineBefore.clauses, before.doc, (c) => `${c.objectiveNumber}.${c.index}`),
    keyed(outlineAfter.clauses, after.doc, (c) => `${c.objectiveNumber}.${c.index}`),
    statusesCompared ? { before: before.statuses ?? {}, after: after.statuses ?? {} } : null,
  );

  const titleBefore = titleText(before.doc);
  const titleAfter = titleText(after.doc);
  const preambleBefore = preambleText(before.doc);
  const preambleAfter = preambleText(after.doc);
  const counts = countChanges(objectives, clauses);
  const title = titleBefore === titleAfter ? null : wordRedline(titleBefore, titleAfter);
  const preamble = preambleBefore === preambleAfter ? null : wordRedline(preambleBefore, preambleAfter);
  return {
    title,
    preamble,
    objectives,
    clauses,
    statusesCompared,
    counts,
    summary: summarize(counts, { title: title !== null, preamble: preamble !== null }),
  };
}

function compareObjectives(
  before: Map<string, Indexed<ObjectiveEntry>>,
  after: Map<string, Indexed<ObjectiveEntry>>,
): ObjectiveComparison[] {
  const beforeKeys = [...before.keys()];
  const afterKeys = [...after.keys()];
  const common = (keys: string[], other: Map<string, unknown>) => keys.filter((k) => other.has(k));
  const stable = stableKeys(common(beforeKeys, after), common(afterKeys, before));
  return mergedOrder(beforeKeys, afterKeys).map((key) => {
    const b = before.get(key);
    const a = after.get(key);
    const side = (x: Indexed<ObjectiveEntry> | undefined) =>
      x
        ? { number: x.entry.number, heading: childText(x.node, 'objective_heading'), rationale: childText(x.node, 'rationale') }
        : null;
    const sb = side(b);
    const sa = side(a);
    const changes: ChangeKind[] = [];
    let heading = null;
    let rationale = null;
    if (!b) changes.push('added');
    else if (!a) changes.push('removed');
    else {
      const moved = !stable.has(key);
      if (moved) changes.push('moved');
      if (!moved && sb!.number !== sa!.number) changes.push('renumbered');
      if (sb!.heading !== sa!.heading) heading = wordRedline(sb!.heading, sa!.heading);
      if (sb!.rationale !== sa!.rationale) rationale = wordRedline(sb!.rationale, sa!.rationale);
      const same = sameChild(b.node, a.node, 'objective_heading') && sameChild(b.node, a.node, 'rationale');
      if (heading || rationale || !same) changes.push('changed');
    }
    return { id: key, changes, before: sb, after: sa, heading, rationale };
  });
}

function compareClauses(
  before: Map<string, Indexed<ClauseEntry>>,
  after: Map<string, Indexed<ClauseEntry>>,
  statuses: { before: Readonly<Record<string, string>>; after: Readonly<Record<string, string>> } | null,
): ClauseComparison[] {
  const beforeKeys = [...before.keys()];
  const afterKeys = [...after.keys()];
  // Order is compared among the clauses that stayed in their objective: one that changed objective
  // is moved anyway, and leaving it out keeps it from making an unmoved neighbour look moved.
  const sameObjective = (k: string) => {
    const b = before.get(k);
    const a = after.get(k);
    return !!a && !!b && a.entry.objectiveId === b.entry.objectiveId;
  };
  const stable = stableKeys(beforeKeys.filter(sameObjective), afterKeys.filter(sameObjective));
  return mergedOrder(beforeKeys, afterKeys).map((key) => {
    const b = before.get(key);
    const a = after.get(key);
    const placeBefore = b ? clausePlace(b.entry, b.node) : null;
    const placeAfter = a ? clausePlace(a.entry, a.node) : null;
    const changes: ChangeKind[] = [];
    let redline = null;
    if (!b) {
      changes.push('added');
      redline = placeAfter!.text ? [{ op: 'inserted' as const, text: placeAfter!.text }] : [];
    } else if (!a) {
      changes.push('removed');
      redline = placeBefore!.text ? [{ op: 'deleted' as const, text: placeBefore!.text }] : [];
    } else {
      const moved = b.entry.objectiveId !== a.entry.objectiveId || !stable.has(key);
      if (moved) changes.push('moved');
      if (!moved && placeBefore!.number !== placeAfter!.number) changes.push('renumbered');
      if (placeBefore!.text !== placeAfter!.text || !b.node.content.eq(a.node.content)) {
        changes.push('changed');
        redline = wordRedline(placeBefore!.text, placeAfter!.text);
      }
    }
    let status = null;
    if (statuses) {
      const sb = b ? (statuses.before[key] ?? null) : null;
      const sa = a ? (statuses.after[key] ?? null) : null;
      if (b && a && sb !== sa) status = { before: sb, after: sa };
    }
    return { id: key, changes, before: placeBefore, after: placeAfter, redline, status };
  });
}

function countChanges(objectives: ObjectiveComparison[], clauses: ClauseComparison[]): ComparisonCounts {
  const count = <T extends { changes: ChangeKind[] }>(list: T[], kind: ChangeKind) =>
    list.filter((x) => x.changes.includes(kind)).length;
  return {
    clausesChanged: count(clauses, 'changed'),
    clausesAdded: count(clauses, 'added'),
    clausesRemoved: count(clauses, 'removed'),
    clausesMoved: count(clauses, 'moved'),
    clausesRenumbered: count(clauses, 'renumbered'),
    objectivesChanged: count(objectives, 'changed'),
    objectivesAdded: count(objectives, 'added'),
    objectivesRemoved: count(objectives, 'removed'),
    objectivesMoved: count(objectives, 'moved'),
    objectivesRenumbered: count(objectives, 'renumbered'),
    statusChanges: clauses.filter((c) => c.status !== null).length,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One group of the summary: "3 clauses changed, 1 added" (the noun goes with the first count). */
function group(one: string, many: string, entries: readonly (readonly [number, string])[]): string | null {
  const present = entries.filter(([n]) => n > 0);
  const [first, ...rest] = present;
  if (!first) return null;
  return [`${plural(first[0], one, many)} ${first[1]}`, ...rest.map(([n, w]) => `${n} ${w}`)].join(', ');
}

/** The summary line: "12 clauses changed, 3 added, 1 removed; 1 objective added; 2 status changes". */
export function summarize(counts: ComparisonCounts, other: { title: boolean; preamble: boolean }): string {
  const parts = [
    group('clause', 'clauses', [
      [counts.clausesChanged, 'changed'],
      [counts.clausesAdded, 'added'],
      [counts.clausesRemoved, 'removed'],
      [counts.clausesMoved, 'moved'],
      [counts.clausesRenumbered, 'renumbered'],
    ]),
    group('objective', 'objectives', [
      [counts.objectivesChanged, 'changed'],
      [counts.objectivesAdded, 'added'],
      [counts.objectivesRemoved, 'removed'],
      [counts.objectivesMoved, 'moved'],
      [counts.objectivesRenumbered, 'renumbered'],
    ]),
    counts.statusChanges > 0 ? plural(counts.statusChanges, 'status change', 'status changes') : null,
    other.title ? 'title changed' : null,
    other.preamble ? 'preamble changed' : null,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'No changes.' : `${capitalize(parts.join('; '))}.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Whether a comparison found any difference at all. */
export function isIdentical(comparison: DocumentComparison): boolean {
  return (
    comparison.title === null &&
    comparison.preamble === null &&
    comparison.objectives.every((o) => o.changes.length === 0) &&
    comparison.clauses.every((c) => c.changes.length === 0 && c.status === null)
  );
}
