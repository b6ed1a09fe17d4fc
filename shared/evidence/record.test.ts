import { describe, expect, it } from 'vitest';
import { buildConsultationRecord, type RecordInput, renderRecordHtml, renderRecordMarkdown } from './record';

const report = (country: string, date: string) => ({
  id: `r-${country}`,
  title: `${country} <report>`,
  country,
  kind: 'national_consultation' as const,
  date,
  focalPoint: 'Focal point',
});

const input: RecordInput = {
  documentTitle: 'Framework',
  generatedAt: '2030-01-02T03:04:05.000Z',
  objectives: [
    { id: 'o1', number: '1', heading: 'Inclusion', clauses: [{ id: 'c1', number: '1.1', text: 'Include *everyone*.' }, { id: 'c2', number: '1.2', text: 'Publish.' }] },
  ],
  links: [
    { clauseId: 'c1', relation: 'supports', note: '', quote: 'Veloria said yes.', report: report('Veloria', '2029-03-01') },
    { clauseId: 'c1', relation: 'challenges', note: 'Lists age.', quote: 'Kestrania said no.', report: report('Kestrania', '2029-04-01') },
    { clauseId: 'c1', relation: 'supports', note: '', quote: 'Kestrania said yes too.', report: report('Kestrania', '2029-04-01') },
    { clauseId: 'elsewhere', relation: 'supports', note: '', quote: 'Orphan.', report: report('Marisca', '2029-05-01') },
  ],
};

describe('buildConsultationRecord', () => {
  const record = buildConsultationRecord(input);

  it('lists per clause the consultations that informed it and those that challenge it, by country', () => {
    const [c1, c2] = record.objectives[0]?.clauses ?? [];
    expect(c1?.informedBy.map((s) => s.quote)).toEqual(['Kestrania said yes too.', 'Veloria said yes.']);
    expect(c1?.challengedBy).toEqual([expect.objectContaining({ country: 'Kestrania', note: 'Lists age.' })]);
    expect(c2).toMatchObject({ number: '1.2', informedBy: [], challengedBy: [] });
  });

  it('lists every consultation cited once, leaving out links to clauses not in the text', () => {
    expect(record.consultations.map((c) => c.country)).toEqual(['Kestrania', 'Veloria']);
  });

  it('renders Markdown with escaped text and a line for clauses without consultations', () => {
    const md = renderRecordMarkdown(record);
    expect(md).toContain('# Record of consultation — Framework');
    expect(md).toContain('> Include \\*everyone\\*.');
    expect(md).toContain('**Challenged by:**');
    expect(md).toContain('No consultation is cited for this clause.');
  });

  it('renders HTML with every text escaped, as a fragment or a whole page', () => {
    const html = renderRecordHtml(record);
    expect(html.startsWith('<section class="consultation-record">')).toBe(true);
    expect(html).toContain('Veloria &lt;report&gt;');
    expect(html).not.toContain('<report>');
    expect(renderRecordHtml(record, { standalone: true })).toMatch(/^<!doctype html>/);
  });
});
