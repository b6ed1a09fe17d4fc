/**
 * Numbering of objectives and clauses. Numbers are computed from the document, never typed: objectives
 * are numbered 1, 2, 3 … and clauses 1.1, 1.2 … within their objective, so moving a clause renumbers it.
 *
 * After a version is frozen, a document may carry a {@link NumberingBaseline} (the numbers at the
 * freeze) so that references made at the meeting stay valid; see {@link computeOutline} for the rule.
 */
import type { Node } from 'prosemirror-model';
import { z } from 'zod';

/** One clause of the outline, in document order. */
export interface ClauseEntry {
  id: string | null;
  /** The clause number as shown, e.g. "1.2" or "1.4 bis". */
  number: string;
  objectiveId: string | null;
  objectiveNumber: string;
  /** 0-based position of the clause within its objective. */
  index: number;
  /** Document position just before the clause node. */
  pos: number;
  /** The clause's plain text. */
  text: string;
}

/** One objective of the outline, with its clauses. */
export interface ObjectiveEntry {
  id: string | null;
  /** The objective number as shown, e.g. "2" or "2 bis". */
  number: string;
  /** Document position just before the objective node. */
  pos: number;
  /** The plain text of the objective's heading. */
  heading: string;
  clauses: ClauseEntry[];
}

/** The numbered structure of a document. */
export interface Outline {
  objectives: ObjectiveEntry[];
  /** Every clause in document order. */
  clauses: ClauseEntry[];
  /** Clauses by id; when an id occurs twice (before `clauseIdPlugin` repairs it) the first one wins. */
  clauseById: Map<string, ClauseEntry>;
}

/** Numbers at the last freeze (by objective id and clause id), used for "bis/ter" numbering. */
export interface NumberingBaseline {
  objectives: Record<string, string>;
  clauses: Record<string, string>;
}

/** Validates a baseline read from document settings or a request. */
export const numberingBaselineSchema = z.object({
  objectives: z.record(z.string(), z.string().max(64)),
  clauses: z.record(z.string(), z.string().max(64)),
});

/**
 * Latin multiplicative adverbs used after a number for insertions: "4 bis" follows 4, then "4 ter" …
 * Index 0 is "bis" (the second item after the anchor is counted as 2).
 */
export const latinSuffixes = [
  'bis',
  'ter',
  'quater',
  'quinquies',
  'sexies',
  'septies',
  'octies',
  'novies',
  'decies',
  'undecies',
  'duodecies',
  'terdecies',
  'quaterdecies',
  'quindecies',
  'sexdecies',
  'septdecies',
  'octodecies',
  'novodecies',
  'vicies',
] as const;

/**
 * The suffix for the `n`th item counting the anchor as the first: 2 → "bis", 3 → "ter" … 20 → "vicies".
 * Past twenty (never seen in practice) the count itself is used, in parentheses: "(21)".
 */
export function latinSuffix(n: number): string {
  return latinSuffixes[n - 2] ?? `(${n})`;
}

/** Splits a label such as "4 ter" into its base "4" and multiplicative 3; a plain "4" has multiplicative 1. */
function splitSuffix(label: string): { base: string; multiple: number } {
  const space = label.lastIndexOf(' ');
  if (space > 0) {
    const index = (latinSuffixes as readonly string[]).indexOf(label.slice(space + 1));
    if (index >= 0) return { base: label.slice(0, space), multiple: index + 2 };
  }
  return { base: label, multiple: 1 };
}

/**
 * Numbers one sequence (the objectives of a document, or the clauses of one objective) against the
 * frozen labels. `frozen(i)` is the item's frozen label when it keeps one; `anchorable` says whether
 * that label may anchor the insertions after it; `zero` is the anchor before the first frozen item.
 */
function numberSequence(
  count: number,
  frozen: (i: number) => string | undefined,
  anchorable: (label: string) => boolean,
  zero: string,
  taken: Set<string>,
): string[] {
  const labels: string[] = [];
  let anchor = splitSuffix(zero);
  let next = anchor.multiple + 1;
  for (let i = 0; i < count; i++) {
    const label = frozen(i);
    if (label !== undefined) {
      labels.push(label);
      if (anchorable(label)) {
        anchor = splitSuffix(label);
        next = anchor.multiple + 1;
      }
      continue;
    }
    let candidate = `${anchor.base} ${latinSuffix(next++)}`;
    // A label frozen elsewhere (a moved item) is never reused: skip to the next free suffix.
    while (taken.has(candidate)) candidate = `${anchor.base} ${latinSuffix(next++)}`;
    taken.add(candidate);
    labels.push(candidate);
  }
  return labels;
}

