import { describe, expect, it } from 'vitest';
import { buildCoverage, type CoverageInput, coverageClausesCsv, coverageReportsCsv, csvField } from './coverage';

const input: CoverageInput = {
  objectives: [
    { id: 'o1', number: '1', heading: 'Inclusion', clauses: [{ id: 'c1', number: '1.1', text: 'Include everyone.' }, { id: 'c2', number: '1.2', text: 'Publish rules.' }] },
    { id: 'o2', number: '2', heading: 'Institutions', clauses: [{ id: 'c3', number: '2.1', text: '=SUM(A1)' }, { id: null, number: '2.2', text: 'New.' }] },
  ],
  reports: [
    { id: 'rv', title: 'Veloria sessions', country: 'Veloria', kind: 'national_consultation', date: '2029-03-14' },
    { id: 'rk', title: 'Kestrania assembly', country: 'Kestrania', kind: 'national_consultation', date: '2029-04-02' },
    { id: 'rk2', title: 'Kestrania survey', country: 'Kestrania', kind: 'expert_input', date: '2029-01-02' },
    { id: 'rm', title: 'Marisca meeting', country: 'Marisca', kind: 'thematic_meeting', date: '2029-06-11' },
  ],
  links: [
    { id: 'l1', clauseId: 'c1', relation: 'supports', reportId: 'rv', excerptId: 'e1' },
    { id: 'l2', clauseId: 'c1', relation: 'supports', reportId: 'rv', excerptId: 'e2' },
    { id: 'l3', clauseId: 'c1', relation: 'challenges', reportId: 'rk', excerptId: 'e3' },
    { id: 'l4', clauseId: 'c3', relation: 'supports', reportId: 'rk2', excerptId: 'e4' },
    { id: 'l5', clauseId: 'gone', relation: 'supports', reportId: 'rm', excerptId: 'e5' },
  ],
};

describe('buildCoverage', () => {
  const coverage = buildCoverage(input);

  it('has a column per country and a cell per clause and country', () => {
    expect(coverage.countries).toEqual(['Kestrania', 'Marisca', 'Veloria']);
    const c1 = coverage.objectives[0]?.clauses[0];
    expect(c1?.cells).toEqual([
      { supports: 0, challenges: 1, reportIds: ['rk'] },
      { supports: 0, challenges: 0, reportIds: [] },
      { supports: 2, challenges: 0, reportIds: ['rv'] },
    ]);
    expect(coverage.objectives[1]?.cells[0]).toEqual({ supports: 1, challenges: 0, reportIds: ['rk2'] });
    expect(coverage.objectives[0]).toMatchObject({ supports: 2, challenges: 1, coveredClauses: 1, clauseCount: 2 });
  });

  it('names the uncovered clauses, the uncited reports and the links whose clause is gone', () => {
    expect(coverage.uncoveredClauses).toEqual([{ id: 'c2', number: '1.2' }, { id: null, number: '2.2' }]);
    // Marisca is cited only by a link to a clause that is no longer in the text.
    expect(coverage.uncitedReports).toEqual([{ id: 'rm', title: 'Marisca meeting', country: 'Marisca' }]);
    expect(coverage.detachedLinks).toEqual([{ linkId: 'l5', clauseId: 'gone', reportId: 'rm' }]);
    expect(coverage.reports.find((r) => r.id === 'rv')).toMatchObject({ supports: 2, clauses: ['1.1'], cited: true });
    expect(coverage.totals).toEqual({ clauses: 4, coveredClauses: 2, reports: 4, citedReports: 3, countries: 3, supports: 3, challenges: 1 });
  });

  it('counts a duplicated clause id once, on its first occurrence', () => {
    const twice = buildCoverage({
      ...input,
      objectives: [{ id: 'o1', number: '1', heading: 'H', clauses: [{ id: 'c1', number: '1.1', text: '' }, { id: 'c1', number: '1.2', text: '' }] }],
    });
    expect(twice.objectives[0]?.clauses.map((c) => c.covered)).toEqual([true, false]);
  });
});

describe('coverage as CSV', () => {
  const coverage = buildCoverage(input);

  it('writes the clause matrix with objectives, clauses, country cells and totals', () => {
    const lines = coverageClausesCsv(coverage).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Objective,Clause,Text,Kestrania,Marisca,Veloria,Supports,Challenges,Covered');
    expect(lines[1]).toBe('1,,Inclusion,challenges 1,,supports 2,2,1,1/2');
    expect(lines[2]).toBe('1,1.1,Include everyone.,challenges 1,,supports 2,2,1,yes');
    // A text that looks like a formula is defused.
    expect(lines[5]).toBe("2,2.1,'=SUM(A1),supports 1,,,1,0,yes");
  });

  it('writes the reports with their citations', () => {
    expect(coverageReportsCsv(coverage).split('\r\n')).toContain('Marisca,thematic_meeting,2029-06-11,Marisca meeting,0,0,,no');
  });

  it('quotes fields with commas, quotes and line breaks', () => {
    expect(csvField('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('-3')).toBe("'-3");
  });
});
