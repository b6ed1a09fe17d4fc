/**
 * Evidence links against a real server and real Yjs clients: links are keyed by clause id, so they
 * follow a clause moved to another objective and renumbered; coverage and the record of consultation
 * read the live text, both while the document is loaded and from storage after a restart.
 */
import { evidenceLinkListSchema } from '@shared/api/evidence';
import { coverageSchema } from '@shared/evidence/coverage';
import { consultationRecordSchema } from '@shared/evidence/record';
import { BODY_FRAGMENT } from '@shared/schema';
import { clauses, syncedClient } from '@tests/helpers/collabClient';
import { getJson } from '@tests/helpers/http';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { demoClauseIds } from '../../server/seed/demoContent';
import { type DemoServer, startDemoServer } from './demoServer';

describe('evidence links on a live document', () => {
  let demo: DemoServer;

  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(async () => {
    await stopAllTestServers();
  });

  const coverage = async () =>
    coverageSchema.parse(await getJson(demo.server.url, `/api/documents/${demo.documentId}/evidence/coverage`, await demo.cookie('observer')));
  const record = async () =>
    consultationRecordSchema.parse(await getJson(demo.server.url, `/api/documents/${demo.documentId}/evidence/record`, await demo.cookie('panel')));
  const clauseRow = (c: Awaited<ReturnType<typeof coverage>>, id: string) =>
    c.objectives.flatMap((o) => o.clauses.map((row) => ({ ...row, objective: o.number }))).find((row) => row.id === id);

  it('shows on the seeded demo which clauses rest on no consultation and which report no clause cites', async () => {
    const c = await coverage();
    expect(c.uncoveredClauses.map((u) => u.number)).toEqual(['2.4', '4.4', '5.2', '5.3']);
    expect(c.uncitedReports.map((r) => r.country)).toEqual(['Lake Sorrel region']);
    expect(c.countries).toEqual(['Kestrania', 'Lake Sorrel region', 'Marisca', 'Orlandia', 'Tavaro', 'Veloria']);
    const c11 = clauseRow(c, demoClauseIds['1.1']!);
    // 1.1: Veloria supports twice, Kestrania challenges once.
    expect(c11?.cells[c.countries.indexOf('Veloria')]).toMatchObject({ supports: 2, challenges: 0 });
    expect(c11?.cells[c.countries.indexOf('Kestrania')]).toMatchObject({ supports: 0, challenges: 1 });
    expect(c.totals).toMatchObject({ clauses: 20, coveredClauses: 16, reports: 6, citedReports: 5 });
  });

  it('keeps a clause’s links when it moves to another objective and everything is renumbered', async () => {
    const moved = demoClauseIds['1.2']!;
    const follower = demoClauseIds['1.3']!;
    const linksOf = async (clauseId: string) =>
      evidenceLinkListSchema.parse(
        await getJson(demo.server.url, `/api/documents/${demo.documentId}/evidence/links?clauseId=${clauseId}`, await demo.cookie('drafter')),
      ).links;
    const before = await linksOf(moved);
    expect(before.map((l) => l.report.country).sort()).toEqual(['Kestrania', 'Veloria']);
    const followerBefore = await linksOf(follower);

    // A drafter cuts clause 1.2 and pastes it as the first clause of objective 5, as the editor does.
    const drafter = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie('drafter') });
    const element = clauses(drafter.doc).find((c) => c.getAttribute('id') === moved);
    if (!element) throw new Error('clause 1.2 not found');
    const objectives = drafter.doc
      .getXmlFragment(BODY_FRAGMENT)
      .toArray()
      .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'objective');
    drafter.doc.transact(() => {
      const copy = element.clone();
      const parent = element.parent as Y.XmlElement;
      parent.delete(parent.toArray().indexOf(element), 1);
      objectives[4]!.insert(2, [copy]);
    });
    await drafter.whenSaved();

    // While the document is loaded: the live text decides numbers.
    const live = await coverage();
    expect(clauseRow(live, moved)).toMatchObject({ number: '5.1', objective: '5', covered: true, supports: 2 });
    expect(clauseRow(live, follower)).toMatchObject({ number: '1.2', objective: '1' });
    expect(clauseRow(live, follower)?.supports).toBe(followerBefore.filter((l) => l.relation === 'supports').length);
    expect(live.objectives[0]?.clauses.map((c) => c.number)).toEqual(['1.1', '1.2', '1.3']);
    expect((await linksOf(moved)).map((l) => l.id).sort()).toEqual(before.map((l) => l.id).sort());
    const rec = await record();
    const inFive = rec.objectives[4]?.clauses[0];
    expect(inFive).toMatchObject({ id: moved, number: '5.1' });
    expect(inFive?.informedBy.map((s) => s.country)).toEqual(['Kestrania', 'Veloria']);

    // A new link made after the move lands on the same clause, wherever it now is.
    const excerpt = before[0]!.excerpt.id;
    const res = await fetch(`${demo.server.url}/api/documents/${demo.documentId}/evidence/links`, {
      method: 'POST',
      headers: { cookie: await demo.cookie('drafter'), 'content-type': 'application/json', origin: demo.server.url },
      body: JSON.stringify({ clauseId: follower, excerptId: excerpt, relation: 'challenges', note: 'After the move.' }),
    });
    expect(res.status).toBe(201);
    await drafter.destroy();

    // After a restart the text comes from storage, with the same result.
    demo.use(await demo.server.restart());
    const stored = await coverage();
    expect(clauseRow(stored, moved)).toMatchObject({ number: '5.1', objective: '5', supports: 2 });
    expect(clauseRow(stored, follower)?.challenges).toBe(followerBefore.filter((l) => l.relation === 'challenges').length + 1);
  });

  it('lists a link whose clause was deleted as detached, and counts it again once the clause is back', async () => {
    const target = demoClauseIds['4.1']!;
    const drafter = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie('drafter') });
    const element = clauses(drafter.doc).find((c) => c.getAttribute('id') === target);
    if (!element) throw new Error('clause 4.1 not found');
    const parent = element.parent as Y.XmlElement;
    const index = parent.toArray().indexOf(element);
    const copy = element.clone();
    drafter.doc.transact(() => parent.delete(index, 1));
    await drafter.whenSaved();
    const without = await coverage();
    expect(without.detachedLinks.map((d) => d.clauseId)).toEqual([target]);
    expect(without.uncitedReports.map((r) => r.country)).not.toContain('Marisca');

    drafter.doc.transact(() => parent.insert(index, [copy]));
    await drafter.whenSaved();
    const back = await coverage();
    expect(back.detachedLinks).toEqual([]);
    expect(clauseRow(back, target)).toMatchObject({ number: '4.1', covered: true });
    await drafter.destroy();
  });
});
