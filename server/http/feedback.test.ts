import type { Anchor, RangeAnchor, Thread } from '@shared/api/threads';
import { anchorContextOf, createRangeAnchor, findClause, resolveAnchor } from '@shared/comments/anchor';
import type { FeedbackReport } from '@shared/rounds/feedback';
import { BODY_FRAGMENT } from '@shared/schema';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ProseMirrorJson } from '../seed/content';
import { type CreatedDialogue, createDialogueWithMembers } from '../seed/fixtures';
import { auditLogFor } from '../store/auditLog';
import { DocUpdates } from '../store/docUpdates';
import { Members } from '../store/members';
import { Rounds } from '../store/rounds';
import { testStoreKinds } from '../store/testStores';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const kinds = await testStoreKinds();

const framework = doc(
  title('Framework'),
  objective(
    { id: 'o-1' },
    heading('Inclusive politics'),
    clause({ id: 'c-1' }, 'States shall include women and young people in every dialogue.'),
    clause({ id: 'c-2' }, 'Budgets are published within thirty days.'),
  ),
  objective({ id: 'o-2' }, heading('Institutions'), clause({ id: 'c-3' }, 'Courts stay independent.')),
);

/** The Y.XmlText of clause `id`. */
function clauseText(ydoc: Y.Doc, id: string): Y.XmlText {
  for (const o of ydoc.getXmlFragment(BODY_FRAGMENT).toArray()) {
    if (!(o instanceof Y.XmlElement)) continue;
    for (const child of o.toArray()) {
      if (child instanceof Y.XmlElement && child.getAttribute('id') === id) {
        const text = child.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
        if (text) return text;
      }
    }
  }
  throw new Error(`no clause ${id}`);
}

/** A range anchor on `words` of clause `clauseId` in a text's Yjs state (the client makes them the same way). */
function rangeIn(state: Uint8Array, clauseId: string, words: string): RangeAnchor {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  const ctx = anchorContextOf(ydoc);
  const found = findClause(ctx.doc, clauseId);
  const index = found?.node.textContent.indexOf(words) ?? -1;
  if (!found || index < 0) throw new Error(`"${words}" is not in ${clauseId}`);
  const from = found.pos + 1 + index;
  const anchor = createRangeAnchor(ctx, from, from + words.length);
  if (!anchor) throw new Error('no anchor');
  return anchor;
}

