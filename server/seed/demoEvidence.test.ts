import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import type { ServerContext } from '../context';
import { createLogger } from '../logger';
import { EvidenceLinks } from '../store/evidenceLinks';
import { openTestStore, testStoreKinds } from '../store/testStores';
import { seedDemo } from './demo';
import { demoClauseIds } from './demoContent';
import { demoReports } from './demoEvidence';

const kinds = await testStoreKinds();

describe.each(kinds)('the demo evidence on %s', (kind) => {
  let ctx: ServerContext;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const opened = await openTestStore(kind);
    cleanup = opened.cleanup;
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    ctx = { config, logger: createLogger(config), store: opened.store };
  });
  afterEach(async () => {
    await cleanup();
  });

  it('holds several reports from different countries and kinds, written as paragraphs', async () => {
    await seedDemo(ctx);
    const rows = await ctx.store.db.selectFrom('evidence_reports').select(['country', 'kind', 'body']).execute();
    expect(rows).toHaveLength(demoReports.length);
    expect(new Set(rows.map((r) => r.country)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(rows.map((r) => r.kind))).toEqual(
      new Set(['national_consultation', 'regional_validation', 'thematic_meeting', 'expert_input']),
    );
    for (const row of rows) expect(row.body.split('\n\n').length).toBeGreaterThanOrEqual(3);
  });

  it('stores every excerpt at the offsets of its quote, and links clauses with both relations', async () => {
    const result = await seedDemo(ctx);
    if (!result.seeded) throw new Error('expected a seed');
    const excerpts = await ctx.store.db
      .selectFrom('evidence_excerpts')
      .innerJoin('evidence_reports', 'evidence_reports.id', 'evidence_excerpts.report_id')
      .select(['evidence_excerpts.quote', 'evidence_excerpts.start_offset', 'evidence_excerpts.end_offset', 'evidence_reports.body'])
      .execute();
    for (const e of excerpts) expect(e.body.slice(Number(e.start_offset), Number(e.end_offset))).toBe(e.quote);
    const links = await new EvidenceLinks(ctx.store).list(result.documentId);
    expect(new Set(links.map((l) => l.relation))).toEqual(new Set(['supports', 'challenges']));
    const linked = new Set(links.map((l) => l.clauseId));
    const unlinked = Object.entries(demoClauseIds).filter(([, id]) => !linked.has(id)).map(([n]) => n);
    expect(unlinked).toEqual(['2.4', '4.4', '5.2', '5.3']);
    expect(links.every((l) => l.createdBy?.id === result.userIds.drafter)).toBe(true);
  });
});