/**
 * Computes the numbered outline of a document.
 *
 * Without a baseline, objectives are numbered 1, 2, 3 … in document order and clauses "n.1", "n.2" …
 * within objective n.
 *
 * With a baseline (set when a version is frozen), every objective or clause whose id is in the baseline
 * keeps its frozen number wherever it now stands, so that references made at the meeting stay valid
 * (a deleted one leaves a gap; a moved one keeps its number). Each item inserted since takes the number
 * of the frozen item before it with a Latin multiplicative: "4 bis", "4 ter", "4 quater" … and, for
 * clauses, on the full number: "1.4 bis". The rule for insertions before the first frozen item is the
 * same with a zero anchor: objective "0 bis", clause "1.0 bis" (read "before 1.1"), which sorts before
 * every frozen number. A clause anchors only on a frozen clause of the objective it sits in (a clause
 * moved in from objective 1 does not make its neighbours "1.x bis" in objective 2). An objective with no
 * frozen clauses (a new objective, or one that had none at the freeze) numbers its new clauses plainly:
 * "2 bis.1", "2 bis.2". A label frozen for another item is never given out twice.
 */
export function computeOutline(doc: Node, options: { baseline?: NumberingBaseline } = {}): Outline {
  const { baseline } = options;
  const objectiveNodes: { node: Node; pos: number }[] = [];
  doc.forEach((node, offset) => {
    if (node.type.name === 'objective') objectiveNodes.push({ node, pos: offset });
  });

  const frozenObjective = (node: Node): string | undefined => {
    const id = node.attrs.id as string | null;
    return baseline && id !== null ? baseline.objectives[id] : undefined;
  };
  const frozenClause = (node: Node): string | undefined => {
    const id = node.attrs.id as string | null;
    return baseline && id !== null ? baseline.clauses[id] : undefined;
  };

  const objectiveNumbers = baseline
    ? numberSequence(
        objectiveNodes.length,
        (i) => frozenObjective(objectiveNodes[i]!.node),
        () => true,
        '0',
        new Set(Object.values(baseline.objectives)),
      )
    : objectiveNodes.map((_, i) => String(i + 1));
  const takenClauses = new Set(baseline ? Object.values(baseline.clauses) : []);
  // Objective numbers that had clauses at the freeze ("1.4 bis" belongs to objective "1").
  const objectivesWithFrozenClauses = new Set(
    [...takenClauses].map((label) => label.slice(0, label.lastIndexOf('.'))),
  );

  const outline: Outline = { objectives: [], clauses: [], clauseById: new Map() };
  objectiveNodes.forEach(({ node, pos }, i) => {
    const objectiveNumber = objectiveNumbers[i]!;
    const objectiveId = node.attrs.id as string | null;
    const clauseNodes: { node: Node; pos: number }[] = [];
    let heading = '';
    node.forEach((child, offset) => {
      if (child.type.name === 'clause') clauseNodes.push({ node: child, pos: pos + 1 + offset });
      else if (child.type.name === 'objective_heading') heading = child.textContent;
    });

    const prefix = `${objectiveNumber}.`;
    let numbers: string[];
    if (objectivesWithFrozenClauses.has(objectiveNumber)) {
      numbers = numberSequence(
        clauseNodes.length,
        (j) => frozenClause(clauseNodes[j]!.node),
        (label) => label.startsWith(prefix),
        `${objectiveNumber}.0`,
        takenClauses,
      );
    } else {
      // No frozen clause belongs here: new clauses count plainly, moved-in frozen ones keep their label.
      let plain = 0;
      numbers = clauseNodes.map(({ node: c }) => frozenClause(c) ?? `${objectiveNumber}.${++plain}`);
    }

    const entry: ObjectiveEntry = { id: objectiveId, number: objectiveNumber, pos, heading, clauses: [] };
    clauseNodes.forEach(({ node: c, pos: clausePos }, j) => {
      const clause: ClauseEntry = {
        id: c.attrs.id as string | null,
        number: numbers[j]!,
        objectiveId,
        objectiveNumber,
        index: j,
        pos: clausePos,
        text: c.textContent,
      };
      entry.clauses.push(clause);
      outline.clauses.push(clause);
      if (clause.id !== null && !outline.clauseById.has(clause.id)) outline.clauseById.set(clause.id, clause);
    });
    outline.objectives.push(entry);
  });
  return outline;
}

/** The baseline to store when a version is frozen: the numbers of the outline by id (entries without id are left out). */
export function baselineFromOutline(outline: Outline): NumberingBaseline {
  const baseline: NumberingBaseline = { objectives: {}, clauses: {} };
  for (const objective of outline.objectives) {
    if (objective.id !== null) baseline.objectives[objective.id] = objective.number;
  }
  for (const clause of outline.clauses) {
    if (clause.id !== null) baseline.clauses[clause.id] = clause.number;
  }
  return baseline;
}

/** How a clause is named in lists and references, e.g. "Clause 1.4 bis". */
export function clauseLabel(entry: Pick<ClauseEntry, 'number'>): string {
  return `Clause ${entry.number}`;
}
