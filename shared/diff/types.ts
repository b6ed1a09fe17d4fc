/** The result types of a clause-by-clause comparison (see `compare.ts`). */

/** What happened to a clause or an objective between two texts; an empty list means unchanged. */
export type ChangeKind = 'added' | 'removed' | 'moved' | 'renumbered' | 'changed';

/** A word-level redline: the old text is the `equal` and `deleted` pieces, the new one `equal` and `inserted`. */
export type Redline = { op: 'equal' | 'inserted' | 'deleted'; text: string }[];

/** Where a clause stands in one of the two texts. */
export interface ClausePlace {
  number: string;
  objectiveId: string | null;
  objectiveNumber: string;
  /** The clause's display text (brackets shown). */
  text: string;
}

/** One clause of the comparison, matched by id across the two texts. */
export interface ClauseComparison {
  id: string;
  changes: ChangeKind[];
  before: ClausePlace | null;
  after: ClausePlace | null;
  /** Word-level redline when the text changed (the whole text inserted or deleted for added/removed clauses). */
  redline: Redline | null;
  /** The status on each side, when the comparison had statuses and they differ. */
  status: { before: string | null; after: string | null } | null;
}

/** One objective of the comparison, matched by id. */
export interface ObjectiveComparison {
  id: string;
  changes: ChangeKind[];
  before: { number: string; heading: string; rationale: string } | null;
  after: { number: string; heading: string; rationale: string } | null;
  /** Redlines of the heading and the rationale when they changed. */
  heading: Redline | null;
  rationale: Redline | null;
}

/** Counts behind the summary line. */
export interface ComparisonCounts {
  clausesChanged: number;
  clausesAdded: number;
  clausesRemoved: number;
  clausesMoved: number;
  clausesRenumbered: number;
  objectivesChanged: number;
  objectivesAdded: number;
  objectivesRemoved: number;
  objectivesMoved: number;
  objectivesRenumbered: number;
  statusChanges: number;
}

/** A clause-by-clause comparison of two texts. */
export interface DocumentComparison {
  /** Redline of the title when it changed. */
  title: Redline | null;
  /** Redline of the preamble (paragraphs joined by blank lines) when it changed. */
  preamble: Redline | null;
  objectives: ObjectiveComparison[];
  /** Every clause of either text: the new text's order, removed clauses where they stood. */
  clauses: ClauseComparison[];
  /** Whether both texts carried clause statuses (status changes are listed only then). */
  statusesCompared: boolean;
  counts: ComparisonCounts;
  /** "12 clauses changed, 3 added …", or "No changes." */
  summary: string;
}
