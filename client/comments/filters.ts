import type { Thread } from '@shared/api/threads';
import type { Role } from '@shared/permissions';

/** Where a thread's anchor sits now, as the highlight plugin last resolved it. */
export type Placement =
  | { status: 'anchored'; from: number; to: number; clauseId: string | null; objectiveId: string | null }
  | { status: 'orphaned' };

/** The filters of the comments panel. */
export interface ThreadFilters {
  status: 'open' | 'resolved' | 'all';
  /** Threads the member started or replied in. */
  mine: boolean;
  /** Threads with a comment that mentions the member. */
  mentioningMe: boolean;
  /** Threads started by a member with this role. */
  role: Role | null;
  /** Threads on this objective (or its clauses). */
  objectiveId: string | null;
}

export const defaultFilters: ThreadFilters = {
  status: 'open',
  mine: false,
  mentioningMe: false,
  role: null,
  objectiveId: null,
};

/** The clause a thread is on now (its stored clause while it has not been placed yet). */
export function clauseOf(thread: Thread, placement: Placement | undefined): string | null {
  if (thread.anchor.kind === 'document') return null;
  if (placement?.status === 'anchored') return placement.clauseId;
  return thread.anchor.clauseId;
}

/** The objective a thread is on now (a moved clause takes its threads with it). */
export function objectiveOf(thread: Thread, placement: Placement | undefined): string | null {
  if (thread.anchor.kind === 'document') return null;
  if (placement?.status === 'anchored') return placement.objectiveId;
  return thread.anchor.objectiveId;
}

/** Whether a thread passes the filters, for member `me`. */
export function matchesFilters(
  thread: Thread,
  placement: Placement | undefined,
  filters: ThreadFilters,
  me: string | null,
): boolean {
  if (filters.status !== 'all' && thread.status !== filters.status) return false;
  if (filters.mine && !(thread.createdBy.id === me || thread.comments.some((c) => c.author.id === me && !c.deleted))) {
    return false;
  }
  if (filters.mentioningMe && !thread.comments.some((c) => me !== null && c.mentions.includes(me))) return false;
  if (filters.role && thread.createdBy.role !== filters.role) return false;
  if (filters.objectiveId && objectiveOf(thread, placement) !== filters.objectiveId) return false;
  return true;
}

/**
 * Threads in reading order: the whole-document ones first, then by where their text starts, threads
 * on deleted text last (newest first within each group of equal position).
 */
export function inReadingOrder(threads: readonly Thread[], placements: Record<string, Placement>): Thread[] {
  const rank = (thread: Thread): [number, number] => {
    if (thread.anchor.kind === 'document') return [0, 0];
    const placement = placements[thread.id];
    if (placement?.status === 'anchored') return [1, placement.from];
    if (placement?.status === 'orphaned') return [3, 0];
    return [2, 0];
  };
  return [...threads].sort((a, b) => {
    const [ga, pa] = rank(a);
    const [gb, pb] = rank(b);
    return ga - gb || pa - pb || b.createdAt.localeCompare(a.createdAt);
  });
}

/** Open threads per clause id and per objective id (threads on deleted text count nowhere). */
export interface OpenCounts {
  byClause: Record<string, number>;
  byObjective: Record<string, number>;
  total: number;
}

/** Counts the open threads of each clause and objective. */
export function openCounts(threads: readonly Thread[], placements: Record<string, Placement>): OpenCounts {
  const counts: OpenCounts = { byClause: {}, byObjective: {}, total: 0 };
  for (const thread of threads) {
    if (thread.status !== 'open') continue;
    counts.total += 1;
    const placement = placements[thread.id];
    if (placement?.status === 'orphaned') continue;
    const clauseId = clauseOf(thread, placement);
    const objectiveId = objectiveOf(thread, placement);
    if (clauseId) counts.byClause[clauseId] = (counts.byClause[clauseId] ?? 0) + 1;
    if (objectiveId) counts.byObjective[objectiveId] = (counts.byObjective[objectiveId] ?? 0) + 1;
  }
  return counts;
}
