import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProseMirrorJson } from '../seed/content';
import { type CreatedDialogue, createDialogueWithMembers } from '../seed/fixtures';
import { auditLogFor } from '../store/auditLog';
import { testStoreKinds } from '../store/testStores';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const kinds = await testStoreKinds();

describe.each(kinds)('validation rounds API on %s', (kind) => {
  let t: TestApp;
  let fixture: CreatedDialogue;
  let documentId: string;
  const cookies: Record<string, string> = {};
  const versionIds: string[] = [];
  let roundId: string;
  let link: string;

  const request = (who: string | null, path: string, init: { method?: string; body?: unknown } = {}) =>
    t.app.request(path, {
      method: init.method ?? 'GET',
      headers: { ...(who ? { cookie: cookies[who] as string } : {}), 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const inOneWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
  const tokenOf = (l: string) => l.split('/invitations/')[1]!;

  beforeAll(async () => {
    t = await createTestApp({ kind });
    fixture = await createDialogueWithMembers(t.ctx, {
      members: [
        { key: 'sec', role: 'secretariat' },
        { key: 'chair', role: 'co_chair' },
        { key: 'drafter', role: 'drafter' },
        { key: 'existing', role: null, email: 'focal.point@marisca.example' },
      ],
      document: {
        title: 'Framework',
        content: doc(title('Framework'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, 'Text.'))).toJSON() as ProseMirrorJson,
      },
    });
    documentId = fixture.documentId as string;
    for (const [key, user] of Object.entries(fixture.users)) cookies[key] = await sessionCookie(t.ctx, user.id);
    for (const label of ['Zero draft', 'Rev.1']) {
      const res = await request('sec', `/api/documents/${documentId}/versions`, { method: 'POST', body: { label } });
      versionIds.push(((await res.json()) as { version: { id: string } }).version.id);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets the Secretariat open a round on a version with invitations, and nobody else', async () => {
    const body = { versionId: versionIds[1], title: 'Regional validation — West', closesAt: inOneWeek(), invite: ['New.Validator@Veloria.example', 'focal.point@marisca.example'] };
    expect((await request('chair', `/api/documents/${documentId}/rounds`, { method: 'POST', body })).status).toBe(403);
    expect((await request('drafter', `/api/documents/${documentId}/rounds`, { method: 'POST', body })).status).toBe(403);
    expect((await request('sec', `/api/documents/${documentId}/rounds`, { method: 'POST', body: { ...body, versionId: 'nope' } })).status).toBe(404);
    const past = await request('sec', `/api/documents/${documentId}/rounds`, { method: 'POST', body: { ...body, closesAt: '2000-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    const res = await request('sec', `/api/documents/${documentId}/rounds`, { method: 'POST', body });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { round: { id: string; open: boolean; versionLabel: string }; invitations: { email: string; link: string }[] };
    expect(created.round).toMatchObject({ open: true, versionLabel: 'Rev.1' });
    expect(created.invitations.map((i) => i.email)).toEqual(['new.validator@veloria.example', 'focal.point@marisca.example']);
    expect(created.invitations[0]!.link).toMatch(/^http:\/\/localhost\/invitations\/[A-Za-z0-9_-]{43}$/);
    roundId = created.round.id;
    link = created.invitations[0]!.link;
    const actions = (await auditLogFor(t.ctx.store).list({ documentId, limit: 5 })).map((e) => e.action);
    expect(actions).toContain('round.opened');
    expect(actions).toContain('round.invited');
  });

  it('describes an invitation to whoever holds its link, and refuses a forged one', async () => {
    const res = await request(null, `/api/invitations/${tokenOf(link)}`);
    expect(await res.json()).toMatchObject({
      email: 'new.validator@veloria.example',
      documentTitle: 'Framework',
      round: { title: 'Regional validation — West', open: true, versionLabel: 'Rev.1' },
      accountExists: false,
      accepted: false,
    });
    expect((await request(null, `/api/invitations/${'x'.repeat(43)}`)).status).toBe(404);
  });

  it('lets a new person set a password and join as a validator of that round only', async () => {
    const token = tokenOf(link);
    expect((await request(null, `/api/invitations/${token}/accept`, { method: 'POST', body: { name: 'Ines' } })).status).toBe(400);
    const res = await request(null, `/api/invitations/${token}/accept`, {
      method: 'POST',
      body: { name: 'Ines Varga', affiliation: 'Veloria', password: 'a long enough password' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ documentId, roundId, versionId: versionIds[1] });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^accord_session=/);
    cookies.validator = cookie;
    const detail = (await (await request('validator', `/api/documents/${documentId}`)).json()) as { role: string };
    expect(detail.role).toBe('validator');
  });

  it('shows a validator their round and its version, and answers 403 for the live draft, other versions and other rounds', async () => {
    expect((await request('validator', `/api/documents/${documentId}/versions/${versionIds[1]}`)).status).toBe(200);
    expect((await request('validator', `/api/documents/${documentId}/versions/${versionIds[1]}/export?format=md`)).status).toBe(200);
    expect((await request('validator', `/api/documents/${documentId}/versions/${versionIds[0]}`)).status).toBe(403);
    expect((await request('validator', `/api/documents/${documentId}/versions`)).status).toBe(403);
    expect((await request('validator', `/api/documents/${documentId}/compare?from=${versionIds[1]}&to=live`)).status).toBe(403);
    expect((await request('validator', `/api/documents/${documentId}/export?format=md`)).status).toBe(403);
    const other = await request('sec', `/api/documents/${documentId}/rounds`, {
      method: 'POST',
      body: { versionId: versionIds[0], title: 'Regional validation — East', closesAt: inOneWeek() },
    });
    const otherId = ((await other.json()) as { round: { id: string } }).round.id;
    expect((await request('validator', `/api/documents/${documentId}/rounds/${otherId}`)).status).toBe(403);
    expect((await request('validator', `/api/documents/${documentId}/rounds/${roundId}`)).status).toBe(200);
    const list = (await (await request('validator', `/api/documents/${documentId}/rounds`)).json()) as { rounds: { id: string }[] };
    expect(list.rounds.map((r) => r.id)).toEqual([roundId]);
    const all = (await (await request('drafter', `/api/documents/${documentId}/rounds`)).json()) as { rounds: unknown[] };
    expect(all.rounds).toHaveLength(2);
  });

  it('asks a person who already has an account to sign in before accepting', async () => {
    const res = await request('sec', `/api/documents/${documentId}/rounds/${roundId}/invitations`, {
      method: 'POST',
      body: { emails: ['focal.point@marisca.example'] },
    });
    const token = tokenOf(((await res.json()) as { invitations: { link: string }[] }).invitations[0]!.link);
    expect((await request(null, `/api/invitations/${token}`)).status).toBe(200);
    const refused = await request(null, `/api/invitations/${token}/accept`, { method: 'POST', body: {} });
    expect(refused.status).toBe(409);
    const accepted = await request('existing', `/api/invitations/${token}/accept`, { method: 'POST', body: {} });
    expect(accepted.status).toBe(200);
    expect((await request('existing', `/api/documents/${documentId}/versions/${versionIds[1]}`)).status).toBe(200);
  });

  it('closes a round by hand or by date; a closed round takes no new validators', async () => {
    expect((await request('chair', `/api/documents/${documentId}/rounds/${roundId}/close`, { method: 'POST' })).status).toBe(403);
    const invite = await request('sec', `/api/documents/${documentId}/rounds/${roundId}/invitations`, {
      method: 'POST',
      body: { emails: ['late@orlandia.example'] },
    });
    const lateToken = tokenOf(((await invite.json()) as { invitations: { link: string }[] }).invitations[0]!.link);
    const closed = await request('sec', `/api/documents/${documentId}/rounds/${roundId}/close`, { method: 'POST' });
    expect(((await closed.json()) as { round: { open: boolean } }).round.open).toBe(false);
    const late = await request(null, `/api/invitations/${lateToken}/accept`, { method: 'POST', body: { name: 'Late', password: 'another long password' } });
    expect(late.status).toBe(409);
    expect((await request('sec', `/api/documents/${documentId}/rounds/${roundId}/invitations`, { method: 'POST', body: { emails: ['x@y.example'] } })).status).toBe(409);
    // The validator still reads the round's version after it closed.
    expect((await request('validator', `/api/documents/${documentId}/versions/${versionIds[1]}`)).status).toBe(200);

    const dated = await request('sec', `/api/documents/${documentId}/rounds`, {
      method: 'POST',
      body: { versionId: versionIds[1], title: 'Dated', closesAt: inOneWeek() },
    });
    const datedId = ((await dated.json()) as { round: { id: string } }).round.id;
    await t.ctx.store.db.updateTable('validation_rounds').set({ closes_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', datedId).execute();
    const detail = (await (await request('sec', `/api/documents/${documentId}/rounds/${datedId}`)).json()) as { round: { open: boolean } };
    expect(detail.round.open).toBe(false);
  });
});
