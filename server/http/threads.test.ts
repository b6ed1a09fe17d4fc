import { applyStartResponseSchema, type RangeAnchor, type Thread } from '@shared/api/threads';
import { listChanges, suggestTransaction } from '@shared/changes';
import { anchorContextOf, createRangeAnchor, findClause } from '@shared/comments/anchor';
import { docToYDoc } from '@shared/collab/ydoc';
import { type Role, roles } from '@shared/permissions';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedDialogue, createDialogueWithMembers } from '../seed/fixtures';
import { auditLogFor } from '../store/auditLog';
import { Members } from '../store/members';
import { testStoreKinds } from '../store/testStores';
import { Threads } from '../store/threads';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const kinds = await testStoreKinds();

/** A real range anchor on "young people" in a small framework. */
function rangeAnchor(): RangeAnchor {
  const ydoc = docToYDoc(
    doc(title('T'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, 'Include young people.'))),
  );
  const ctx = anchorContextOf(ydoc);
  const found = findClause(ctx.doc, 'c-1');
  if (!found) throw new Error('no clause');
  const from = found.pos + 1 + 'Include '.length;
  const anchor = createRangeAnchor(ctx, from, from + 'young people'.length);
  if (!anchor) throw new Error('no anchor');
  return { ...anchor, clauseNumber: '1.1' };
}

const clauseAnchor = { kind: 'clause', clauseId: 'c-1', objectiveId: 'o-1', quote: 'Include young people.' } as const;

