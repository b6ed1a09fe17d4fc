import { anchorContextOf, findClause, resolveAnchor } from '@shared/comments/anchor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadConfig } from '../config';
import type { ServerContext } from '../context';
import { createLogger } from '../logger';
import { DocUpdates } from '../store/docUpdates';
import { Inbox } from '../store/inbox';
import { openTestStore } from '../store/testStores';
import { Threads } from '../store/threads';
import { seedDemo } from './demo';
import { demoClauseIds } from './demoContent';

describe('the demo threads', () => {
  let ctx: ServerContext;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const opened = await openTestStore('sqlite');
    cleanup = opened.cleanup;
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    ctx = { config, logger: createLogger(config), store: opened.store };
  });
  afterEach(async () => {
    await cleanup();
  });

  it('seeds threads in every state, one of them on text that was deleted since', async () => {
    const result = await seedDemo(ctx);
    if (!result.seeded) throw new Error('expected a seed');
    const threads = await new Threads(ctx.store).listForDocument(result.documentId);
    const stored = await new DocUpdates(ctx.store).load(result.documentId);
    const ydoc = new Y.Doc();
    for (const update of [stored.state, ...stored.updates]) if (update) Y.applyUpdate(ydoc, update);
    const anchors = anchorContextOf(ydoc);

    expect(threads.some((t) => t.status === 'open')).toBe(true);
    expect(threads.some((t) => t.status === 'resolved' && t.resolvedBy?.role === 'co_chair')).toBe(true);
    expect(threads.some((t) => t.comments.length > 1)).toBe(true);
    expect(threads.some((t) => t.comments.some((c) => c.mentions.length > 0))).toBe(true);
    expect(threads.some((t) => t.comments.some((c) => c.proposedWording !== null))).toBe(true);
    expect(threads.filter((t) => t.visibility === 'internal')).toHaveLength(1);
    expect(new Set(threads.map((t) => t.anchor.kind))).toEqual(new Set(['range', 'clause', 'document']));

    const resolved = threads.map((t) => resolveAnchor(t.anchor, anchors));
    expect(resolved.filter((r) => r.status === 'orphaned')).toEqual([
      { status: 'orphaned', quote: 'how civil society was consulted' },
    ]);
    // Every other range still sits on the words it quotes.
    threads.forEach((t, i) => {
      const r = resolved[i];
      if (t.anchor.kind === 'range' && r?.status === 'anchored') expect(r.text).toBe(t.anchor.quote);
    });
    // The added-then-deleted sentence leaves the demo text as it was.
    const initial = new Y.Doc();
    if (stored.state) Y.applyUpdate(initial, stored.state);
    const clause51 = (doc: typeof anchors.doc) => findClause(doc, demoClauseIds['5.1'] as string)?.node.textContent;
    expect(clause51(anchors.doc)).toBe(clause51(anchorContextOf(initial).doc));
    expect(stored.updates).toHaveLength(2);

    const unread = async (role: string, includeInternal: boolean) =>
      new Inbox(ctx.store).unreadCount({ userId: result.userIds[role] as string, dialogueId: result.dialogueId, includeInternal });
    expect(await unread('panel', false)).toBe(2);
    expect(await unread('co_chair', true)).toBe(2);
    expect(await unread('drafter', false)).toBe(0);
  });
});
