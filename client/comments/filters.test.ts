import type { Thread } from '@shared/api/threads';
import { describe, expect, it } from 'vitest';
import { defaultFilters, inReadingOrder, matchesFilters, openCounts, type Placement } from './filters';

let n = 0;
function thread(over: Partial<Thread> & { mention?: string; replier?: string } = {}): Thread {
  n += 1;
  const { mention, replier, ...rest } = over;
  const author = { id: 'u-panel', name: 'Panel', role: 'panel' as const };
  return {
    id: `t-${n}`,
    documentId: 'd',
    versionId: null,
    anchor: { kind: 'clause', clauseId: 'c-1', objectiveId: 'o-1', quote: 'q', clauseNumber: '1.1' },
    visibility: 'everyone',
    status: 'open',
    createdBy: author,
    createdAt: `2030-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
    updatedAt: '2030-01-01T00:00:00.000Z',
    resolvedBy: null,
    resolvedAt: null,
    comments: [
      { id: `m-${n}`, threadId: `t-${n}`, author, body: mention ? `<@${mention}>` : 'x', mentions: mention ? [mention] : [], proposedWording: null, applied: null, createdAt: '', editedAt: null, deleted: false },
      ...(replier
        ? [{ id: `r-${n}`, threadId: `t-${n}`, author: { id: replier, name: 'R', role: 'drafter' as const }, body: 'y', mentions: [], proposedWording: null, applied: null, createdAt: '', editedAt: null, deleted: false }]
        : []),
    ],
    ...rest,
  };
}

describe('thread filters', () => {
  it('shows open threads by default and resolved ones on demand', () => {
    const open = thread();
    const resolved = thread({ status: 'resolved' });
    expect(matchesFilters(open, undefined, defaultFilters, 'me')).toBe(true);
    expect(matchesFilters(resolved, undefined, defaultFilters, 'me')).toBe(false);
    expect(matchesFilters(resolved, undefined, { ...defaultFilters, status: 'resolved' }, 'me')).toBe(true);
    expect(matchesFilters(open, undefined, { ...defaultFilters, status: 'all' }, 'me')).toBe(true);
  });

  it('filters by mine (started or replied), mentioning me, role and objective', () => {
    const replied = thread({ replier: 'me' });
    const mentioned = thread({ mention: 'me' });
    const other = thread();
    expect([replied, mentioned, other].filter((t) => matchesFilters(t, undefined, { ...defaultFilters, mine: true }, 'me'))).toEqual([replied]);
    expect([replied, mentioned, other].filter((t) => matchesFilters(t, undefined, { ...defaultFilters, mentioningMe: true }, 'me'))).toEqual([mentioned]);
    expect(matchesFilters(other, undefined, { ...defaultFilters, role: 'drafter' }, 'me')).toBe(false);
    expect(matchesFilters(other, undefined, { ...defaultFilters, role: 'panel' }, 'me')).toBe(true);
    // A clause moved to objective 2 takes its thread with it.
    const moved: Placement = { status: 'anchored', from: 5, to: 9, clauseId: 'c-1', objectiveId: 'o-2' };
    expect(matchesFilters(other, moved, { ...defaultFilters, objectiveId: 'o-2' }, 'me')).toBe(true);
    expect(matchesFilters(other, moved, { ...defaultFilters, objectiveId: 'o-1' }, 'me')).toBe(false);
  });

  it('orders threads as the text reads, whole-document first and deleted text last', () => {
    const doc = thread({ anchor: { kind: 'document' } });
    const late = thread();
    const early = thread();
    const orphan = thread();
    const placements: Record<string, Placement> = {
      [late.id]: { status: 'anchored', from: 90, to: 95, clauseId: 'c-1', objectiveId: 'o-1' },
      [early.id]: { status: 'anchored', from: 10, to: 15, clauseId: 'c-1', objectiveId: 'o-1' },
      [orphan.id]: { status: 'orphaned' },
    };
    expect(inReadingOrder([orphan, late, doc, early], placements).map((t) => t.id)).toEqual([doc.id, early.id, late.id, orphan.id]);
  });

  it('counts open threads per clause and objective, leaving out resolved ones and deleted text', () => {
    const a = thread();
    const b = thread({ status: 'resolved' });
    const c = thread();
    const counts = openCounts([a, b, c], { [c.id]: { status: 'orphaned' } });
    expect(counts).toEqual({ byClause: { 'c-1': 1 }, byObjective: { 'o-1': 1 }, total: 2 });
  });
});
