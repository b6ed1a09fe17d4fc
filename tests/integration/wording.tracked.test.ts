/**
 * Applying a panel member's proposed wording through the real server, with real Yjs clients: the
 * client's own apply logic (client/comments/applyProposedWording.ts) drives a headless editor, the
 * threads API grants the change id, and the collaboration server judges the update it receives.
 */
import { ApiError } from '@client/api/client';
import { type ApplyDeps, ApplyWordingError, applyProposedWording } from '@client/comments/applyProposedWording';
import { suggestReplacement, type EditorLike } from '@client/editor/suggestReplacement';
import { demoClauseIds } from '@server/seed/demoContent';
import {
  applyStartResponseSchema,
  type RangeAnchor,
  type Thread,
  threadResponseSchema,
} from '@shared/api/threads';
import { listChanges } from '@shared/changes';
import { anchorContextOf, createRangeAnchor, resolveAnchor } from '@shared/comments/anchor';
import { type CollabClient, syncedClient, waitForConvergence } from '@tests/helpers/collabClient';
import { currentUser } from '@tests/helpers/http';
import { clauseTextOf, HeadlessEditor, posInClause } from '@tests/helpers/pmClient';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import type { Transaction } from 'prosemirror-state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRole, type DemoServer, startDemoServer } from './demoServer';

let demo: DemoServer;
const clients: CollabClient[] = [];

beforeAll(async () => {
  demo = await startDemoServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await stopAllTestServers();
});

