import { partKeys } from '@shared/versions/parts';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDialogueWithMembers } from '../../../seed/fixtures';
import { ClauseStatuses } from '../../../store/clauseStatuses';
import { createTestApp, type TestApp } from '../../../http/testHarness';
import { collectSnapshotParts } from '../snapshotParts';
import './index';
import { recordToAnnex } from './evidence';

describe('snapshot parts of statuses and evidence', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const text = doc(
    title('Framework'),
    objective({ id: 'o1' }, heading('Participation'), clause({ id: 'c1' }, 'First.'), clause({ id: 'c2' }, 'Second.')),
  );

  it('records every clause of the frozen text with its status, draft when it has none, and no deleted clause', async () => {
    const created = await createDialogueWithMembers(t.ctx, {
      members: [{ key: 'chair', role: 'co_chair' }],
      document: { title: 'Framework' },
    });
    const documentId = created.documentId as string;
    const statuses = new ClauseStatuses(t.ctx.store);
    await statuses.set(documentId, 'c1', 'agreed', created.users.chair!.id, null);
    await statuses.set(documentId, 'gone', 'bracketed', created.users.chair!.id, null);

    const parts = await collectSnapshotParts(t.ctx, documentId, text);
    expect(parts[partKeys.clauseStatus]).toEqual({ c1: 'agreed', c2: 'draft' });
    expect(parts[partKeys.evidenceLinks]).toEqual([]);
    const annex = parts[partKeys.consultationAnnex] as ReturnType<typeof recordToAnnex>;
    expect(annex.sections.map((s) => s.heading)).toEqual(['Clause 1.1', 'Clause 1.2']);
    expect(annex.sections[0]?.paragraphs).toEqual(['No consultation is cited for this clause.']);
  });

  it('writes each cited consultation of a clause as an annex paragraph', () => {
    const source = {
      reportId: 'r1',
      country: 'Veloria',
      kind: 'national_consultation' as const,
      reportTitle: 'Voices of the coast',
      date: '2026-03-02',
      focalPoint: 'A. Focal',
      quote: 'Women must sit at every table.',
      note: 'central to 1.1',
    };
    const annex = recordToAnnex({
      documentTitle: 'Framework',
      generatedAt: '2026-01-01T00:00:00.000Z',
      objectives: [
        {
          number: '1',
          heading: 'Participation',
          clauses: [{ id: 'c1', number: '1.1', text: 'First.', informedBy: [source], challengedBy: [] }],
        },
      ],
      consultations: [],
    });
    expect(annex.sections).toHaveLength(1);
    expect(annex.sections[0]?.paragraphs[0]).toMatch(/^Informed by: Veloria, .*“Voices of the coast” \(2026-03-02\): “Women must sit at every table\.” — central to 1\.1$/);
  });
});
