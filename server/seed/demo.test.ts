import { listBrackets } from '@shared/brackets';
import { listChanges } from '@shared/changes';
import { clauseStatuses } from '@shared/permissions';
import { BODY_FRAGMENT, schema } from '@shared/schema';
import type { Node } from 'prosemirror-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as Y from 'yjs';
import { loadConfig } from '../config';
import type { ServerContext } from '../context';
import { type AppType, createHttpApp } from '../http/app';
import { RecordingCollab, signIn } from '../http/testHarness';
import { createLogger } from '../logger';
import { auditLogFor } from '../store/auditLog';
import { openTestStore, testStoreKinds } from '../store/testStores';
import { DEMO_PASSWORD, demoAccounts, seedDemo } from './demo';
import { demoClauseIds } from './demoContent';
import { demoValidators } from './demoFeedback';

const kinds = await testStoreKinds();

function storedDocument(data: Uint8Array): Node {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, data);
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(BODY_FRAGMENT), schema);
}

describe.each(kinds)('the demo seed on %s', (kind) => {
  let ctx: ServerContext;
  let cleanup: () => Promise<void>;
  let app: AppType;

  beforeEach(async () => {
    const opened = await openTestStore(kind);
    cleanup = opened.cleanup;
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    ctx = { config, logger: createLogger(config), store: opened.store };
    app = createHttpApp({ ctx, collab: new RecordingCollab(opened.store) });
  });
  afterEach(async () => {
    await cleanup();
  });

  it('seeds an empty database once, and leaves it alone afterwards', async () => {
    const first = await seedDemo(ctx);
    expect(first.seeded).toBe(true);
    expect(await seedDemo(ctx)).toEqual({ seeded: false });
    const users = await ctx.store.db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email).sort()).toEqual([...demoAccounts, ...demoValidators].map((a) => a.email).sort());
    expect(await ctx.store.db.selectFrom('doc_states').select('document_id').execute()).toHaveLength(1);
    // The seed itself, and the three feedback threads of the validation round carried to the live draft.
    expect(await auditLogFor(ctx.store).verifyChain()).toMatchObject({ ok: true, count: 4 });
  });

  it('stores a structured framework with clause ids, brackets with alternatives and a tracked change', async () => {
    const result = await seedDemo(ctx);
    if (!result.seeded) throw new Error('expected a seed');
    const row = await ctx.store.db
      .selectFrom('doc_states')
      .selectAll()
      .where('document_id', '=', result.documentId)
      .executeTakeFirstOrThrow();
    expect(Number(row.last_update_id)).toBe(0);
    const doc = storedDocument(new Uint8Array(row.data));
    doc.check();
    expect(doc.firstChild?.textContent).toBe('International Objectives Framework — working draft');
    expect(doc.child(1).type.name).toBe('preamble');
    expect(doc.child(1).childCount).toBeGreaterThanOrEqual(2);
    const objectives: Node[] = [];
    const clauseIds: string[] = [];
    const alts = new Map<string, Set<number>>();
    const changes = new Set<string>();
    doc.descendants((node) => {
      if (node.type.name === 'objective') objectives.push(node);
      if (node.type.name === 'clause') clauseIds.push(node.attrs.id as string);
      for (const mark of node.marks) {
        if (mark.type.name === 'bracket' && mark.attrs.alt !== null) {
          const group = mark.attrs.group as string;
          alts.set(group, (alts.get(group) ?? new Set()).add(mark.attrs.alt as number));
        }
        if (mark.type.name === 'insertion' || mark.type.name === 'deletion') changes.add(mark.type.name);
      }
    });
    expect(objectives.length).toBeGreaterThanOrEqual(4);
    for (const o of objectives) {
      expect(o.attrs.id).toMatch(/^o-/);
      expect(o.child(0).type.name).toBe('objective_heading');
      expect(o.child(1).type.name).toBe('rationale');
      expect(o.childCount - 2).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(clauseIds).size).toBe(clauseIds.length);
    expect(clauseIds.every((id) => id.startsWith('c-'))).toBe(true);
    expect(clauseIds).toEqual(Object.values(demoClauseIds));
    expect([...alts.values()].filter((set) => set.has(1) && set.has(2)).length).toBeGreaterThanOrEqual(3);
    expect(changes).toEqual(new Set(['insertion', 'deletion']));
  });

  it('lets every demo account sign in with accord-demo and see the document with its role', async () => {
    await seedDemo(ctx);
    for (const account of demoAccounts) {
      const cookie = await signIn(app, account.email, DEMO_PASSWORD);
      const list = (await (await app.request('/api/documents', { headers: { cookie } })).json()) as {
        role: string;
      }[];
      expect(list.map((d) => d.role)).toEqual([account.role]);
    }
  });

  it('shows pending suggestions from several members, clauses in every status and brackets with alternatives', async () => {
    // Issue 4, "done when": what a Co-Chair finds on opening the demo.
    const result = await seedDemo(ctx);
    if (!result.seeded) throw new Error('expected a seed');
    const cookie = await signIn(app, 'cochair@demo.accord', DEMO_PASSWORD);
    const { clauses } = (await (await app.request(`/api/documents/${result.documentId}/clauses/status`, { headers: { cookie } })).json()) as {
      clauses: { clauseId: string; status: string; proposal: unknown }[];
    };
    const all = Object.values(demoClauseIds).map((id) => clauses.find((c) => c.clauseId === id)?.status ?? 'draft');
    expect(new Set(all)).toEqual(new Set(clauseStatuses));
    expect(clauses.some((c) => c.proposal !== null)).toBe(true);

    const row = await ctx.store.db.selectFrom('doc_states').selectAll().where('document_id', '=', result.documentId).executeTakeFirstOrThrow();
    const text = storedDocument(new Uint8Array(row.data));
    const authors = new Set(listChanges(text).map((c) => c.authorId));
    expect(authors.size).toBeGreaterThanOrEqual(3);
    expect(authors.has(null)).toBe(false);
    const withAlternatives = listBrackets(text).filter((b) => b.alternatives.length >= 2);
    expect(withAlternatives.length).toBeGreaterThanOrEqual(2);
  });
});
