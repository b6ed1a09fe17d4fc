/**
 * Round feedback against the real server: feedback never travels over the live draft's socket (it
 * would land in the live draft's thread lists), and nothing of the live draft — its text, its threads,
 * their events — ever reaches a validator.
 */
import { threadResponseSchema } from '@shared/api/threads';
import { anchorContextOf, createRangeAnchor, findClause } from '@shared/comments/anchor';
import { MessageType } from '@shared/collab/protocol';
import { type CollabClient, syncedClient, tryUpgrade } from '@tests/helpers/collabClient';
import { currentUser, demoUsers, firstDocumentId, getJson, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import * as decoding from 'lib0/decoding';
import type { Node } from 'prosemirror-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

type Member = 'secretariat' | 'drafter' | 'panel' | 'observer';
const members: Member[] = ['secretariat', 'drafter', 'panel', 'observer'];
const VALIDATOR = 'validator.orlandia@demo.accord';
const SECRET = 'FEEDBACK-ORLANDIA-5b21';

describe('round feedback and the live draft, through the real server', () => {
  let server: TestServer;
  let documentId: string;
  let roundId: string;
  let versionId: string;
  const cookies: Partial<Record<Member | 'validator', string>> = {};
  const frames: Partial<Record<Member, string[]>> = {};
  const events: Partial<Record<Member, { type: string; thread?: { id: string } }[]>> = {};
  const clients: CollabClient[] = [];

  async function api(who: Member | 'validator', method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${server.url}/api/documents/${documentId}${path}`, {
      method,
      headers: { cookie: cookies[who] as string, origin: server.url, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  async function thread(who: Member | 'validator', method: string, path: string, body?: unknown) {
    const res = await api(who, method, path, body);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    const parsed = threadResponseSchema.parse(JSON.parse(text)).thread;
    if (!parsed) throw new Error('no thread');
    return parsed;
  }

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of members) cookies[who] = await signIn(server.url, demoUsers[who]);
    cookies.validator = await signIn(server.url, VALIDATOR);
    documentId = await firstDocumentId(server.url, cookies.drafter as string);
    const { versions } = (await getJson(server.url, `/api/documents/${documentId}/versions`, cookies.secretariat as string)) as {
      versions: { id: string; label: string }[];
    };
    versionId = versions.find((v) => v.label === 'Rev.1')!.id;
    const opened = await api('secretariat', 'POST', '/rounds', {
      versionId,
      title: 'Regional validation — South',
      closesAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
      invite: [VALIDATOR],
    });
    const { round, invitations } = (await opened.json()) as { round: { id: string }; invitations: { link: string }[] };
    roundId = round.id;
    const token = invitations[0]!.link.split('/invitations/')[1]!;
    const accepted = await fetch(`${server.url}/api/invitations/${token}/accept`, {
      method: 'POST',
      headers: { cookie: cookies.validator as string, origin: server.url, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(accepted.status).toBe(200);

    for (const who of members) {
      const client = await syncedClient(server.wsUrl, documentId, { cookie: cookies[who] });
      clients.push(client);
      const seen: string[] = [];
      const decoded: { type: string; thread?: { id: string } }[] = [];
      frames[who] = seen;
      events[who] = decoded;
      client.ws.on('message', (data: Buffer) => {
        seen.push(data.toString('latin1'));
        const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        if (decoding.readVarUint(decoder) !== MessageType.event) return;
        decoded.push(JSON.parse(decoding.readVarString(decoder)) as { type: string; thread?: { id: string } });
      });
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it('refuses a validator the live draft\'s socket before any byte, and its threads over REST', async () => {
    const upgrade = await tryUpgrade(server.wsUrl, documentId, { cookie: cookies.validator as string, origin: server.url });
    expect(upgrade.status).toBe(403);
    expect(upgrade.messages).toBe(0);
    const live = await thread('drafter', 'POST', '/threads', { anchor: { kind: 'document' }, body: 'LIVE-ONLY-a7c2' });
    expect((await api('validator', 'GET', '/threads')).status).toBe(403);
    expect((await api('validator', 'GET', `/threads/${live.id}`)).status).toBe(404);
    const feedbackList = await (await api('validator', 'GET', `/threads?roundId=${roundId}`)).text();
    expect(feedbackList).not.toContain('LIVE-ONLY-a7c2');
  });

  it('never sends feedback, or anything about it, over the live draft\'s socket', async () => {
    const state = new Uint8Array(await (await api('validator', 'GET', `/versions/${versionId}/state`)).arrayBuffer());
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, state);
    const ctx = anchorContextOf(ydoc);
    const clause = findClause(ctx.doc, firstClauseId(ctx.doc));
    if (!clause) throw new Error('no clause in Rev.1');
    const anchor = createRangeAnchor(ctx, clause.pos + 1, clause.pos + 12);
    const drafter = await currentUser(server.url, cookies.drafter as string);
    const feedback = await thread('validator', 'POST', '/threads', {
      roundId,
      anchor,
      body: `${SECRET} <@${drafter.id}>`,
    });
    await thread('drafter', 'POST', `/threads/${feedback.id}/comments`, { body: `${SECRET} reply` });
    await thread('validator', 'PATCH', `/threads/${feedback.id}/comments/${feedback.comments[0]!.id}`, { body: `${SECRET} edited`, proposedWording: null });
    await thread('secretariat', 'POST', `/threads/${feedback.id}/resolve`);
    // Mentioned, the drafter is told their inbox changed (no content travels with that).
    await waitFor(() => (events.drafter ?? []).some((e) => e.type === 'inbox.changed'), { message: 'the drafter to hear of the mention' });

    // A live event published after all that: once everyone has it, everything before it has arrived too.
    const sentinel = await thread('panel', 'POST', '/threads', { anchor: { kind: 'document' }, body: 'Sentinel.' });
    for (const who of members) {
      await waitFor(() => (events[who] ?? []).some((e) => e.thread?.id === sentinel.id), { message: `${who} to receive the sentinel` });
      const seen = frames[who] ?? [];
      expect(seen.some((f) => f.includes(SECRET)), `${who} received the feedback's text`).toBe(false);
      expect(seen.some((f) => f.includes(feedback.id)), `${who} received the feedback's id`).toBe(false);
    }
    // Nor is it in the live draft's thread list.
    for (const who of members) expect(await (await api(who, 'GET', '/threads')).text()).not.toContain(SECRET);

    // Carried, it becomes a live thread like any other, and every viewer receives it.
    const carried = (await (await api('drafter', 'POST', `/threads/${feedback.id}/carry`, {})).json()) as { thread: { id: string } };
    for (const who of members) {
      await waitFor(() => (events[who] ?? []).some((e) => e.type === 'thread.created' && e.thread?.id === carried.thread.id), {
        message: `${who} to receive the carried thread`,
      });
    }
  });
});

/** The id of the first clause of a document. */
function firstClauseId(doc: Node): string {
  let id = '';
  doc.descendants((node) => {
    if (id) return false;
    if (node.type.name === 'clause') {
      id = String(node.attrs.id);
      return false;
    }
    return true;
  });
  return id;
}