describe.each(kinds)('comment threads API on %s', (kind) => {
  let t: TestApp;
  let f: CreatedDialogue;
  let documentId: string;
  let store: Threads;
  const cookies: Record<string, string> = {};
  // One member of each role, plus a second panel member whose threads are "someone else's".
  const keys = [...roles, 'other'] as const;
  type Key = (typeof keys)[number];

  beforeAll(async () => {
    t = await createTestApp({ kind });
    f = await createDialogueWithMembers(t.ctx, {
      members: keys.map((key) => ({ key, role: key === 'other' ? 'panel' : key, name: `${key} member` })),
      document: { title: 'Framework' },
    });
    documentId = f.documentId as string;
    store = new Threads(t.ctx.store);
    for (const key of keys) cookies[key] = await sessionCookie(t.ctx, id(key));
  });
  afterAll(async () => {
    await t?.close();
  });

  const id = (key: Key) => f.users[key]?.id as string;
  const base = () => `/api/documents/${documentId}/threads`;
  const call = async (who: Key, method: string, path: string, body?: unknown): Promise<Response> =>
    t.app.request(path, {
      method,
      headers: body === undefined ? { cookie: cookies[who] as string } : { cookie: cookies[who] as string, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** A thread written straight into storage, by `author` (any role: a member may since have lost theirs). */
  async function seedThread(author: Key, opts: { visibility?: 'everyone' | 'internal'; resolved?: boolean } = {}) {
    const role: Role = author === 'other' ? 'panel' : author;
    const { threadId, commentId } = await store.create({
      documentId,
      dialogueId: f.dialogue.id,
      anchor: rangeAnchor(),
      visibility: opts.visibility ?? 'everyone',
      authorId: id(author),
      authorRole: role,
      body: `Started by ${author}`,
      proposedWording: 'young people of every background',
    });
    if (opts.resolved) await store.setStatus(threadId, 'resolved', id('co_chair'), 'co_chair');
    return { threadId, commentId };
  }

  async function threadBody(res: Response): Promise<Thread> {
    return ((await res.json()) as { thread: Thread }).thread;
  }

  /** Starts applying a comment's wording as `who`; fails the test unless the server agrees. */
  async function startApplying(who: Key, threadId: string, commentId: string) {
    const res = await call(who, 'POST', `${base()}/${threadId}/comments/${commentId}/apply`);
    expect(res.status, await res.clone().text()).toBe(200);
    return applyStartResponseSchema.parse(await res.json());
  }

  /**
   * The framework's text with "young people" replaced by a tracked change `changeId` attributed to
   * `author`: what the server's copy holds once an applier's editor made the change.
   */
  function changeBy(changeId: string, author: Key, wording = 'young people of every background') {
    const base = doc(title('T'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, 'Include young people.')));
    const found = findClause(base, 'c-1');
    if (!found) throw new Error('no clause');
    const from = found.pos + 1 + 'Include '.length;
    const state = EditorState.create({ doc: base });
    const tr = state.tr.insertText(wording, from, from + 'young people'.length);
    const out = suggestTransaction(state, tr, { id: id(author), name: `${author} member` }, { freshId: () => changeId });
    if (!out.ok) throw new Error(out.reason);
    return out.tr.doc;
  }

  /** Runs `body` while the server's copy of the text is `text`. */
  async function withTextHolding(text: PMNode, body: () => Promise<void>): Promise<void> {
    t.collab.texts.set(documentId, text);
    try {
      await body();
    } finally {
      t.collab.texts.delete(documentId);
    }
  }

  describe('the permission matrix', () => {
    // Columns follow `roles`: secretariat, co_chair, drafter, panel, observer, validator.
    // 404: the validator cannot read the live draft, so its threads do not exist for them.
    const matrix: Record<string, (who: Key) => Promise<Response>> = {
      'create a thread': (who) => call(who, 'POST', base(), { anchor: rangeAnchor(), body: 'A point.' }),
      'reply to a thread': async (who) => {
        const { threadId } = await seedThread('other');
        return call(who, 'POST', `${base()}/${threadId}/comments`, { body: 'An answer.' });
      },
      'edit their own comment': async (who) => {
        const { threadId, commentId } = await seedThread(who);
        return call(who, 'PATCH', `${base()}/${threadId}/comments/${commentId}`, { body: 'Rephrased.' });
      },
      "edit someone else's comment": async (who) => {
        const { threadId, commentId } = await seedThread('other');
        return call(who, 'PATCH', `${base()}/${threadId}/comments/${commentId}`, { body: 'Rephrased.' });
      },
      'delete their own comment': async (who) => {
        const { threadId, commentId } = await seedThread(who);
        return call(who, 'DELETE', `${base()}/${threadId}/comments/${commentId}`);
      },
      "delete someone else's comment": async (who) => {
        const { threadId, commentId } = await seedThread('other');
        return call(who, 'DELETE', `${base()}/${threadId}/comments/${commentId}`);
      },
      'resolve their own thread': async (who) => {
        const { threadId } = await seedThread(who);
        return call(who, 'POST', `${base()}/${threadId}/resolve`);
      },
      "resolve someone else's thread": async (who) => {
        const { threadId } = await seedThread('other');
        return call(who, 'POST', `${base()}/${threadId}/resolve`);
      },
      'reopen their own thread': async (who) => {
        const { threadId } = await seedThread(who, { resolved: true });
        return call(who, 'POST', `${base()}/${threadId}/reopen`);
      },
      "reopen someone else's thread": async (who) => {
        const { threadId } = await seedThread('other', { resolved: true });
        return call(who, 'POST', `${base()}/${threadId}/reopen`);
      },
      'start an internal note': (who) =>
        call(who, 'POST', base(), { anchor: { kind: 'document' }, visibility: 'internal', body: 'Between us.' }),
      'read an internal note': async (who) => {
        const { threadId } = await seedThread('co_chair', { visibility: 'internal' });
        return call(who, 'GET', `${base()}/${threadId}`);
      },
      'reply to an internal note': async (who) => {
        const { threadId } = await seedThread('secretariat', { visibility: 'internal' });
        return call(who, 'POST', `${base()}/${threadId}/comments`, { body: 'Noted.' });
      },
      'make a thread internal': async (who) => {
        const { threadId } = await seedThread('other');
        return call(who, 'PATCH', `${base()}/${threadId}`, { visibility: 'internal' });
      },
      'apply proposed wording': async (who) => {
        const { threadId, commentId } = await seedThread('other');
        return call(who, 'POST', `${base()}/${threadId}/comments/${commentId}/apply`);
      },
    };
    const expected: Record<keyof typeof matrix, string> = {
      'create a thread': '201 201 201 201 403 403',
      'reply to a thread': '201 201 201 201 403 404',
      'edit their own comment': '200 200 200 200 403 404',
      "edit someone else's comment": '403 403 403 403 403 404',
      'delete their own comment': '200 200 200 200 403 404',
      "delete someone else's comment": '200 403 403 403 403 404',
      'resolve their own thread': '200 200 200 200 403 404',
      "resolve someone else's thread": '200 200 403 403 403 404',
      'reopen their own thread': '200 200 200 200 403 404',
      "reopen someone else's thread": '200 200 403 403 403 404',
      'start an internal note': '201 201 403 403 403 403',
      'read an internal note': '200 200 404 404 404 404',
      'reply to an internal note': '201 201 404 404 404 404',
      'make a thread internal': '200 200 403 403 403 404',
      'apply proposed wording': '200 200 200 403 403 404',
    };

    it.each(
      Object.entries(expected).flatMap(([action, row]) =>
        roles.map((role, i) => ({ action, role, status: Number(row.split(' ')[i]) })),
      ),
    )('$role: $action → $status', async ({ action, role, status }) => {
      const res = await (matrix[action] as (who: Key) => Promise<Response>)(role);
      expect(res.status, await res.clone().text()).toBe(status);
      if (status >= 400) {
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe(status === 403 ? 'forbidden' : 'not_found');
        expect(body.error.message.length).toBeGreaterThan(5);
      }
    });

    it('lists internal notes to Secretariat and Co-Chairs only', async () => {
      const { threadId } = await seedThread('secretariat', { visibility: 'internal' });
      for (const role of roles) {
        const res = await call(role, 'GET', base());
        if (role === 'validator') {
          expect(res.status).toBe(403);
          continue;
        }
        const { threads } = (await res.json()) as { threads: Thread[] };
        expect(threads.some((th) => th.id === threadId), role).toBe(role === 'secretariat' || role === 'co_chair');
        expect(threads.every((th) => th.visibility === 'everyone' || role === 'secretariat' || role === 'co_chair')).toBe(true);
      }
    });

    it('answers 403 to an observer on every other write route too, and changes nothing', async () => {
      const { threadId, commentId } = await seedThread('other');
      const path = `${base()}/${threadId}`;
      const moved = { ...rangeAnchor(), quote: 'young people' };
      const writes: [string, string, unknown][] = [
        ['PATCH', path, { anchor: moved }],
        ['PATCH', path, { visibility: 'everyone' }],
        ['POST', `${path}/comments/${commentId}/apply/confirm`, { changeId: 's-abcdefabcdef' }],
        ['POST', `${path}/comments/${commentId}/apply/cancel`, { changeId: 's-abcdefabcdef', reason: 'locked' }],
      ];
      const before = await (await call('other', 'GET', path)).text();
      for (const [method, url, body] of writes) {
        const res = await call('observer', method, url, body);
        expect(res.status, `${method} ${url.slice(base().length)}: ${await res.clone().text()}`).toBe(403);
      }
      expect(await (await call('other', 'GET', path)).text()).toBe(before);
    });

    it('answers 404 to someone who is not a member, and 401 without a session', async () => {
      const outsider = await createDialogueWithMembers(t.ctx, { members: [{ key: 'x', role: 'secretariat' }] });
      const cookie = await sessionCookie(t.ctx, outsider.users.x?.id as string);
      const res = await t.app.request(base(), { headers: { cookie } });
      expect(res.status).toBe(404);
      expect((await t.app.request(base())).status).toBe(401);
    });
  });

  describe('malformed input', () => {
    const cases: [string, unknown, RegExp][] = [
      ['a body that is not JSON', '{"anchor":', /json/i],
      ['no anchor', { body: 'x' }, /anchor/],
      ['an unknown anchor kind', { anchor: { kind: 'paragraph' }, body: 'x' }, /anchor/],
      ['positions that are not base64', { anchor: { ...rangeAnchor(), from: 'not base64!' }, body: 'x' }, /anchor\.from/],
      ['base64 that is not a Yjs position', { anchor: { ...rangeAnchor(), from: '////' }, body: 'x' }, /relative positions/],
      ['a bad clause id', { anchor: { kind: 'clause', clauseId: 'x' }, body: 'x' }, /anchor\.clauseId/],
      ['an empty comment', { anchor: { kind: 'document' }, body: '   ' }, /body or proposed wording/],
      ['a comment that is too long', { anchor: { kind: 'document' }, body: 'x'.repeat(10_001) }, /at most 10000/],
      ['wording on a clause thread', { anchor: clauseAnchor, body: 'x', proposedWording: 'y' }, /needs a thread on a text range/],
      ['an unknown field', { anchor: { kind: 'document' }, body: 'x', html: '<b>' }, /html|Unrecognized/i],
      ['an unknown visibility', { anchor: { kind: 'document' }, body: 'x', visibility: 'secret' }, /visibility/],
      ['a mention of a non-member', { anchor: { kind: 'document' }, body: 'ask <@nobody>' }, /not a member/],
    ];

    it.each(cases)('refuses %s with 400 and a message naming the problem', async (_what, body, message) => {
      const res = await call('drafter', 'POST', base(), body);
      expect(res.status).toBe(400);
      const error = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(['invalid_input', 'invalid_json']).toContain(error.code);
      expect(error.message).toMatch(message);
    });

    it('refuses to mention a panel member in an internal note, naming them', async () => {
      const res = await call('co_chair', 'POST', base(), {
        anchor: { kind: 'document' },
        visibility: 'internal',
        body: `FYI <@${id('panel')}>`,
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('panel member cannot be mentioned here');
    });

    it('answers 404 for unknown threads and comments and ids that cannot exist', async () => {
      expect((await call('drafter', 'POST', `${base()}/t-unknown/comments`, { body: 'x' })).status).toBe(404);
      const { threadId } = await seedThread('drafter');
      expect((await call('drafter', 'PATCH', `${base()}/${threadId}/comments/nope`, { body: 'x' })).status).toBe(404);
      expect((await call('drafter', 'GET', `${base()}/bad%20id!`)).status).toBe(404);
    });
  });

  describe('behaviour', () => {
    it('creates a thread with its first comment, audit-logs it, and publishes it to everyone', async () => {
      t.collab.published.length = 0;
      const res = await call('panel', 'POST', base(), {
        anchor: rangeAnchor(),
        body: `Please widen this, <@${id('drafter')}>.`,
        proposedWording: 'young people and older persons',
      });
      expect(res.status).toBe(201);
      const thread = await threadBody(res);
      expect(thread).toMatchObject({
        status: 'open',
        visibility: 'everyone',
        createdBy: { id: id('panel'), name: 'panel member', role: 'panel' },
        anchor: { kind: 'range', quote: 'young people', clauseId: 'c-1' },
      });
      expect(thread.comments).toEqual([
        expect.objectContaining({
          body: `Please widen this, <@${id('drafter')}>.`,
          mentions: [id('drafter')],
          proposedWording: 'young people and older persons',
          applied: null,
          deleted: false,
        }),
      ]);
      const created = t.collab.published.find((p) => p.event.type === 'thread.created');
      expect(created?.audience).toBeUndefined();
      expect(t.collab.published.find((p) => p.event.type === 'inbox.changed')?.audience).toEqual({ userIds: [id('drafter')] });
      const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
      expect(entry).toMatchObject({ action: 'thread.created', actorId: id('panel'), detail: { threadId: thread.id, anchor: 'range' } });
    });

    it('publishes internal notes only to Secretariat and Co-Chairs, and hides a thread made internal from the rest', async () => {
      t.collab.published.length = 0;
      const res = await call('secretariat', 'POST', base(), { anchor: { kind: 'document' }, visibility: 'internal', body: 'Chairs only.' });
      const note = await threadBody(res);
      expect(t.collab.published).toEqual([
        { event: expect.objectContaining({ type: 'thread.created' }), audience: { roles: ['secretariat', 'co_chair'] } },
      ]);

      t.collab.published.length = 0;
      await call('co_chair', 'POST', `${base()}/${note.id}/resolve`);
      expect(t.collab.published.every((p) => JSON.stringify(p.audience) === JSON.stringify({ roles: ['secretariat', 'co_chair'] }))).toBe(true);

      const { threadId } = await seedThread('other');
      t.collab.published.length = 0;
      await call('co_chair', 'PATCH', `${base()}/${threadId}`, { visibility: 'internal' });
      expect(t.collab.published).toEqual([
        { event: expect.objectContaining({ type: 'thread.updated' }), audience: { roles: ['secretariat', 'co_chair'] } },
        { event: { type: 'thread.removed', documentId, threadId }, audience: { roles: ['drafter', 'panel', 'observer', 'validator'] } },
      ]);
      expect((await call('other', 'GET', `${base()}/${threadId}`)).status).toBe(404);
    });

    it('keeps a "comment deleted" marker in a thread with replies, and removes a thread whose only comment is deleted', async () => {
      const { threadId, commentId } = await seedThread('panel');
      await call('drafter', 'POST', `${base()}/${threadId}/comments`, { body: 'Answered.' });
      const res = await call('panel', 'DELETE', `${base()}/${threadId}/comments/${commentId}`);
      const thread = await threadBody(res);
      expect(thread.comments.map((m) => ({ deleted: m.deleted, body: m.body }))).toEqual([
        { deleted: true, body: '' },
        { deleted: false, body: 'Answered.' },
      ]);

      const lone = await seedThread('panel');
      t.collab.published.length = 0;
      const gone = await call('panel', 'DELETE', `${base()}/${lone.threadId}/comments/${lone.commentId}`);
      expect(await gone.json()).toEqual({ thread: null });
      expect(t.collab.published.map((p) => p.event)).toEqual([{ type: 'thread.removed', documentId, threadId: lone.threadId }]);
      expect((await call('panel', 'GET', `${base()}/${lone.threadId}`)).status).toBe(404);
      const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
      expect(entry).toMatchObject({ action: 'comment.deleted', detail: { threadDeleted: true } });
    });

    it('records who proposed and who applied wording, once, and refuses to change applied wording', async () => {
      const { threadId, commentId } = await seedThread('panel');
      const { application } = await startApplying('drafter', threadId, commentId);
      await withTextHolding(changeBy(application.changeId, 'panel'), async () => {
        const res = await call('drafter', 'POST', `${base()}/${threadId}/comments/${commentId}/apply/confirm`, {
          changeId: application.changeId,
        });
        const thread = await threadBody(res);
        expect(thread.comments[0]).toMatchObject({
          author: { id: id('panel') },
          applied: { by: { id: id('drafter'), role: 'drafter' } },
        });
      });
      const again = await call('co_chair', 'POST', `${base()}/${threadId}/comments/${commentId}/apply`);
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('drafter member has already applied this wording');
      const edit = await call('panel', 'PATCH', `${base()}/${threadId}/comments/${commentId}`, {
        body: 'x',
        proposedWording: 'something else',
      });
      expect(edit.status).toBe(409);
      const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1, actions: ['wording.applied'] });
      expect(entry).toMatchObject({
        action: 'wording.applied',
        actorId: id('drafter'),
        detail: { proposerId: id('panel'), appliedBy: id('drafter'), changeId: application.changeId, kind: 'replacement' },
      });
    });

    it('lets a member who may edit move a range thread onto new words, and nobody else', async () => {
      const { threadId } = await seedThread('panel');
      const moved = { ...rangeAnchor(), quote: 'young people of every background' };
      expect((await call('panel', 'PATCH', `${base()}/${threadId}`, { anchor: moved })).status).toBe(403);
      const res = await call('drafter', 'PATCH', `${base()}/${threadId}`, { anchor: moved });
      expect(res.status).toBe(200);
      expect((await threadBody(res)).anchor).toMatchObject({ quote: 'young people of every background' });
      const clauseThread = await threadBody(await call('drafter', 'POST', base(), { anchor: clauseAnchor, body: 'x' }));
      const refused = await call('drafter', 'PATCH', `${base()}/${clauseThread.id}`, { anchor: moved });
      expect(refused.status).toBe(400);
      expect((await call('drafter', 'PATCH', `${base()}/${threadId}`, {})).status).toBe(400);
      const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 3 });
      expect(entry?.action).toBe('thread.created');
      const entries = await auditLogFor(t.ctx.store).list({ documentId, limit: 3 });
      expect(entries.map((e) => e.action)).toContain('thread.moved');
    });

    it('audit-logs every comment action', async () => {
      const res = await call('drafter', 'POST', base(), { anchor: clauseAnchor, body: 'One.' });
      const thread = await threadBody(res);
      const reply = await threadBody(await call('panel', 'POST', `${base()}/${thread.id}/comments`, { body: 'Two.' }));
      const replyId = reply.comments[1]?.id as string;
      await call('panel', 'PATCH', `${base()}/${thread.id}/comments/${replyId}`, { body: 'Two, edited.' });
      await call('panel', 'DELETE', `${base()}/${thread.id}/comments/${replyId}`);
      await call('drafter', 'POST', `${base()}/${thread.id}/resolve`);
      await call('drafter', 'POST', `${base()}/${thread.id}/reopen`);
      await call('co_chair', 'PATCH', `${base()}/${thread.id}`, { visibility: 'internal' });
      const entries = await auditLogFor(t.ctx.store).list({ documentId, limit: 7 });
      expect(entries.map((e) => e.action).reverse()).toEqual([
        'thread.created',
        'comment.added',
        'comment.edited',
        'comment.deleted',
        'thread.resolved',
        'thread.reopened',
        'thread.visibility_changed',
      ]);
      expect(await auditLogFor(t.ctx.store).verifyChain()).toMatchObject({ ok: true });
    });
  });

  describe('applying proposed wording as a tracked change', () => {
    it('starts with a fresh change id the server grants to the applier in the proposer\'s name, and records nothing yet', async () => {
      const { threadId, commentId } = await seedThread('panel');
      const { application, thread } = await startApplying('drafter', threadId, commentId);
      expect(application).toMatchObject({
        changeId: expect.stringMatching(/^s-[a-z0-9]{12}$/),
        author: { id: id('panel'), name: 'panel member' },
        wording: 'young people of every background',
      });
      expect(t.collab.grants).toContainEqual({
        documentId,
        writerId: id('drafter'),
        authorId: id('panel'),
        changeId: application.changeId,
      });
      // Not applied until the change is in the text.
      expect(thread.comments[0]?.applied).toBeNull();
      expect((await threadBody(await call('drafter', 'GET', `${base()}/${threadId}`))).comments[0]?.applied).toBeNull();
      const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
      expect(entry).toMatchObject({
        action: 'wording.apply_started',
        actorId: id('drafter'),
        detail: { threadId, commentId, proposerId: id('panel'), changeId: application.changeId },
      });
      // While the drafter's editor makes the change, nobody else may apply the same wording.
      const second = await call('co_chair', 'POST', `${base()}/${threadId}/comments/${commentId}/apply`);
      expect(second.status).toBe(409);
      expect(await second.text()).toContain('drafter member is applying this wording right now');
      // The drafter retrying gets the same change id (a change already made stays covered).
      expect((await startApplying('drafter', threadId, commentId)).application.changeId).toBe(application.changeId);
    });

    it('confirms only once the server\'s own text holds the change by the proposer, and moves the thread onto it', async () => {
      const { threadId, commentId } = await seedThread('panel');
      const { application } = await startApplying('drafter', threadId, commentId);
      const confirm = (who: Key, body: unknown) =>
        call(who, 'POST', `${base()}/${threadId}/comments/${commentId}/apply/confirm`, body);
      const moved = { ...rangeAnchor(), quote: 'young people', change: { id: 'forged', decision: { outcome: 'accepted', by: { id: 'x', name: 'X' }, at: 'now' } } };

      const early = await confirm('drafter', { changeId: application.changeId, anchor: moved });
      expect(early.status).toBe(409);
      expect(((await early.json()) as { error: { code: string } }).error.code).toBe('change_not_found');

      await withTextHolding(changeBy(application.changeId, 'drafter'), async () => {
        const wrongAuthor = await confirm('drafter', { changeId: application.changeId });
        expect(wrongAuthor.status).toBe(409);
        expect(await wrongAuthor.text()).toContain('not attributed to the member who proposed');
      });

      await withTextHolding(changeBy(application.changeId, 'panel'), async () => {
        expect((await confirm('co_chair', { changeId: application.changeId })).status).toBe(409);
        const res = await confirm('drafter', { changeId: application.changeId, anchor: moved });
        expect(res.status).toBe(200);
        const thread = await threadBody(res);
        expect(thread.comments[0]?.applied).toMatchObject({ by: { id: id('drafter') } });
        // The thread is on the change now; the link and its (empty) decision are the server's.
        expect(thread.anchor).toMatchObject({ kind: 'range', quote: 'young people', clauseNumber: '1.1', change: { id: application.changeId, decision: null } });
        // A retried confirmation (its answer lost) gets the same answer.
        const retry = await confirm('drafter', { changeId: application.changeId, anchor: moved });
        expect(retry.status).toBe(200);
        expect((await threadBody(retry)).comments[0]?.applied?.at).toBe(thread.comments[0]?.applied?.at);
      });
      const entries = await auditLogFor(t.ctx.store).list({ documentId, limit: 20, actions: ['wording.applied'] });
      expect(entries.filter((e) => e.detail.commentId === commentId)).toHaveLength(1);
    });

    it('cancels an application the editor refused, says why in the audit log, and frees the wording', async () => {
      const { threadId, commentId } = await seedThread('panel');
      const { application } = await startApplying('drafter', threadId, commentId);
      const path = `${base()}/${threadId}/comments/${commentId}/apply`;
      expect((await call('drafter', 'POST', `${path}/cancel`, { changeId: application.changeId, reason: 'bogus' })).status).toBe(400);
      // Someone else cannot cancel the drafter's application: nothing happens.
      await call('co_chair', 'POST', `${path}/cancel`, { changeId: application.changeId, reason: 'locked' });
      expect((await call('co_chair', 'POST', path)).status).toBe(409);

      const res = await call('drafter', 'POST', `${path}/cancel`, { changeId: application.changeId, reason: 'locked' });
      expect(res.status).toBe(200);
      expect((await threadBody(res)).comments[0]?.applied).toBeNull();
      const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
      expect(entry).toMatchObject({
        action: 'wording.apply_cancelled',
        actorId: id('drafter'),
        detail: { commentId, changeId: application.changeId, reason: 'locked' },
      });
      // The drafter's old change id can no longer be confirmed; a Co-Chair may apply it now.
      await withTextHolding(changeBy(application.changeId, 'panel'), async () => {
        expect((await call('drafter', 'POST', `${path}/confirm`, { changeId: application.changeId })).status).toBe(409);
      });
      const chair = await startApplying('co_chair', threadId, commentId);
      expect(chair.application.changeId).not.toBe(application.changeId);
    });

    it('counts an application whose change reached the text but was never confirmed as applied, so it is never applied twice', async () => {
      const { threadId, commentId } = await seedThread('panel');
      const { application } = await startApplying('drafter', threadId, commentId);
      await withTextHolding(changeBy(application.changeId, 'panel'), async () => {
        // The drafter's tab closed after its editor made the change; they (or anyone later) try again.
        const res = await call('drafter', 'POST', `${base()}/${threadId}/comments/${commentId}/apply`);
        expect(res.status).toBe(409);
        expect(await res.text()).toContain('drafter member has already applied this wording');
      });
      const thread = await threadBody(await call('drafter', 'GET', `${base()}/${threadId}`));
      expect(thread.comments[0]?.applied).toMatchObject({ by: { id: id('drafter') } });
      const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1, actions: ['wording.applied'] });
      expect(entry?.detail).toMatchObject({ commentId, changeId: application.changeId, unconfirmed: true });
    });

    it('refuses to start for a comment without wording and to confirm with a malformed change id', async () => {
      const thread = await threadBody(await call('panel', 'POST', base(), { anchor: rangeAnchor(), body: 'No wording.' }));
      const commentId = thread.comments[0]?.id as string;
      const res = await call('drafter', 'POST', `${base()}/${thread.id}/comments/${commentId}/apply`);
      expect(res.status).toBe(409);
      expect(await res.text()).toContain('proposes no wording');
      const bad = await call('drafter', 'POST', `${base()}/${thread.id}/comments/${commentId}/apply/confirm`, { changeId: 'no spaces!' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/changeId/);
    });
  });

  describe('threads on tracked changes', () => {
    it('keeps the link to a change the server\'s record: a client cannot claim a decision, and a move keeps the link', async () => {
      const claimed = { id: 's-abc', decision: { outcome: 'accepted', by: { id: 'x', name: 'X' }, at: '2020-01-01T00:00:00.000Z' } };
      const thread = await threadBody(await call('panel', 'POST', base(), { anchor: { ...rangeAnchor(), change: claimed }, body: 'Why?' }));
      expect(thread.anchor).toMatchObject({ change: { id: 's-abc', decision: null } });
      const [created] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
      expect(created?.detail).toMatchObject({ changeId: 's-abc' });
      const moved = await threadBody(await call('drafter', 'PATCH', `${base()}/${thread.id}`, { anchor: { ...rangeAnchor(), change: { id: 's-other' } } }));
      expect(moved.anchor).toMatchObject({ change: { id: 's-abc', decision: null } });
    });

    it('writes a Co-Chair\'s decision on a change into the threads on it, live to their viewers', async () => {
      const changeId = 's-decided00001';
      const onChange = await threadBody(
        await call('panel', 'POST', base(), { anchor: { ...rangeAnchor(), change: { id: changeId } }, body: 'Good change.' }),
      );
      const note = await threadBody(
        await call('co_chair', 'POST', base(), { anchor: { ...rangeAnchor(), change: { id: changeId } }, body: 'Chairs only.', visibility: 'internal' }),
      );
      const elsewhere = await threadBody(await call('panel', 'POST', base(), { anchor: rangeAnchor(), body: 'Unrelated.' }));
      await withTextHolding(changeBy(changeId, 'panel'), async () => {
        expect(listChanges(changeBy(changeId, 'panel')).map((c) => c.id)).toEqual([changeId]);
        t.collab.published.length = 0;
        const res = await call('co_chair', 'POST', `/api/documents/${documentId}/changes/decisions`, { decision: 'reject', changeIds: [changeId] });
        expect(res.status).toBe(200);
      });
      const decided = await threadBody(await call('panel', 'GET', `${base()}/${onChange.id}`));
      expect(decided.anchor).toMatchObject({ change: { id: changeId, decision: { outcome: 'rejected', by: { id: id('co_chair'), name: 'co_chair member' } } } });
      expect((await threadBody(await call('panel', 'GET', `${base()}/${elsewhere.id}`))).anchor).not.toHaveProperty('change');
      const updates = t.collab.published.filter((p) => p.event.type === 'thread.updated');
      expect(updates.map((p) => [(p.event.thread as Thread).id, p.audience])).toEqual(
        expect.arrayContaining([
          [onChange.id, undefined],
          [note.id, { roles: ['secretariat', 'co_chair'] }],
        ]),
      );
      expect(updates).toHaveLength(2);
    });
  });

  describe('the inbox', () => {
    it('collects mentions and replies to threads a member takes part in, with unread counts', async () => {
      const drafterInbox = () => call('drafter', 'GET', `/api/inbox?dialogueId=${f.dialogue.id}`);
      await call('drafter', 'POST', '/api/inbox/read', { dialogueId: f.dialogue.id, all: true });
      const thread = await threadBody(await call('drafter', 'POST', base(), { anchor: rangeAnchor(), body: 'Mine.' }));
      await call('panel', 'POST', `${base()}/${thread.id}/comments`, { body: 'A reply to you.' });
      await call('co_chair', 'POST', `${base()}/${thread.id}/comments`, { body: `Over to you, <@${id('drafter')}>` });

      const inbox = (await (await drafterInbox()).json()) as {
        items: { reason: string; excerpt: string; readAt: string | null; anchorLabel: string; id: string }[];
        unread: number;
      };
      expect(inbox.unread).toBe(2);
      expect(inbox.items.slice(0, 2).map((i) => [i.reason, i.excerpt])).toEqual([
        ['mention', `Over to you, <@${id('drafter')}>`],
        ['reply', 'A reply to you.'],
      ]);
      expect(inbox.items[0]?.anchorLabel).toBe('Clause 1.1: “young people”');

      const read = await call('drafter', 'POST', '/api/inbox/read', { dialogueId: f.dialogue.id, ids: [inbox.items[0]?.id] });
      expect(await read.json()).toEqual({ marked: 1, unread: 1 });
      const unreadOnly = (await (
        await call('drafter', 'GET', `/api/inbox?dialogueId=${f.dialogue.id}&unread=1`)
      ).json()) as { items: unknown[] };
      expect(unreadOnly.items).toHaveLength(1);
    });

    it('stops showing entries of internal notes once the member may no longer read them', async () => {
      const note = await threadBody(
        await call('secretariat', 'POST', base(), { anchor: { kind: 'document' }, visibility: 'internal', body: 'Chairs.' }),
      );
      await call('co_chair', 'POST', '/api/inbox/read', { dialogueId: f.dialogue.id, all: true });
      await call('secretariat', 'POST', `${base()}/${note.id}/comments`, { body: `<@${id('co_chair')}> see this` });
      const count = async () =>
        ((await (await call('co_chair', 'GET', `/api/inbox?dialogueId=${f.dialogue.id}`)).json()) as { unread: number }).unread;
      expect(await count()).toBe(1);
      await new Members(t.ctx.store).setRole(f.dialogue.id, id('co_chair'), 'drafter');
      try {
        expect(await count()).toBe(0);
      } finally {
        await new Members(t.ctx.store).setRole(f.dialogue.id, id('co_chair'), 'co_chair');
      }
    });

    it('drops the entry of a deleted comment and tells its reader at once', async () => {
      await call('observer', 'POST', '/api/inbox/read', { dialogueId: f.dialogue.id, all: true });
      const thread = await threadBody(
        await call('drafter', 'POST', base(), { anchor: { kind: 'document' }, body: `<@${id('observer')}> FYI` }),
      );
      const unread = async () =>
        ((await (await call('observer', 'GET', `/api/inbox?dialogueId=${f.dialogue.id}`)).json()) as { unread: number }).unread;
      expect(await unread()).toBe(1);
      await call('drafter', 'POST', `${base()}/${thread.id}/comments`, { body: 'More.' });
      t.collab.published.length = 0;
      await call('drafter', 'DELETE', `${base()}/${thread.id}/comments/${thread.comments[0]?.id}`);
      expect(await unread()).toBe(0);
      expect(t.collab.published.find((p) => p.event.type === 'inbox.changed')?.audience).toEqual({ userIds: [id('observer')] });
    });

    it('validates its input and hides other dialogues', async () => {
      expect((await call('drafter', 'GET', '/api/inbox')).status).toBe(400);
      expect((await call('drafter', 'POST', '/api/inbox/read', { dialogueId: f.dialogue.id })).status).toBe(400);
      expect((await call('drafter', 'GET', '/api/inbox?dialogueId=someone-elses')).status).toBe(404);
    });
  });
});
