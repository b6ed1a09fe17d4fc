import { dropAuditProtection } from '@tests/helpers/auditTamper';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, auditLogFor, GENESIS_HASH } from './auditLog';
import type { Store } from './db';
import { Dialogues } from './dialogues';
import { Documents } from './documents';
import { Members } from './members';
import { hashToken, SESSION_TTL_MS, Sessions } from './sessions';
import { openTestStore, testStoreKinds } from './testStores';
import { Users } from './users';

const kinds = await testStoreKinds();

describe.each(kinds)('repositories on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ store, cleanup } = await openTestStore(kind));
  });
  afterEach(async () => {
    await cleanup();
  });

  const aUser = (email: string, name = 'Someone') =>
    new Users(store).create({ email, name, passwordHash: 'scrypt$x' });

  it('finds users by email case-insensitively and by id, and refuses a duplicate email', async () => {
    const users = new Users(store);
    const created = await users.create({
      email: 'Ana.Lima@Example.ORG',
      name: 'Ana',
      passwordHash: 'h',
      affiliation: 'Veloria',
    });
    expect(created.email).toBe('ana.lima@example.org');
    expect((await users.findByEmail('ANA.LIMA@example.org'))?.id).toBe(created.id);
    expect((await users.findById(created.id))?.affiliation).toBe('Veloria');
    expect(await users.findByEmail('nobody@example.org')).toBeNull();
    await expect(
      users.create({ email: 'ana.lima@example.org', name: 'Copy', passwordHash: 'h' }),
    ).rejects.toThrow();
  });

  it('stores only the hash of a session token, finds a live session and not an expired one', async () => {
    const user = await aUser('s@x.org');
    let now = Date.parse('2030-01-01T00:00:00Z');
    const sessions = new Sessions(store, () => now);
    const { token, session } = await sessions.create(user.id);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(session.id).toBe(hashToken(token));
    const rows = await store.db.selectFrom('sessions').selectAll().execute();
    expect(rows.map((r) => r.id)).toEqual([hashToken(token)]);
    expect((await sessions.findByToken(token))?.userId).toBe(user.id);
    now += SESSION_TTL_MS;
    expect(await sessions.findByToken(token)).toBeNull();
    expect(await sessions.deleteExpired()).toBe(1);
  });

  it('gives a new token at each sign-in and ends one session without touching the others', async () => {
    const user = await aUser('t@x.org');
    const sessions = new Sessions(store);
    const first = await sessions.create(user.id);
    const second = await sessions.create(user.id);
    expect(first.token).not.toBe(second.token);
    await sessions.delete(first.session.id);
    expect(await sessions.findByToken(first.token)).toBeNull();
    expect(await sessions.findByToken(second.token)).not.toBeNull();
  });

  it('keeps roles per dialogue, lists members with user details, changes and removes them', async () => {
    const dialogue = await new Dialogues(store).create('Dialogue');
    const members = new Members(store);
    const zed = await aUser('z@x.org', 'Zed');
    const amy = await aUser('a@x.org', 'Amy');
    await members.add(dialogue.id, zed.id, 'drafter');
    await members.add(dialogue.id, amy.id, 'secretariat');
    expect(await members.roleOf(dialogue.id, zed.id)).toBe('drafter');
    expect((await members.list(dialogue.id)).map((m) => [m.name, m.role, m.email])).toEqual([
      ['Amy', 'secretariat', 'a@x.org'],
      ['Zed', 'drafter', 'z@x.org'],
    ]);
    expect(await members.countWithRole(dialogue.id, 'secretariat')).toBe(1);
    expect(await members.setRole(dialogue.id, zed.id, 'observer')).toBe(true);
    expect(await members.roleOf(dialogue.id, zed.id)).toBe('observer');
    expect(await members.remove(dialogue.id, zed.id)).toBe(true);
    expect(await members.roleOf(dialogue.id, zed.id)).toBeNull();
    expect(await members.remove(dialogue.id, zed.id)).toBe(false);
  });

  it('lists only the documents of dialogues the user belongs to, with their role', async () => {
    const dialogues = new Dialogues(store);
    const documents = new Documents(store);
    const members = new Members(store);
    const mine = await dialogues.create('Mine');
    const other = await dialogues.create('Other');
    const user = await aUser('d@x.org');
    await members.add(mine.id, user.id, 'observer');
    const { id: docId } = await documents.create({ dialogueId: mine.id, title: 'Framework' });
    await documents.create({ dialogueId: other.id, title: 'Secret' });
    expect(await documents.listReadableBy(user.id)).toEqual([
      expect.objectContaining({ id: docId, title: 'Framework', dialogueName: 'Mine', role: 'observer' }),
    ]);
    const got = await documents.get(docId);
    expect(got?.dialogueName).toBe('Mine');
    expect(got?.settings).toEqual({
      requireSuggestingForDrafters: false,
      lockAgreedClauses: true,
      bisNumbering: false,
    });
  });

  it('falls back to default settings when the stored settings are not valid', async () => {
    const dialogue = await new Dialogues(store).create('D');
    const documents = new Documents(store);
    const { id } = await documents.create({
      dialogueId: dialogue.id,
      title: 'T',
      settings: { requireSuggestingForDrafters: true },
    });
    expect((await documents.get(id))?.settings.requireSuggestingForDrafters).toBe(true);
    await store.db.updateTable('documents').set({ settings: '{not json' }).where('id', '=', id).execute();
    expect((await documents.get(id))?.settings).toEqual({
      requireSuggestingForDrafters: false,
      lockAgreedClauses: true,
      bisNumbering: false,
    });
  });

  it('chains audit entries by hash from 64 zeros and verifies the chain', async () => {
    const log = new AuditLog(store);
    await log.append({ actorId: null, action: 'a.one', detail: { b: 1, a: [1, 2] } });
    await log.append({ dialogueId: 'd1', documentId: 'doc1', actorId: 'u1', action: 'a.two', detail: {} });
    const [newest, oldest] = await log.list({ limit: 10 });
    expect(oldest?.prevHash).toBe(GENESIS_HASH);
    expect(newest?.prevHash).toBe(oldest?.hash);
    expect(oldest?.detail).toEqual({ a: [1, 2], b: 1 });
    expect(await log.verifyChain()).toMatchObject({ ok: true, count: 2, head: { hash: newest?.hash } });
  });

  it('never forks the chain when many entries are appended at once', async () => {
    const log = auditLogFor(store);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => log.append({ actorId: null, action: 'burst', detail: { i } })),
    );
    expect(await log.verifyChain()).toMatchObject({ ok: true, count: 40 });
  });

  it('detects a tampered entry and names the first broken one', async () => {
    const log = new AuditLog(store);
    const ids: number[] = [];
    for (const action of ['x.one', 'x.two', 'x.three'])
      ids.push(await log.append({ actorId: 'u', action, detail: { action } }));
    await dropAuditProtection(store);
    await store.db
      .updateTable('audit_log')
      .set({ detail: '{"action":"x.forged"}' })
      .where('id', '=', ids[1] as number)
      .execute();
    expect(await log.verifyChain()).toEqual({ ok: false, brokenId: ids[1], reason: 'hash', count: 1 });
  });

  it('detects a deleted entry in the middle of the chain', async () => {
    const log = new AuditLog(store);
    const ids: number[] = [];
    for (const action of ['y.one', 'y.two', 'y.three'])
      ids.push(await log.append({ actorId: 'u', action, detail: {} }));
    await dropAuditProtection(store);
    await store.db
      .deleteFrom('audit_log')
      .where('id', '=', ids[1] as number)
      .execute();
    expect(await log.verifyChain()).toEqual({ ok: false, brokenId: ids[2], reason: 'link', count: 1 });
  });

  it('lists a document with its dialogue-wide entries, newest first, paging with before', async () => {
    const log = new AuditLog(store);
    await log.append({ dialogueId: 'd', documentId: 'doc', actorId: 'u', action: 'doc.1', detail: {} });
    await log.append({ dialogueId: 'd', actorId: 'u', action: 'member.1', detail: {} });
    await log.append({ dialogueId: 'd', documentId: 'other', actorId: 'u', action: 'other.1', detail: {} });
    await log.append({ dialogueId: 'd', documentId: 'doc', actorId: 'u', action: 'doc.2', detail: {} });
    const page = await log.list({ documentId: 'doc', dialogueId: 'd', includeDialogueWide: true, limit: 2 });
    expect(page.map((e) => e.action)).toEqual(['doc.2', 'member.1']);
    const next = await log.list({
      documentId: 'doc',
      dialogueId: 'd',
      includeDialogueWide: true,
      limit: 2,
      before: page[1]?.id,
    });
    expect(next.map((e) => e.action)).toEqual(['doc.1']);
    expect((await log.list({ documentId: 'doc', limit: 10 })).map((e) => e.action)).toEqual([
      'doc.2',
      'doc.1',
    ]);
  });
});