async function api(role: DemoRole, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${demo.server.url}/api/documents/${demo.documentId}${path}`, {
    method,
    headers: { cookie: await demo.cookie(role), 'content-type': 'application/json', origin: demo.server.url },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Calls the API as `role` and parses the answer with `schema`, throwing the client's ApiError on failure. */
async function call<T>(role: DemoRole, method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown): Promise<T> {
  const res = await api(role, method, path, body);
  const json = (await res.json()) as { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, json.error?.code ?? 'unknown', json.error?.message ?? res.statusText);
  return schema.parse(json);
}

/** A member's headless editor on the demo document. */
async function editor(role: DemoRole): Promise<HeadlessEditor> {
  const cookie = await demo.cookie(role);
  const user = await currentUser(demo.server.url, cookie);
  const client = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie });
  clients.push(client);
  return new HeadlessEditor(client, { id: user.id, name: user.name });
}

/** The editor as the apply logic sees it: its current state, and dispatch writing into the shared text. */
function asView(e: HeadlessEditor): EditorLike {
  return {
    get state() {
      return e.state;
    },
    dispatch: (tr: Transaction) => e.write(tr),
  };
}

/** What the page does around applying, done against the real server for `role` and the editor's replica. */
function deps(role: DemoRole, e: HeadlessEditor, override: Partial<ApplyDeps['api']> = {}): ApplyDeps {
  const path = (threadId: string, commentId: string) => `/threads/${threadId}/comments/${commentId}/apply`;
  return {
    api: {
      startApplying: (_d, threadId, commentId) => call(role, 'POST', path(threadId, commentId), applyStartResponseSchema),
      confirmApplying: async (_d, threadId, commentId, body) =>
        (await call(role, 'POST', `${path(threadId, commentId)}/confirm`, threadResponseSchema, body)).thread,
      cancelApplying: async (_d, threadId, commentId, body) =>
        (await call(role, 'POST', `${path(threadId, commentId)}/cancel`, threadResponseSchema, body)).thread,
      ...override,
    },
    locate: (_view, thread) => {
      const resolved = resolveAnchor(thread.anchor, anchorContextOf(e.client.doc));
      return resolved.status === 'anchored' ? { from: resolved.from, to: resolved.to } : null;
    },
    anchorFor: (_view, from, to) => createRangeAnchor(anchorContextOf(e.client.doc), from, to),
    whenStored: async () => {
      await e.client.whenSaved();
      return true;
    },
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onThread: () => {},
  };
}

/** The panel member comments on `words` in clause `number`, proposing `wording`. */
async function propose(panel: HeadlessEditor, number: string, words: string, wording: string): Promise<Thread> {
  const id = demoClauseIds[number]!;
  const ctx = anchorContextOf(panel.client.doc);
  const from = posInClause(ctx.doc, id, words, false);
  const anchor: RangeAnchor | null = createRangeAnchor(ctx, from, from + words.length);
  if (!anchor) throw new Error('no anchor');
  const { thread } = await call('panel', 'POST', '/threads', threadResponseSchema, {
    anchor: { ...anchor, clauseNumber: number },
    body: 'This reads better.',
    proposedWording: wording,
  });
  if (!thread) throw new Error('no thread');
  return thread;
}

interface Flag {
  action: string;
  actorId: string | null;
  detail: { clauses?: string[]; changes?: { changeId: string; authorId: string | null }[] };
}

async function flags(): Promise<Flag[]> {
  return ((await (await api('cochair', 'GET', '/changes/flags?limit=200')).json()) as { flags: Flag[] }).flags;
}

/** Waits for a flag of `action` naming change `changeId`, and returns every flag of that kind by `actorId`. */
async function flagged(action: string, actorId: string, changeId: string): Promise<Flag[]> {
  let found: Flag[] = [];
  await waitFor(
    async () => {
      found = (await flags()).filter((f) => f.action === action && f.actorId === actorId);
      return found.some((f) => f.detail.changes?.some((c) => c.changeId === changeId));
    },
    { timeout: 15_000, message: `a ${action} flag on ${changeId}` },
  );
  return found;
}

describe('applying proposed wording through the real server', () => {
  it('makes an insertion and a deletion attributed to the proposer, not flagged; the same update without the grant is', async () => {
    const panel = await editor('panel');
    const drafter = await editor('drafter');
    const chair = await editor('cochair');
    const thread = await propose(panel, '3.4', 'considered', 'offered on concessional terms');
    const comment = thread.comments[0]!;

    const recorded = await applyProposedWording(asView(drafter), demo.documentId, thread, comment, deps('drafter', drafter));
    await waitForConvergence([drafter.client.doc, chair.client.doc, panel.client.doc]);

    // Everyone sees one replacement by the panel member (not by the drafter who applied it).
    const id = demoClauseIds['3.4']!;
    const changes = listChanges(chair.doc).filter((c) => c.clauseIds.includes(id));
    expect(changes).toEqual([
      expect.objectContaining({
        kind: 'replacement',
        deleted: 'considered',
        inserted: 'offered on concessional terms',
        authorId: panel.author.id,
        authorName: panel.author.name,
      }),
    ]);
    const changeId = changes[0]!.id;
    // The record: who proposed, who applied, which change; the thread is on the change.
    expect(recorded?.comments[0]?.applied?.by.id).toBe(drafter.author.id);
    expect(recorded?.anchor).toMatchObject({ kind: 'range', change: { id: changeId, decision: null } });
    const audit = (await (await api('cochair', 'GET', '/audit?limit=50')).json()) as {
      entries: { action: string; actorId: string; detail: Record<string, unknown> }[];
    };
    const applied = audit.entries.find((e) => e.action === 'wording.applied' && e.detail.changeId === changeId);
    expect(applied).toMatchObject({ actorId: drafter.author.id, detail: { proposerId: panel.author.id, appliedBy: drafter.author.id } });
    expect(audit.entries.some((e) => e.action === 'wording.apply_started' && e.detail.changeId === changeId)).toBe(true);

    // The same kind of update without a grant: the drafter writes a replacement in the panel member's name.
    const forged = suggestReplacement(
      asView(drafter),
      posInClause(drafter.doc, demoClauseIds['2.1']!, 'judges', false),
      posInClause(drafter.doc, demoClauseIds['2.1']!, 'judges'),
      'magistrates',
      panel.author,
    );
    await drafter.client.whenSaved();
    // Flags of one member and kind are gathered into one entry, so the forged change's flag would
    // also name the granted change, had that one been flagged.
    const forgedFlags = await flagged('change.forged_attribution', drafter.author.id, forged);
    const named = forgedFlags.flatMap((f) => f.detail.changes ?? []);
    expect(named).toContainEqual({ changeId: forged, authorId: panel.author.id });
    expect(named.map((c) => c.changeId)).not.toContain(changeId);
  });

  it('lets a Co-Chair accept the applied wording like any change: the clause reads the proposal and the thread says so', async () => {
    const panel = await editor('panel');
    const drafter = await editor('drafter');
    const chair = await editor('cochair');
    const id = demoClauseIds['4.4']!;
    const thread = await propose(panel, '4.4', 'researchers', 'independent researchers');
    const before = clauseTextOf(drafter.doc, id);
    await applyProposedWording(asView(drafter), demo.documentId, thread, thread.comments[0]!, deps('drafter', drafter));
    await waitForConvergence([drafter.client.doc, chair.client.doc]);
    const change = listChanges(chair.doc).find((c) => c.clauseIds.includes(id) && c.authorId === panel.author.id)!;

    const decided = await api('cochair', 'POST', '/changes/decisions', { decision: 'accept', changeIds: [change.id] });
    expect(decided.status).toBe(200);
    chair.decide([change.id], 'accept');
    await chair.client.whenSaved();
    const expected = before.replace('researchers', 'independent researchers');
    await waitFor(() => clauseTextOf(drafter.doc, id) === expected && listChanges(drafter.doc).every((c) => c.id !== change.id), {
      message: 'the accepted wording at the drafter',
    });
    expect(clauseTextOf(chair.doc, id)).toBe(expected);

    // The thread records the decision and still sits on the words, now the proposed ones.
    const { thread: now } = await call('panel', 'GET', `/threads/${thread.id}`, threadResponseSchema);
    expect(now?.anchor).toMatchObject({ change: { id: change.id, decision: { outcome: 'accepted', by: { name: chair.author.name } } } });
    const resolved = resolveAnchor(now!.anchor, anchorContextOf(drafter.client.doc));
    expect(resolved).toMatchObject({ status: 'anchored', text: 'independent researchers' });
  });

  it('takes the change back without a flag when the server will not record it, and leaves the wording free', async () => {
    const panel = await editor('panel');
    const drafter = await editor('drafter');
    const id = demoClauseIds['4.1']!;
    const before = clauseTextOf(drafter.doc, id);
    const thread = await propose(panel, '4.1', 'document', 'investigate and document');
    const refusing = deps('drafter', drafter, {
      confirmApplying: async () => {
        throw new ApiError(409, 'conflict', 'Refused for this test.');
      },
    });
    await expect(applyProposedWording(asView(drafter), demo.documentId, thread, thread.comments[0]!, refusing)).rejects.toThrow(
      new ApplyWordingError('Refused for this test. The change was taken back.'),
    );
    await drafter.client.whenSaved();
    expect(clauseTextOf(drafter.doc, id)).toBe(before);
    expect(listChanges(drafter.doc).filter((c) => c.clauseIds.includes(id))).toEqual([]);
    const audit = (await (await api('cochair', 'GET', '/audit?limit=30')).json()) as {
      entries: { action: string; detail: Record<string, unknown> }[];
    };
    const cancelled = audit.entries.find((e) => e.action === 'wording.apply_cancelled' && e.detail.threadId === thread.id);
    expect(cancelled?.detail).toMatchObject({ reason: 'not-recorded' });
    const withdrawn = cancelled?.detail.changeId as string;

    // A later removal of someone's change by the drafter, without a grant, is flagged; the withdrawal was not.
    const other = await editor('secretariat');
    other.suggest((s) => s.tr.insertText(' promptly', posInClause(s.doc, id, 'document')));
    await waitForConvergence([other.client.doc, drafter.client.doc]);
    const foreign = listChanges(drafter.doc).find((c) => c.inserted === ' promptly')!;
    drafter.edit((s) => s.tr.delete(foreign.from, foreign.to));
    await drafter.client.whenSaved();
    const unauthorised = await flagged('change.unauthorised_decision', drafter.author.id, foreign.id);
    expect(unauthorised.flatMap((f) => f.detail.changes ?? []).map((c) => c.changeId)).not.toContain(withdrawn);

    // Nothing was recorded as applied: the Co-Chair may apply the wording now.
    const start = await api('cochair', 'POST', `/threads/${thread.id}/comments/${thread.comments[0]!.id}/apply`);
    expect(start.status).toBe(200);
  });
});