describe.each(kinds)('validation round feedback on %s', (kind) => {
  let t: TestApp;
  let f: CreatedDialogue;
  let other: CreatedDialogue;
  let documentId: string;
  let otherDocumentId: string;
  const cookies: Record<string, string> = {};
  let rev1: string;
  let zero: string;
  let rev1State: Uint8Array;
  let west: string; // round on Rev.1: Ana (Kestrania), Bo (Veloria)
  let east: string; // another round on Rev.1: Cy (Orlandia)
  let early: string; // a round on the Zero draft: nobody of ours
  let liveThreadId: string;
  let feedbackId: string;

  const keys = ['sec', 'chair', 'drafter', 'panel', 'observer', 'ana', 'bo', 'cy'] as const;
  type Key = (typeof keys)[number];
  const id = (key: Key) => f.users[key]!.id;

  const call = async (who: Key | 'stranger', method: string, path: string, body?: unknown): Promise<Response> =>
    t.app.request(path, {
      method,
      headers: { cookie: cookies[who] as string, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const base = (docId = documentId) => `/api/documents/${docId}`;
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
  const threadOf = async (res: Response) => (await json<{ thread: Thread }>(res)).thread;
  const inOneWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString();

  async function openRound(versionId: string, title: string, validators: Key[]): Promise<string> {
    const res = await call('sec', 'POST', `${base()}/rounds`, { versionId, title, closesAt: inOneWeek() });
    expect(res.status).toBe(201);
    const roundId = (await json<{ round: { id: string } }>(res)).round.id;
    for (const key of validators) await new Rounds(t.ctx.store).addValidator(roundId, id(key));
    return roundId;
  }

  /** Edits the live draft as a drafter would (stored like any accepted edit). */
  async function editLive(edit: (ydoc: Y.Doc) => void): Promise<void> {
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, await t.collab.readState(documentId));
    const before = Y.encodeStateVector(ydoc);
    edit(ydoc);
    await new DocUpdates(t.ctx.store).append([{ documentId, data: Y.encodeStateAsUpdate(ydoc, before), userId: id('drafter') }]);
  }

  beforeAll(async () => {
    t = await createTestApp({ kind });
    f = await createDialogueWithMembers(t.ctx, {
      members: [
        { key: 'sec', role: 'secretariat', name: 'Sam Secretariat' },
        { key: 'chair', role: 'co_chair', name: 'Chris Chair' },
        { key: 'drafter', role: 'drafter', name: 'Dana Drafter' },
        { key: 'panel', role: 'panel', name: 'Pat Panel' },
        { key: 'observer', role: 'observer', name: 'Oli Observer' },
        { key: 'ana', role: 'validator', name: 'Ana Ruiz', affiliation: 'Kestrania' },
        { key: 'bo', role: 'validator', name: 'Bo Lind', affiliation: 'Veloria' },
        { key: 'cy', role: 'validator', name: 'Cy Moss', affiliation: 'Orlandia' },
      ],
      document: { title: 'Framework', content: framework.toJSON() as ProseMirrorJson },
    });
    documentId = f.documentId as string;
    other = await createDialogueWithMembers(t.ctx, {
      members: [{ key: 'stranger', role: 'secretariat' }],
      document: { title: 'Another framework', content: framework.toJSON() as ProseMirrorJson },
    });
    otherDocumentId = other.documentId as string;
    // The drafter also edits the other dialogue's document.
    await new Members(t.ctx.store).add(other.dialogue.id, id('drafter'), 'drafter');
    for (const key of keys) cookies[key] = await sessionCookie(t.ctx, id(key));
    cookies.stranger = await sessionCookie(t.ctx, other.users.stranger!.id);

    for (const label of ['Zero draft', 'Rev.1']) {
      const res = await call('sec', 'POST', `${base()}/versions`, { label });
      const versionId = (await json<{ version: { id: string } }>(res)).version.id;
      if (label === 'Rev.1') rev1 = versionId;
      else zero = versionId;
    }
    const state = await call('ana', 'GET', `${base()}/versions/${rev1}/state`);
    west = await openRound(rev1, 'Regional validation — West', ['ana', 'bo']);
    east = await openRound(rev1, 'Regional validation — East', ['cy']);
    early = await openRound(zero, 'Early consultation', []);
    expect(state.status).toBe(403); // Ana was not a validator yet.
    const res = await call('ana', 'GET', `${base()}/versions/${rev1}/state`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    rev1State = new Uint8Array(await res.arrayBuffer());

    const live = await call('drafter', 'POST', `${base()}/threads`, {
      anchor: rangeIn(await t.collab.readState(documentId), 'c-2', 'thirty days'),
      body: 'A live-draft point that validators never see.',
    });
    liveThreadId = (await threadOf(live)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves a validator the Yjs state of their round\'s version, and nothing of the live draft', async () => {
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, rev1State);
    expect(anchorContextOf(ydoc).doc.textContent).toContain('young people');
    expect((await call('ana', 'GET', `${base()}/versions/${zero}/state`)).status).toBe(403);
    expect((await call('panel', 'GET', `${base()}/versions/${rev1}/state`)).status).toBe(200);
  });

  it('lets a validator comment on a clause of their round\'s version, anchored to the frozen text', async () => {
    const anchor = rangeIn(rev1State, 'c-1', 'young people');
    const res = await call('ana', 'POST', `${base()}/threads`, {
      roundId: west,
      // What the client claims about the clause does not count: the server places the anchor itself.
      anchor: { ...anchor, clauseId: 'c-3', quote: 'something else', clauseNumber: '9.9' },
      body: 'Name youth councils, as our consultation asked. <@' + id('drafter') + '> please note.',
      proposedWording: 'young people, through youth councils,',
    });
    expect(res.status).toBe(201);
    const thread = await threadOf(res);
    feedbackId = thread.id;
    expect(thread).toMatchObject({ versionId: rev1, roundId: west, visibility: 'everyone', carriedTo: null });
    expect(thread.anchor).toMatchObject({ kind: 'range', clauseId: 'c-1', objectiveId: 'o-1', quote: 'young people', clauseNumber: '1.1' });
    // Nothing about feedback goes over the live draft's socket.
    expect(JSON.stringify(t.collab.published.filter((p) => p.event.type !== 'inbox.changed'))).not.toContain(feedbackId);

    const clauseFeedback = await call('bo', 'POST', `${base()}/threads`, {
      roundId: west,
      anchor: { kind: 'clause', clauseId: 'c-3' },
      body: 'Veloria supports this clause as drafted.',
    });
    expect(clauseFeedback.status).toBe(201);
    expect((await threadOf(clauseFeedback)).anchor).toMatchObject({ kind: 'clause', clauseId: 'c-3', clauseNumber: '2.1' });
  });

  it('refuses feedback whose anchor is not in the round\'s version, or that would be internal', async () => {
    await editLive((ydoc) => clauseText(ydoc, 'c-3').insert(0, 'Independent '));
    const newWords = rangeIn(await t.collab.readState(documentId), 'c-3', 'Independent');
    const outside = await call('ana', 'POST', `${base()}/threads`, { roundId: west, anchor: newWords, body: 'On new words.' });
    expect(outside.status).toBe(400);
    expect((await json<{ error: { message: string } }>(outside)).error.message).toMatch(/not in Rev\.1/);
    const noClause = await call('ana', 'POST', `${base()}/threads`, { roundId: west, anchor: { kind: 'clause', clauseId: 'c-nope' }, body: 'x' });
    expect(noClause.status).toBe(400);
    const internal = await call('ana', 'POST', `${base()}/threads`, {
      roundId: west,
      anchor: { kind: 'document' },
      visibility: 'internal',
      body: 'x',
    });
    expect(internal.status).toBe(400);
  });

  it('answers 403 to a validator\'s requests for the live draft, other versions and other rounds', async () => {
    const forbidden = async (method: string, path: string, body?: unknown) => {
      const res = await call('ana', method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    };
    await forbidden('GET', `${base()}/threads`);
    await forbidden('POST', `${base()}/threads`, { anchor: { kind: 'document' }, body: 'On the live draft.' });
    await forbidden('GET', `${base()}/threads?roundId=${east}`);
    await forbidden('POST', `${base()}/threads`, { roundId: east, anchor: { kind: 'document' }, body: 'In another round.' });
    await forbidden('GET', `${base()}/threads?versionId=${zero}`);
    await forbidden('POST', `${base()}/threads`, { roundId: early, anchor: { kind: 'document' }, body: 'On another version.' });
    await forbidden('GET', `${base()}/versions/${zero}`);
    await forbidden('GET', `${base()}/rounds/${east}`);
    await forbidden('GET', `${base()}/rounds/${west}/feedback`);
    await forbidden('GET', `${base()}/rounds/${west}/feedback/export?format=csv`);
    await forbidden('POST', `${base()}/threads/${feedbackId}/carry`, {});
    // A live thread, or another round's feedback, does not exist for her.
    expect((await call('ana', 'GET', `${base()}/threads/${liveThreadId}`)).status).toBe(404);
    expect((await call('ana', 'POST', `${base()}/threads/${liveThreadId}/comments`, { body: 'x' })).status).toBe(404);
    const cyFeedback = await call('cy', 'POST', `${base()}/threads`, { roundId: east, anchor: { kind: 'document' }, body: 'From the East.' });
    expect((await call('ana', 'GET', `${base()}/threads/${(await threadOf(cyFeedback)).id}`)).status).toBe(404);
    // Another dialogue's document does not exist for her at all.
    expect((await call('ana', 'GET', `${base(otherDocumentId)}/threads`)).status).toBe(404);
  });

  it('keeps feedback out of the live draft\'s thread lists, of this document and others, and shows it to those who process it', async () => {
    for (const who of ['sec', 'drafter', 'panel', 'observer'] as const) {
      const list = await json<{ threads: Thread[] }>(await call(who, 'GET', `${base()}/threads`));
      expect(list.threads.map((th) => th.id)).toContain(liveThreadId);
      expect(list.threads.every((th) => th.versionId === null)).toBe(true);
    }
    const elsewhere = await json<{ threads: Thread[] }>(await call('drafter', 'GET', `${base(otherDocumentId)}/threads`));
    expect(elsewhere.threads).toEqual([]);
    expect((await call('drafter', 'GET', `${base(otherDocumentId)}/threads?roundId=${west}`)).status).toBe(404);

    const west1 = await json<{ threads: Thread[] }>(await call('drafter', 'GET', `${base()}/threads?roundId=${west}`));
    expect(west1.threads.map((th) => th.createdBy.name)).toEqual(['Ana Ruiz', 'Bo Lind']);
    const ofVersion = await json<{ threads: Thread[] }>(await call('chair', 'GET', `${base()}/threads?versionId=${rev1}`));
    expect(ofVersion.threads).toHaveLength(3); // West's two and East's one.
    const anasView = await json<{ threads: Thread[] }>(await call('ana', 'GET', `${base()}/threads?versionId=${rev1}`));
    expect(anasView.threads.map((th) => th.roundId)).toEqual([west, west]);
    for (const who of ['panel', 'observer'] as const) {
      expect((await call(who, 'GET', `${base()}/threads?roundId=${west}`)).status).toBe(403);
      expect((await call(who, 'GET', `${base()}/threads/${feedbackId}`)).status).toBe(404);
      expect((await call(who, 'GET', `${base()}/rounds/${west}/feedback`)).status).toBe(403);
    }
  });

  it('lets the round\'s validators and those who process feedback reply and mention only people who read it', async () => {
    const reply = await call('drafter', 'POST', `${base()}/threads/${feedbackId}/comments`, { body: 'Which councils do you mean?' });
    expect(reply.status).toBe(201);
    const answer = await call('ana', 'POST', `${base()}/threads/${feedbackId}/comments`, {
      body: `The national youth councils. <@${id('bo')}> agrees.`,
    });
    expect(answer.status).toBe(201);
    expect((await call('cy', 'POST', `${base()}/threads/${feedbackId}/comments`, { body: 'x' })).status).toBe(404);
    expect((await call('panel', 'POST', `${base()}/threads/${feedbackId}/comments`, { body: 'x' })).status).toBe(404);
    for (const who of ['panel', 'cy'] as const) {
      const res = await call('ana', 'POST', `${base()}/threads/${feedbackId}/comments`, { body: `<@${id(who)}> see this` });
      expect(res.status).toBe(400);
      expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/do not read the feedback of this validation round/);
    }
    // The validator cannot resolve, make internal or apply wording; the chair resolves feedback.
    expect((await call('ana', 'POST', `${base()}/threads/${feedbackId}/resolve`)).status).toBe(403);
    expect((await call('sec', 'PATCH', `${base()}/threads/${feedbackId}`, { visibility: 'internal' })).status).toBe(403);
    const wording = (await threadOf(await call('drafter', 'GET', `${base()}/threads/${feedbackId}`))).comments[0]!;
    expect((await call('drafter', 'POST', `${base()}/threads/${feedbackId}/comments/${wording.id}/apply`)).status).toBe(403);

    // The drafter was mentioned in the feedback and the validator was answered: both have an inbox entry.
    const drafterInbox = await json<{ items: { threadId: string; versionId: string | null; roundId: string | null }[] }>(
      await call('drafter', 'GET', `/api/inbox?dialogueId=${f.dialogue.id}`),
    );
    expect(drafterInbox.items.find((i) => i.threadId === feedbackId)).toMatchObject({ versionId: rev1, roundId: west });
    const anaInbox = await json<{ items: { threadId: string }[] }>(await call('ana', 'GET', `/api/inbox?dialogueId=${f.dialogue.id}`));
    expect(anaInbox.items.map((i) => i.threadId)).toEqual([feedbackId]);
    const boInbox = await json<{ items: { threadId: string }[] }>(await call('bo', 'GET', `/api/inbox?dialogueId=${f.dialogue.id}`));
    expect(boInbox.items.map((i) => i.threadId)).toEqual([feedbackId]);
  });

  it('groups the round\'s feedback by clause and by country in its report, and exports it', async () => {
    const report = await json<FeedbackReport>(await call('sec', 'GET', `${base()}/rounds/${west}/feedback`));
    expect(report.round.title).toBe('Regional validation — West');
    expect(report.version).toMatchObject({ id: rev1, label: 'Rev.1' });
    expect(report.byClause.map((g) => [g.number, g.threads.map((th) => th.givenBy.name)])).toEqual([
      ['1.1', ['Ana Ruiz']],
      ['2.1', ['Bo Lind']],
    ]);
    expect(report.byClause[0]?.threads[0]).toMatchObject({ quote: 'young people', clauseId: 'c-1' });
    expect(report.byClause[0]?.threads[0]?.comments.map((c) => c.author.name)).toEqual(['Ana Ruiz', 'Dana Drafter', 'Ana Ruiz']);
    // Mentions read as names.
    expect(report.byClause[0]?.threads[0]?.comments[0]?.text).toContain('@Dana Drafter please note');
    expect(report.byCountry.map((g) => [g.country, g.threads.length])).toEqual([
      ['Kestrania', 1],
      ['Veloria', 1],
    ]);
    expect(report.summary).toMatchObject({ threads: 2, comments: 4, validators: 2, validatorsWithFeedback: 2, countries: 2, clauses: 2, carried: 0 });

    const csv = await call('drafter', 'GET', `${base()}/rounds/${west}/feedback/export?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=".*feedback.*\.csv"/);
    const text = await csv.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Round,Version,Clause,Thread,Country,Given by,/);
    expect(lines).toHaveLength(5); // header + 4 comments
    expect(lines[1]).toContain('Clause 1.1,1,Kestrania,Ana Ruiz,1,Ana Ruiz,Kestrania,validator');
    const md = await (await call('chair', 'GET', `${base()}/rounds/${west}/feedback/export?format=md`)).text();
    expect(md).toMatch(/^# Feedback report — Regional validation — West/);
    expect(md).toContain('## By clause');
    expect(md).toContain('### Clause 1.1');
    expect(md).toContain('### Kestrania');
    const html = await (await call('chair', 'GET', `${base()}/rounds/${west}/feedback/export?format=html`)).text();
    expect(html).toContain('<h3>Veloria</h3>');
    expect(html).not.toContain('<@');
    const docx = await call('chair', 'GET', `${base()}/rounds/${west}/feedback/export?format=docx`);
    const xml = strFromU8(unzipSync(new Uint8Array(await docx.arrayBuffer()))['word/document.xml']!);
    expect(xml).toContain('Veloria supports this clause as drafted.');
    expect((await call('chair', 'GET', `${base()}/rounds/${west}/feedback/export?format=pdf`)).status).toBe(400);
  });

  it('refuses carrying a live-draft thread to an observer or a panel member with 403 before saying it is not feedback', async () => {
    // Permission comes before the thread's state: only members who may edit learn it is not feedback.
    for (const who of ['observer', 'panel'] as const) {
      const res = await call(who, 'POST', `${base()}/threads/${liveThreadId}/carry`, {});
      expect(res.status, who).toBe(403);
      expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/Only members who may edit the text/);
    }
    const drafter = await call('drafter', 'POST', `${base()}/threads/${liveThreadId}/carry`, {});
    expect(drafter.status).toBe(400);
    expect((await json<{ error: { message: string } }>(drafter)).error.message).toMatch(/Only feedback of a validation round/);
  });

  it('carries a feedback thread to the same words of the live draft, linked to its author, audit-logged, once', async () => {
    expect((await call('panel', 'POST', `${base()}/threads/${feedbackId}/carry`, {})).status).toBe(404);
    expect((await call('drafter', 'POST', `${base()}/threads/${liveThreadId}/carry`, {})).status).toBe(400);
    await editLive((ydoc) => clauseText(ydoc, 'c-1').insert(0, 'All '));
    const res = await call('drafter', 'POST', `${base()}/threads/${feedbackId}/carry`, { note: 'For the third reading.' });
    expect(res.status).toBe(201);
    const { thread, feedback, placement } = await json<{ thread: Thread; feedback: Thread; placement: string }>(res);
    expect(placement).toBe('range');
    expect(thread).toMatchObject({ versionId: null, roundId: null, visibility: 'everyone', createdBy: { id: id('drafter') } });
    expect(thread.carriedFrom).toMatchObject({
      threadId: feedbackId,
      roundId: west,
      roundTitle: 'Regional validation — West',
      versionId: rev1,
      versionLabel: 'Rev.1',
      author: { id: id('ana'), name: 'Ana Ruiz', affiliation: 'Kestrania' },
    });
    expect(feedback.carriedTo).toMatchObject({ threadId: thread.id, by: { id: id('drafter') } });
    expect(thread.comments[0]?.body).toMatch(/^For the third reading\.\n\nValidation feedback from Ana Ruiz \(Kestrania\) on Rev\.1, clause 1\.1/);
    expect(thread.comments[0]?.proposedWording).toBe('young people, through youth councils,');
    // The same clause, on the same words, although the live clause changed since the freeze.
    const live = new Y.Doc();
    Y.applyUpdate(live, await t.collab.readState(documentId));
    const resolved = resolveAnchor(thread.anchor, anchorContextOf(live));
    expect(resolved).toMatchObject({ status: 'anchored', clauseId: 'c-1', text: 'young people' });

    const list = await json<{ threads: Thread[] }>(await call('panel', 'GET', `${base()}/threads`));
    expect(list.threads.find((th) => th.id === thread.id)?.carriedFrom?.author.name).toBe('Ana Ruiz');
    const published = t.collab.published.filter((p) => p.event.type === 'thread.created');
    expect(published.at(-1)?.event).toMatchObject({ thread: { id: thread.id } });
    const entry = (await auditLogFor(t.ctx.store).list({ documentId, limit: 5 })).find((e) => e.action === 'thread.carried');
    expect(entry?.detail).toMatchObject({ feedbackThreadId: feedbackId, threadId: thread.id, roundId: west, placement: 'range', clauseId: 'c-1' });

    const again = await call('chair', 'POST', `${base()}/threads/${feedbackId}/carry`, {});
    expect(again.status).toBe(409);
    expect((await json<{ error: { message: string } }>(again)).error.message).toBe('Dana Drafter already carried this feedback to the live draft.');
    const report = await json<FeedbackReport>(await call('sec', 'GET', `${base()}/rounds/${west}/feedback`));
    expect(report.summary.carried).toBe(1);
    expect(report.byClause[0]?.threads[0]?.carried).toMatchObject({ threadId: thread.id, by: 'Dana Drafter' });
  });

  it('carries feedback to its clause when the words changed, and to the whole document when the clause is gone', async () => {
    const words = await call('bo', 'POST', `${base()}/threads`, {
      roundId: west,
      anchor: rangeIn(rev1State, 'c-2', 'within thirty days'),
      body: 'Thirty days is too short.',
    });
    const gone = await call('bo', 'POST', `${base()}/threads`, {
      roundId: west,
      anchor: rangeIn(rev1State, 'c-3', 'Courts stay independent'),
      body: 'Keep this.',
    });
    await editLive((ydoc) => {
      const c2 = clauseText(ydoc, 'c-2');
      c2.delete(0, c2.length);
      c2.insert(0, 'Budgets are published every quarter.');
      const objective = ydoc.getXmlFragment(BODY_FRAGMENT).toArray()[2] as Y.XmlElement;
      objective.delete(1, 1); // clause c-3
    });
    const toClause = await json<{ thread: Thread; placement: string }>(
      await call('chair', 'POST', `${base()}/threads/${(await threadOf(words)).id}/carry`, {}),
    );
    expect(toClause.placement).toBe('clause');
    expect(toClause.thread.anchor).toMatchObject({ kind: 'clause', clauseId: 'c-2', clauseNumber: '1.2' });
    expect(toClause.thread.comments[0]?.proposedWording).toBeNull();
    const toDocument = await json<{ thread: Thread; placement: string }>(
      await call('chair', 'POST', `${base()}/threads/${(await threadOf(gone)).id}/carry`, {}),
    );
    expect(toDocument.placement).toBe('document');
    expect(toDocument.thread.anchor).toEqual({ kind: 'document' } satisfies Anchor);
  });

  it('answers 409 to new feedback, replies and edits once the round is closed by hand, and by its date', async () => {
    const mine = await threadOf(await call('bo', 'GET', `${base()}/threads/${feedbackId}`));
    const anasComment = mine.comments.find((c) => c.author.id === id('ana'))!;
    expect((await call('sec', 'POST', `${base()}/rounds/${west}/close`)).status).toBe(200);
    const closedAnswers = [
      await call('ana', 'POST', `${base()}/threads`, { roundId: west, anchor: { kind: 'document' }, body: 'Late.' }),
      await call('ana', 'POST', `${base()}/threads/${feedbackId}/comments`, { body: 'Late reply.' }),
      await call('drafter', 'POST', `${base()}/threads/${feedbackId}/comments`, { body: 'Late question.' }),
      await call('ana', 'PATCH', `${base()}/threads/${feedbackId}/comments/${anasComment.id}`, { body: 'Changed.', proposedWording: null }),
      await call('ana', 'DELETE', `${base()}/threads/${feedbackId}/comments/${anasComment.id}`),
    ];
    for (const res of closedAnswers) {
      expect(res.status).toBe(409);
      const { error } = await json<{ error: { code: string; message: string } }>(res);
      expect(error.code).toBe('round_closed');
      expect(error.message).toMatch(/^The validation round “Regional validation — West” closed on \d{4}-\d{2}-\d{2}: it takes no new feedback/);
    }
    // Still permission first: someone who may not give feedback at all gets 403, not 409.
    expect((await call('drafter', 'POST', `${base()}/threads`, { roundId: west, anchor: { kind: 'document' }, body: 'x' })).status).toBe(403);
    // The closed round's feedback stays readable, and the chairs may still triage it.
    expect((await call('ana', 'GET', `${base()}/threads?roundId=${west}`)).status).toBe(200);
    expect((await call('chair', 'POST', `${base()}/threads/${feedbackId}/resolve`)).status).toBe(200);

    await t.ctx.store.db.updateTable('validation_rounds').set({ closes_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', east).execute();
    const byDate = await call('cy', 'POST', `${base()}/threads`, { roundId: east, anchor: { kind: 'document' }, body: 'Too late.' });
    expect(byDate.status).toBe(409);
  });

  it('freezes and exports the live draft\'s open threads, never an internal note nor feedback that was not carried', async () => {
    await call('chair', 'POST', `${base()}/threads`, { anchor: { kind: 'document' }, visibility: 'internal', body: 'Internal: hold back.' });
    const markdown = await (await call('panel', 'GET', `${base()}/export?format=md&threads=1`)).text();
    expect(markdown).toContain('A live-draft point that validators never see.');
    expect(markdown).toContain('Validation feedback from Ana Ruiz');
    expect(markdown).not.toContain('Internal: hold back.');
    expect(markdown).not.toContain('From the East.');
    const frozen = await json<{ version: { id: string } }>(await call('sec', 'POST', `${base()}/versions`, { label: 'Rev.2' }));
    const content = await (await call('panel', 'GET', `${base()}/versions/${frozen.version.id}/content`)).text();
    const parts = (JSON.parse(content) as { parts: { openThreads: { id: string; clauseId: string | null; quote?: string }[] } }).parts;
    expect(parts.openThreads.find((th) => th.id === liveThreadId)).toMatchObject({ clauseId: 'c-2' });
    expect(content).not.toContain('Internal: hold back.');
    expect(content).not.toContain('From the East.');
  });
});
