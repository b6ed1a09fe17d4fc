import { clauseStatuses, canSetStatus, type ClauseStatus, roles, type Role } from '@shared/permissions';
import { bracket, clause, doc, heading, ins, objective, title } from '@tests/helpers/builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedDialogue, createDialogueWithMembers, type FixtureMember } from '../seed/fixtures';
import { auditLogFor } from '../store/auditLog';
import { testStoreKinds } from '../store/testStores';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const kinds = await testStoreKinds();

const transitions = clauseStatuses.flatMap((from) =>
  clauseStatuses.filter((to) => to !== from).map((to) => ({ from, to })),
);

/**
 * The answer each role gets when moving a clause from `from` to `to` (PRODUCT.md §1; the rule itself
 * is pinned row by row in shared/permissions/can.test.ts). A drafter only proposes agreed and
 * withdrawn, and only proposes leaving them.
 */
function expectedStatus(role: Role, from: ClauseStatus, to: ClauseStatus): number {
  if (role === 'validator') return 404; // validators never see the live draft
  const may = canSetStatus(role, to, from);
  return may === 'yes' ? 200 : may === 'propose' ? 202 : 403;
}

describe.each(kinds)('clause negotiation API on %s', (kind) => {
  let t: TestApp;
  let fixture: CreatedDialogue;
  let documentId: string;
  const cookies: Record<string, string> = {};
  const clauseIds = Array.from({ length: roles.length * transitions.length + 10 }, (_, i) => `c-m${i}`);

  beforeAll(async () => {
    t = await createTestApp({ kind });
    fixture = await createDialogueWithMembers(t.ctx, {
      members: [...roles.map((role): FixtureMember => ({ key: role, role })), { key: 'outsider', role: null }],
      document: { title: 'Matrix framework' },
    });
    documentId = fixture.documentId!;
    for (const [key, user] of Object.entries(fixture.users)) cookies[key] = await sessionCookie(t.ctx, user.id);
    t.collab.texts.set(
      documentId,
      doc(
        title('T'),
        objective(
          { id: 'o1' },
          heading('H'),
          ...clauseIds.map((id) => clause({ id }, `Clause ${id}.`)),
          clause({ id: 'c-bracketed' }, 'Text ', bracket('contested', { group: 'g1', alt: 1 }), ' ', bracket('disputed', { group: 'g1', alt: 2 })),
          clause(
            { id: 'c-changes' },
            'Budgets ',
            ins({ id: 'x1', authorId: fixture.users.drafter!.id, authorName: 'Drafter', at: '2030-01-01T00:00:00Z' }, 'open'),
          ),
        ),
      ),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: string, path: string, who: string, body?: unknown) =>
    t.app.request(`/api/documents/${documentId}${path}`, {
      method,
      headers: { cookie: cookies[who] as string, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const statusOf = async (clauseId: string) => {
    const res = await call('GET', '/clauses/status', 'co_chair');
    const list = (await res.json()) as { clauses: { clauseId: string; status: string; proposal: unknown }[] };
    return list.clauses.find((c) => c.clauseId === clauseId) ?? { status: 'draft', proposal: null };
  };

  let next = 0;
  it.each(roles.flatMap((role) => transitions.map((tr) => ({ role, ...tr }))))(
    '$role moving a clause from $from to $to answers as PRODUCT.md §1 says',
    async ({ role, from, to }) => {
      const clauseId = clauseIds[next++]!;
      if (from !== 'draft') expect((await call('PUT', `/clauses/${clauseId}/status`, 'secretariat', { status: from })).status).toBe(200);
      const res = await call('PUT', `/clauses/${clauseId}/status`, role, { status: to, note: 'matrix' });
      const expected = expectedStatus(role, from, to);
      expect(res.status).toBe(expected);
      const after = await statusOf(clauseId);
      if (expected === 200) expect(after.status).toBe(to);
      else expect(after.status).toBe(from);
      if (expected === 202) expect(after.proposal).toMatchObject({ to, byId: fixture.users[role]!.id, note: 'matrix' });
    },
  );

  it('keeps an agreed clause agreed when a drafter sets it back to draft, recording a proposal a Co-Chair confirms', async () => {
    const clauseId = clauseIds.at(-3)!;
    expect((await call('PUT', `/clauses/${clauseId}/status`, 'co_chair', { status: 'agreed' })).status).toBe(200);
    const res = await call('PUT', `/clauses/${clauseId}/status`, 'drafter', { status: 'draft', note: 'reopen it' });
    expect(res.status).toBe(202);
    // Still agreed, so still locked for drafters, until a Co-Chair decides.
    expect(await statusOf(clauseId)).toMatchObject({ status: 'agreed', proposal: { to: 'draft', byId: fixture.users.drafter!.id } });
    expect((await call('POST', `/clauses/${clauseId}/proposal/confirm`, 'drafter', {})).status).toBe(403);
    expect((await call('POST', `/clauses/${clauseId}/proposal/confirm`, 'co_chair', {})).status).toBe(200);
    expect(await statusOf(clauseId)).toMatchObject({ status: 'draft', proposal: null });
  });

  it('refuses a status change from someone who is not a member, and for a clause not in the text', async () => {
    expect((await call('PUT', '/clauses/c-m0/status', 'outsider', { status: 'agreed' })).status).toBe(404);
    const res = await call('PUT', '/clauses/c-nowhere/status', 'co_chair', { status: 'agreed' });
    expect(res.status).toBe(404);
    expect((await call('PUT', '/clauses/c-m0/status', 'co_chair', { status: 'final' })).status).toBe(400);
  });

  it('refuses "agreed" while the clause has open brackets, for a proposal and a confirmation too', async () => {
    const res = await call('PUT', '/clauses/c-bracketed/status', 'co_chair', { status: 'agreed' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'open_brackets' } });
    expect((await call('PUT', '/clauses/c-bracketed/status', 'drafter', { status: 'agreed' })).status).toBe(409);
    expect((await statusOf('c-bracketed')).status).toBe('draft');
  });

  it('lets a Co-Chair confirm a drafter\'s proposal and keeps the whole history', async () => {
    const clauseId = clauseIds.at(-1)!;
    expect((await call('PUT', `/clauses/${clauseId}/status`, 'drafter', { status: 'agreed', note: 'no objection' })).status).toBe(202);
    expect((await call('POST', `/clauses/${clauseId}/proposal/confirm`, 'drafter', {})).status).toBe(403);
    const confirmed = await call('POST', `/clauses/${clauseId}/proposal/confirm`, 'co_chair', { note: 'confirmed in plenary' });
    expect(confirmed.status).toBe(200);
    expect(await statusOf(clauseId)).toMatchObject({ status: 'agreed', proposal: null });
    const history = (await (await call('GET', `/clauses/${clauseId}/history`, 'observer')).json()) as {
      history: { kind: string; from: string; to: string; actorId: string; note: string | null }[];
    };
    expect(history.history.map((h) => [h.kind, h.from, h.to, h.actorId, h.note])).toEqual([
      ['confirmed', 'draft', 'agreed', fixture.users.co_chair!.id, 'confirmed in plenary'],
      ['proposed', 'draft', 'agreed', fixture.users.drafter!.id, 'no objection'],
    ]);
    expect(t.collab.published.some((p) => p.event.type === 'clause.status')).toBe(true);
    expect(t.collab.policyChanges).toContain(documentId);
  });

  it('lets a Co-Chair decline a proposal, which keeps the status', async () => {
    const clauseId = clauseIds.at(-2)!;
    await call('PUT', `/clauses/${clauseId}/status`, 'drafter', { status: 'withdrawn' });
    expect((await call('POST', `/clauses/${clauseId}/proposal/decline`, 'secretariat', { note: 'still needed' })).status).toBe(200);
    expect(await statusOf(clauseId)).toMatchObject({ status: 'draft', proposal: null });
    expect((await call('POST', `/clauses/${clauseId}/proposal/decline`, 'secretariat', {})).status).toBe(409);
  });

  it('records accept/reject decisions of Co-Chairs only, for changes the server finds in its text', async () => {
    expect((await call('POST', '/changes/decisions', 'drafter', { decision: 'accept', changeIds: ['x1'] })).status).toBe(403);
    expect((await call('POST', '/changes/decisions', 'co_chair', { decision: 'accept', changeIds: ['nope'] })).status).toBe(409);
    const res = await call('POST', '/changes/decisions', 'co_chair', { decision: 'reject', changeIds: ['x1', 'nope'], scope: 'clause' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      recorded: [
        { changeId: 'x1', kind: 'insertion', authorId: fixture.users.drafter!.id, authorName: 'Drafter', clauseIds: ['c-changes'], inserted: 'open', deleted: '' },
      ],
      missing: ['nope'],
    });
    const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
    expect(entry).toMatchObject({ action: 'change.rejected', actorId: fixture.users.co_chair!.id, detail: { scope: 'clause' } });
  });

  it('records bracket resolutions of Co-Chairs only, while the bracket is open', async () => {
    const body = { clauseId: 'c-bracketed', group: 'g1', chosen: { alt: 2, text: 'disputed' }, removed: [{ alt: 1, text: 'contested' }] };
    expect((await call('POST', '/brackets/resolutions', 'drafter', body)).status).toBe(403);
    expect((await call('POST', '/brackets/resolutions', 'co_chair', body)).status).toBe(200);
    expect((await call('POST', '/brackets/resolutions', 'co_chair', { ...body, group: 'g-gone' })).status).toBe(409);
    const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
    expect(entry).toMatchObject({ action: 'bracket.resolved', detail: body });
  });

  it('lets only the Secretariat set the "drafters must suggest" policy, and announces it', async () => {
    expect((await call('PATCH', '/settings', 'co_chair', { requireSuggestingForDrafters: true })).status).toBe(403);
    expect((await call('PATCH', '/settings', 'secretariat', {})).status).toBe(400);
    const res = await call('PATCH', '/settings', 'secretariat', { requireSuggestingForDrafters: true });
    expect(await res.json()).toEqual({ settings: { requireSuggestingForDrafters: true, lockAgreedClauses: true, bisNumbering: false } });
    const meta = (await (await call('GET', '', 'drafter')).json()) as { settings: unknown };
    expect(meta.settings).toEqual({ requireSuggestingForDrafters: true, lockAgreedClauses: true, bisNumbering: false });
    expect(t.collab.published.at(-1)?.event).toMatchObject({ type: 'document.settings' });
  });
});
