import { describe, expect, it } from 'vitest';
import { buildFeedbackReport, type FeedbackThread, NO_COUNTRY } from './feedback';

const round = {
  id: 'r-1',
  versionId: 'v-1',
  versionLabel: 'Rev.1',
  title: 'Regional validation — West',
  closesAt: '2026-02-01T00:00:00.000Z',
  open: false,
  closedAt: '2026-02-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
};

const people = {
  ana: { id: 'u-ana', name: 'Ana Ruiz', role: 'validator' as const, affiliation: 'Kestrania' },
  bo: { id: 'u-bo', name: 'Bo Lind', role: 'validator' as const, affiliation: 'Veloria' },
  cy: { id: 'u-cy', name: 'Cy Moss', role: 'validator' as const, affiliation: ' Kestrania ' },
  dee: { id: 'u-dee', name: 'Dee Tran', role: 'validator' as const, affiliation: null },
};

function thread(id: string, who: keyof typeof people, clauseId: string | null, at: string): FeedbackThread {
  return {
    id,
    kind: clauseId ? 'range' : 'document',
    clauseId,
    clauseNumber: null,
    quote: null,
    status: 'open',
    givenBy: people[who],
    givenAt: at,
    comments: [{ id: `${id}-m`, author: people[who], at, text: `${id} text`, proposedWording: null }],
    carried: id === 't-4' ? { threadId: 't-live', by: 'Tomas', at } : null,
  };
}

const report = buildFeedbackReport({
  document: { id: 'd-1', title: 'Framework' },
  round,
  version: { id: 'v-1', label: 'Rev.1', hash: 'a'.repeat(64), frozenAt: '2026-01-01T00:00:00.000Z' },
  generatedAt: '2026-03-01T00:00:00.000Z',
  clauses: [
    { id: 'c-1', number: '1.1', text: 'First clause.' },
    { id: 'c-2', number: '1.2', text: 'Second clause.' },
    { id: 'c-3', number: '2.1', text: 'Third clause.' },
  ],
  validators: [people.ana, people.bo, people.cy, people.dee, { id: 'u-eve', name: 'Eve Silent', affiliation: 'Orlandia' }],
  threads: [
    thread('t-1', 'bo', 'c-3', '2026-01-05T00:00:00.000Z'),
    thread('t-2', 'ana', 'c-1', '2026-01-06T00:00:00.000Z'),
    thread('t-3', 'cy', 'c-1', '2026-01-02T00:00:00.000Z'),
    thread('t-4', 'dee', null, '2026-01-07T00:00:00.000Z'),
    thread('t-5', 'ana', 'c-3', '2026-01-01T00:00:00.000Z'),
  ],
});

describe('the feedback report of a round', () => {
  it('groups feedback by clause in the order of the text, the whole text first, threads oldest first', () => {
    expect(report.byClause.map((g) => [g.clauseId, g.number, g.threads.map((t) => t.id)])).toEqual([
      [null, null, ['t-4']],
      ['c-1', '1.1', ['t-3', 't-2']],
      ['c-3', '2.1', ['t-5', 't-1']],
    ]);
    expect(report.byClause[1]?.text).toBe('First clause.');
  });

  it('groups feedback by the country of the validator who gave it, with every validator of that country', () => {
    expect(report.byCountry.map((g) => g.country)).toEqual(['Kestrania', 'Orlandia', 'Veloria', NO_COUNTRY]);
    const kestrania = report.byCountry[0]!;
    // Affiliations are trimmed, so " Kestrania " counts as Kestrania; its threads follow the text.
    expect(kestrania.threads.map((t) => t.id)).toEqual(['t-3', 't-2', 't-5']);
    expect(kestrania.validators).toEqual([
      { id: 'u-ana', name: 'Ana Ruiz', threads: 2 },
      { id: 'u-cy', name: 'Cy Moss', threads: 1 },
    ]);
    expect(report.byCountry[1]).toEqual({ country: 'Orlandia', validators: [{ id: 'u-eve', name: 'Eve Silent', threads: 0 }], threads: [] });
    expect(report.byCountry[3]?.threads.map((t) => t.id)).toEqual(['t-4']);
  });

  it('sums up threads, comments, validators, countries, clauses and what was carried', () => {
    expect(report.summary).toEqual({
      threads: 5,
      comments: 5,
      validators: 5,
      validatorsWithFeedback: 4,
      countries: 3,
      clauses: 2,
      carried: 1,
    });
  });

  it('lists every thread exactly once in each grouping', () => {
    const ids = (groups: { threads: FeedbackThread[] }[]) => groups.flatMap((g) => g.threads.map((t) => t.id)).sort();
    expect(ids(report.byClause)).toEqual(['t-1', 't-2', 't-3', 't-4', 't-5']);
    expect(ids(report.byCountry)).toEqual(['t-1', 't-2', 't-3', 't-4', 't-5']);
  });
});
