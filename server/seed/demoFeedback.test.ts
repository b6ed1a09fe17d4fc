import type { Thread } from '@shared/api/threads';
import type { FeedbackReport } from '@shared/rounds/feedback';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../http/testHarness';
import { Rounds } from '../store/rounds';
import { DEMO_PASSWORD, seedDemo } from './demo';
import { demoValidators } from './demoFeedback';

describe('the demo validation round\'s feedback', () => {
  let t: TestApp;
  let documentId: string;
  let roundId: string;
  let secretariat: string;

  beforeAll(async () => {
    t = await createTestApp();
    const result = await seedDemo(t.ctx);
    if (!result.seeded) throw new Error('expected a seed');
    documentId = result.documentId;
    roundId = (await new Rounds(t.ctx.store).list(documentId))[0]!.id;
    secretariat = await signIn(t.app, 'secretariat@demo.accord', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async <T>(cookie: string, path: string): Promise<T> => {
    const res = await t.app.request(path, { headers: { cookie } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };

  it('has four validators of four countries who sign in with accord-demo and see only their round', async () => {
    for (const v of demoValidators) {
      const cookie = await signIn(t.app, v.email, DEMO_PASSWORD);
      const detail = await get<{ role: string }>(cookie, `/api/documents/${documentId}`);
      expect(detail.role).toBe('validator');
      const { rounds } = await get<{ rounds: { id: string; open: boolean }[] }>(cookie, `/api/documents/${documentId}/rounds`);
      expect(rounds).toEqual([expect.objectContaining({ id: roundId, open: false })]);
      expect((await t.app.request(`/api/documents/${documentId}/threads`, { headers: { cookie } })).status).toBe(403);
    }
  });

  it('reports feedback on several clauses from every country, some of it carried to the live draft', async () => {
    const report = await get<FeedbackReport>(secretariat, `/api/documents/${documentId}/rounds/${roundId}/feedback`);
    expect(report.version.label).toBe('Zero draft');
    expect(report.byCountry.map((g) => g.country)).toEqual(['Kestrania', 'Marisca', 'Orlandia', 'Veloria']);
    expect(report.summary).toMatchObject({ validators: 4, validatorsWithFeedback: 4, countries: 4, carried: 3 });
    expect(report.summary.clauses).toBeGreaterThanOrEqual(4);
    expect(report.byClause[0]?.clauseId).toBeNull(); // the whole-text remark comes first
    expect(report.byClause.some((g) => g.threads.some((th) => th.status === 'resolved'))).toBe(true);
  });

  it('shows the carried threads in the live draft, linked to the validators who gave them', async () => {
    const { threads } = await get<{ threads: Thread[] }>(secretariat, `/api/documents/${documentId}/threads`);
    const carried = threads.filter((th) => th.carriedFrom);
    expect(carried.map((th) => [th.carriedFrom?.author.affiliation, th.anchor.kind])).toEqual([
      ['Kestrania', 'range'],
      ['Veloria', 'clause'],
      ['Kestrania', 'clause'],
    ]);
    expect(carried[0]?.carriedFrom).toMatchObject({ roundTitle: 'Regional validation — West', versionLabel: 'Zero draft', author: { name: 'Irena Valk' } });
    expect(carried[0]?.anchor).toMatchObject({ quote: 'reviewed annually', clauseNumber: '1.3' });
  });
});
