import { compareDocuments } from '@shared/diff';
import { decodeDocState } from '@shared/collab/ydoc';
import { sha256Hex } from '@shared/versions/content';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import type { ServerContext } from '../context';
import { parseVersion } from '../domain/versions/readVersion';
import { createLogger } from '../logger';
import { DocUpdates } from '../store/docUpdates';
import { openTestStore } from '../store/testStores';
import { Rounds } from '../store/rounds';
import { Versions } from '../store/versions';
import { seedDemo } from './demo';
import { demoClauseIds } from './demoContent';

describe('the demo versions', () => {
  let ctx: ServerContext;
  let cleanup: () => Promise<void>;
  let documentId: string;

  beforeAll(async () => {
    const opened = await openTestStore('sqlite');
    cleanup = opened.cleanup;
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    ctx = { config, logger: createLogger(config), store: opened.store };
    const result = await seedDemo(ctx);
    if (!result.seeded) throw new Error('expected a seed');
    documentId = result.documentId;
  });
  afterAll(async () => {
    await cleanup();
  });

  const parsed = async () => {
    const versions = new Versions(ctx.store);
    const list = await versions.list(documentId);
    return Promise.all(list.map(async (v) => parseVersion((await versions.getWithContent(documentId, v.id))!)));
  };

  it('has a frozen "Zero draft" and "Rev.1", each hashed over its content', async () => {
    const [zero, rev1, ...rest] = await parsed();
    expect([zero?.record.label, rev1?.record.label, rest.length]).toEqual(['Zero draft', 'Rev.1', 0]);
    for (const v of [zero!, rev1!]) {
      expect(await sha256Hex(v.record.content)).toBe(v.record.hash);
      expect(v.content.yjsStateSha256).toBe(await sha256Hex(v.record.yjsState));
      expect(decodeDocState(v.record.yjsState).eq(v.doc)).toBe(true);
    }
    expect(zero!.record.frozenAt < rev1!.record.frozenAt).toBe(true);
  });

  it('shows real differences from the Zero draft to Rev.1: added, removed, moved, changed and renumbered clauses', async () => {
    const [zero, rev1] = await parsed();
    const result = compareDocuments({ doc: zero!.doc, baseline: zero!.content.numbering }, { doc: rev1!.doc, baseline: rev1!.content.numbering });
    const changes = Object.fromEntries(result.clauses.filter((c) => c.changes.length > 0).map((c) => [c.id, c.changes]));
    expect(changes[demoClauseIds['1.2']!]).toEqual(['added']);
    expect(changes['c-demo-zero-truth']).toEqual(['removed']);
    expect(changes[demoClauseIds['2.4']!]).toEqual(['moved']);
    expect(changes[demoClauseIds['3.4']!]).toEqual(['changed']);
    expect(changes[demoClauseIds['1.3']!]).toEqual(['renumbered', 'changed']);
    expect(changes[demoClauseIds['1.4']!]).toEqual(['renumbered']);
    expect(result.title).not.toBeNull();
  });

  it('shows what changed since Rev.1 in the live draft', async () => {
    const [, rev1] = await parsed();
    const stored = await new DocUpdates(ctx.store).load(documentId);
    const live = decodeDocState(stored.state!);
    const result = compareDocuments({ doc: rev1!.doc }, { doc: live });
    expect(result.summary).toBe('2 clauses changed, 1 added.');
  });

  it('has a closed validation round on the Zero draft', async () => {
    const [zero] = await parsed();
    const rounds = await new Rounds(ctx.store).list(documentId);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]).toMatchObject({ title: 'Regional validation — West', versionId: zero!.record.id, open: false });
    expect(rounds[0]!.closedAt).not.toBeNull();
  });
});
