import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedDialogue, createDialogueWithMembers } from '../seed/fixtures';
import { auditLogFor } from '../store/auditLog';
import { testStoreKinds } from '../store/testStores';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const kinds = await testStoreKinds();

describe.each(kinds)('/api/documents on %s', (kind) => {
  let t: TestApp;
  let fixture: CreatedDialogue;
  let foreign: CreatedDialogue;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ kind });
    fixture = await createDialogueWithMembers(t.ctx, {
      dialogueName: 'Dialogue on Coastal Futures',
      members: [
        { key: 'sec', role: 'secretariat' },
        { key: 'chair', role: 'co_chair' },
        { key: 'drafter', role: 'drafter' },
        { key: 'observer', role: 'observer', affiliation: 'Marisca' },
        { key: 'outsider', role: null },
      ],
      document: { title: 'Coastal framework', settings: { requireSuggestingForDrafters: true } },
    });
    foreign = await createDialogueWithMembers(t.ctx, {
      members: [{ key: 'stranger', role: 'secretariat' }],
      document: { title: 'Not yours' },
    });
    for (const [key, user] of Object.entries(fixture.users))
      cookies[key] = await sessionCookie(t.ctx, user.id);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (path: string, who: string) =>
    t.app.request(path, { headers: { cookie: cookies[who] as string } });

  it('lists the document for an observer of its dialogue, with their role', async () => {
    const res = await get('/api/documents', 'observer');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      {
        id: fixture.documentId,
        title: 'Coastal framework',
        dialogueId: fixture.dialogue.id,
        dialogueName: 'Dialogue on Coastal Futures',
        role: 'observer',
        updatedAt: expect.any(String),
      },
    ]);
  });

  it('lists nothing for a user who is not a member of any dialogue', async () => {
    expect(await (await get('/api/documents', 'outsider')).json()).toEqual([]);
  });

  it('answers 401 without a session', async () => {
    expect((await t.app.request('/api/documents')).status).toBe(401);
  });

  it('answers one document with settings and members', async () => {
    const res = await get(`/api/documents/${fixture.documentId}`, 'drafter');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & {
      members: { userId: string; role: string }[];
    };
    expect(body).toMatchObject({
      id: fixture.documentId,
      title: 'Coastal framework',
      dialogueId: fixture.dialogue.id,
      role: 'drafter',
      settings: { requireSuggestingForDrafters: true, lockAgreedClauses: true },
    });
    expect(body.members.map((m) => m.role).sort()).toEqual([
      'co_chair',
      'drafter',
      'observer',
      'secretariat',
    ]);
    expect(body.members.find((m) => m.userId === fixture.users.observer?.id)).toMatchObject({
      affiliation: 'Marisca',
    });
  });

  it('answers 404 to a non-member, exactly as for a document that does not exist', async () => {
    const foreignRes = await get(`/api/documents/${foreign.documentId}`, 'sec');
    const missingRes = await get('/api/documents/doesNotExist123', 'sec');
    expect(foreignRes.status).toBe(404);
    expect(missingRes.status).toBe(404);
    expect(await foreignRes.json()).toEqual(await missingRes.json());
    expect((await get('/api/documents/bad%20id!', 'sec')).status).toBe(404);
  });

  describe('audit', () => {
    beforeAll(async () => {
      await auditLogFor(t.ctx.store).append({
        dialogueId: fixture.dialogue.id,
        documentId: fixture.documentId,
        actorId: fixture.users.drafter?.id as string,
        action: 'document.edit',
        detail: { clauses: ['c-1'] },
      });
    });

    it('shows the document audit log to the Secretariat and Co-Chairs, with actor names', async () => {
      for (const who of ['sec', 'chair']) {
        const res = await get(`/api/documents/${fixture.documentId}/audit`, who);
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          entries: { action: string; actorName: string }[];
          nextBefore: unknown;
        };
        expect(body.entries[0]).toMatchObject({
          action: 'document.edit',
          actorName: 'Drafter Tester',
          detail: { clauses: ['c-1'] },
        });
        expect(body.nextBefore).toBeNull();
      }
    });

    it('refuses the audit log to a drafter with 403 and to a non-member with 404', async () => {
      const res = await get(`/api/documents/${fixture.documentId}/audit`, 'drafter');
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      expect((await get(`/api/documents/${fixture.documentId}/audit`, 'outsider')).status).toBe(404);
    });

    it('validates the paging query', async () => {
      const res = await get(`/api/documents/${fixture.documentId}/audit?limit=0`, 'sec');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('limit');
    });
  });
});
