import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CreatedDialogue, createDialogueWithMembers } from '../seed/fixtures';
import { auditLogFor } from '../store/auditLog';
import { Members } from '../store/members';
import { testStoreKinds } from '../store/testStores';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const kinds = await testStoreKinds();

describe.each(kinds)('/api/dialogues/:id/members on %s', (kind) => {
  let t: TestApp;
  let f: CreatedDialogue;
  const cookies: Record<string, string> = {};

  beforeEach(async () => {
    t = await createTestApp({ kind });
    f = await createDialogueWithMembers(t.ctx, {
      members: [
        { key: 'sec', role: 'secretariat' },
        { key: 'drafter', role: 'drafter' },
        { key: 'panel', role: 'panel' },
        { key: 'outsider', role: null },
      ],
      document: { title: 'Framework' },
    });
    for (const [key, user] of Object.entries(f.users)) cookies[key] = await sessionCookie(t.ctx, user.id);
  });
  afterEach(async () => {
    await t.close();
  });

  const id = (key: string) => f.users[key]?.id as string;
  const patch = (who: string, userKey: string, body: unknown) =>
    t.app.request(`/api/dialogues/${f.dialogue.id}/members/${id(userKey)}`, {
      method: 'PATCH',
      headers: { cookie: cookies[who] as string, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const remove = (who: string, userKey: string) =>
    t.app.request(`/api/dialogues/${f.dialogue.id}/members/${id(userKey)}`, {
      method: 'DELETE',
      headers: { cookie: cookies[who] as string },
    });

  it('lists members to any member and answers 404 to a non-member', async () => {
    const res = await t.app.request(`/api/dialogues/${f.dialogue.id}/members`, {
      headers: { cookie: cookies.panel as string },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { members: { userId: string; role: string }[] };
    expect(body.members).toHaveLength(3);
    const outsider = await t.app.request(`/api/dialogues/${f.dialogue.id}/members`, {
      headers: { cookie: cookies.outsider as string },
    });
    expect(outsider.status).toBe(404);
  });

  it('lets the Secretariat change a role: stored, audit-logged, and open connections told at once', async () => {
    const res = await patch('sec', 'panel', { role: 'observer' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ member: { userId: id('panel'), role: 'observer' } });
    expect(await new Members(t.ctx.store).roleOf(f.dialogue.id, id('panel'))).toBe('observer');
    expect(t.collab.accessChanges).toEqual([{ dialogueId: f.dialogue.id, userId: id('panel') }]);
    expect(t.collab.published.map((p) => p.event)).toEqual([
      {
        type: 'member.changed',
        documentId: f.documentId,
        dialogueId: f.dialogue.id,
        userId: id('panel'),
        role: 'observer',
      },
    ]);
    const [entry] = await auditLogFor(t.ctx.store).list({ dialogueId: f.dialogue.id, limit: 1 });
    expect(entry).toMatchObject({
      action: 'member.role_changed',
      actorId: id('sec'),
      detail: { userId: id('panel'), from: 'panel', to: 'observer' },
    });
  });

  it('refuses a role change by a drafter with 403 and changes nothing', async () => {
    const res = await patch('drafter', 'panel', { role: 'co_chair' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect(await new Members(t.ctx.store).roleOf(f.dialogue.id, id('panel'))).toBe('panel');
    expect(t.collab.accessChanges).toEqual([]);
  });

  it('refuses an unknown role with 400 naming the field', async () => {
    const res = await patch('sec', 'panel', { role: 'emperor' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/^Invalid body: role: /);
  });

  it('refuses to demote or remove the last Secretariat member with 409', async () => {
    expect((await patch('sec', 'sec', { role: 'drafter' })).status).toBe(409);
    const res = await remove('sec', 'sec');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('last_secretariat');
  });

  it('lets the Secretariat remove a member, whose access ends at once', async () => {
    const res = await remove('sec', 'drafter');
    expect(res.status).toBe(204);
    expect(t.collab.accessChanges).toEqual([{ dialogueId: f.dialogue.id, userId: id('drafter') }]);
    const docs = await t.app.request('/api/documents', { headers: { cookie: cookies.drafter as string } });
    expect(await docs.json()).toEqual([]);
    expect((await remove('sec', 'drafter')).status).toBe(404);
  });

  it('lets the Secretariat add an existing account by email, once', async () => {
    const add = (who: string) =>
      t.app.request(`/api/dialogues/${f.dialogue.id}/members`, {
        method: 'POST',
        headers: { cookie: cookies[who] as string, 'content-type': 'application/json' },
        body: JSON.stringify({ email: f.users.outsider?.email.toUpperCase(), role: 'panel' }),
      });
    const refused = await add('drafter');
    expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(refused.status).toBe(403);
    const res = await add('sec');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ member: { userId: id('outsider'), role: 'panel' } });
    expect(t.collab.accessChanges).toEqual([{ dialogueId: f.dialogue.id, userId: id('outsider') }]);
    expect((await add('sec')).status).toBe(409);
  });

  it('answers 404 when a non-member tries to manage members', async () => {
    expect((await remove('outsider', 'drafter')).status).toBe(404);
  });
});
