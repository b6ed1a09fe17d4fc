import { demoClauseIds } from '@server/seed/demoContent';
import { listBrackets } from '@shared/brackets';
import { listChanges } from '@shared/changes';
import { syncedClient, waitForConvergence, type CollabClient } from '@tests/helpers/collabClient';
import { currentUser } from '@tests/helpers/http';
import { clauseTextOf, HeadlessEditor, posInClause } from '@tests/helpers/pmClient';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import { chooseAlternative } from '@client/editor/brackets';
import { MessageType } from '@shared/collab/protocol';
import * as decoding from 'lib0/decoding';
import type { Transaction } from 'prosemirror-state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRole, type DemoServer, startDemoServer } from './demoServer';

let demo: DemoServer;
const clients: CollabClient[] = [];

async function editor(role: DemoRole): Promise<HeadlessEditor> {
  const cookie = await demo.cookie(role);
  const user = await currentUser(demo.server.url, cookie);
  const client = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie });
  clients.push(client);
  return new HeadlessEditor(client, { id: user.id, name: user.name });
}

async function api(role: DemoRole, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${demo.server.url}/api/documents/${demo.documentId}${path}`, {
    method,
    headers: { cookie: await demo.cookie(role), 'content-type': 'application/json', origin: demo.server.url },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

interface Flag {
  action: string;
  actorId: string | null;
  detail: { clauses?: string[]; changes?: { changeId: string; authorId: string | null }[] };
}

async function waitForFlag(match: (f: Flag) => boolean): Promise<Flag> {
  let found: Flag | undefined;
  await waitFor(
    async () => {
      const res = await api('cochair', 'GET', '/changes/flags');
      const { flags } = (await res.json()) as { flags: Flag[] };
      found = flags.find(match);
      return found !== undefined;
    },
    { timeout: 15_000, message: 'the expected flag' },
  );
  return found!;
}

/** The live `event` messages a client's socket receives, decoded. */
function liveEvents(client: CollabClient): { type: string; [key: string]: unknown }[] {
  const events: { type: string; [key: string]: unknown }[] = [];
  client.ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (decoding.readVarUint(decoder) !== MessageType.event) return;
    events.push(JSON.parse(decoding.readVarString(decoder)) as { type: string });
  });
  return events;
}

beforeAll(async () => {
  demo = await startDemoServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await stopAllTestServers();
});

describe('tracked changes through the real server', () => {
  it('converges when two members suggest in the same clause at once, each change with its author', async () => {
    const alice = await editor('drafter');
    const bob = await editor('cochair');
    const id = demoClauseIds['4.4']!;
    // Both edit from the same state before seeing each other's change.
    alice.suggest((s) => s.tr.insertText(' promptly', posInClause(s.doc, id, null) - 1));
    bob.suggest((s) => {
      const from = posInClause(s.doc, id, 'past ', false);
      return s.tr.delete(from, from + 'past '.length);
    });
    await waitForConvergence([alice.client.doc, bob.client.doc]);
    const mine = (e: HeadlessEditor) =>
      listChanges(e.doc)
        .filter((c) => c.clauseIds.includes(id))
        .map((c) => [c.kind, c.inserted || c.deleted, c.authorId]);
    const expected = [
      ['deletion', 'past ', bob.author.id],
      ['insertion', ' promptly', alice.author.id],
    ];
    expect(mine(alice)).toEqual(expected);
    expect(mine(bob)).toEqual(expected);
    await Promise.all([alice.client.whenSaved(), bob.client.whenSaved()]);
  });

  it('never attributes a peer\'s change to the local user when suggesting right beside it', async () => {
    const alice = await editor('drafter');
    const bob = await editor('secretariat');
    const id = demoClauseIds['3.2']!;
    alice.suggest((s) => s.tr.insertText(' local', posInClause(s.doc, id, 'favour')));
    await waitForConvergence([alice.client.doc, bob.client.doc]);
    // Bob types right after Alice's insertion: the library would join it; Accord keeps them apart.
    bob.suggest((s) => s.tr.insertText(' and regional', posInClause(s.doc, id, 'favour local')));
    await waitForConvergence([alice.client.doc, bob.client.doc]);
    const changes = listChanges(alice.doc).filter((c) => c.clauseIds.includes(id));
    expect(changes.map((c) => [c.inserted, c.authorId])).toEqual([
      [' local', alice.author.id],
      [' and regional', bob.author.id],
    ]);
  });

  it('produces the expected text when a Co-Chair accepts one change and rejects another, and logs who decided', async () => {
    const drafter = await editor('drafter');
    const chair = await editor('cochair');
    const id = demoClauseIds['5.3']!;
    const before = clauseTextOf(drafter.doc, id);
    drafter.suggest((s) => s.tr.insertText(' and income', posInClause(s.doc, id, 'disability')));
    drafter.suggest((s) => {
      const from = posInClause(s.doc, id, 'drawing on data ', false);
      return s.tr.delete(from, from + 'drawing on data '.length);
    });
    await waitForConvergence([drafter.client.doc, chair.client.doc]);
    const inClause = listChanges(chair.doc).filter((c) => c.clauseIds.includes(id));
    const insertion = inClause.find((c) => c.kind === 'insertion');
    const deletion = inClause.find((c) => c.kind === 'deletion');
    expect(insertion?.inserted).toBe(' and income');
    expect(deletion?.deleted).toBe('drawing on data ');

    expect((await api('drafter', 'POST', '/changes/decisions', { decision: 'accept', changeIds: [insertion!.id] })).status).toBe(403);
    const accepted = await api('cochair', 'POST', '/changes/decisions', { decision: 'accept', changeIds: [insertion!.id] });
    expect(accepted.status).toBe(200);
    chair.decide([insertion!.id], 'accept');
    const rejected = await api('cochair', 'POST', '/changes/decisions', { decision: 'reject', changeIds: [deletion!.id] });
    expect(rejected.status).toBe(200);
    chair.decide([deletion!.id], 'reject');
    const expected = before.replace('disability', 'disability and income');
    expect(clauseTextOf(chair.doc, id)).toBe(expected);
    // Deletions do not advance a state vector: wait for the text itself to arrive.
    const settled = () =>
      clauseTextOf(drafter.doc, id) === expected && listChanges(drafter.doc).every((c) => !c.clauseIds.includes(id));
    await waitFor(settled, { message: 'the decided text at the drafter' });
    await chair.client.whenSaved();
    // The server's own copy agrees, and nothing was flagged: a Co-Chair may decide.
    const audit = (await (await api('cochair', 'GET', '/audit?limit=100')).json()) as { entries: { action: string; actorName: string; detail: { changes?: { changeId: string }[] } }[] };
    const decisions = audit.entries.filter((e) => e.action === 'change.accepted' || e.action === 'change.rejected');
    expect(decisions.map((e) => [e.action, e.detail.changes?.[0]?.changeId])).toEqual([
      ['change.rejected', deletion!.id],
      ['change.accepted', insertion!.id],
    ]);
  });
});

describe('clause workflow through the real server', () => {
  it('refuses "agreed" while a bracket remains, and accepts it once the bracket is resolved in the text', async () => {
    const chair = await editor('cochair');
    const id = demoClauseIds['1.1']!;
    const refused = await api('cochair', 'PUT', `/clauses/${id}/status`, { status: 'agreed' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('open_brackets');

    const bracket = listBrackets(chair.doc).find((b) => b.clauseId === id)!;
    chair.edit((s) => {
      let out: Transaction | null = null;
      chooseAlternative(bracket.key, bracket.alternatives[0]!.alt)(s, (tr) => (out = tr));
      return out!;
    });
    await chair.client.whenSaved();
    const agreed = await api('cochair', 'PUT', `/clauses/${id}/status`, { status: 'agreed', note: 'brackets resolved' });
    expect(agreed.status).toBe(200);
  });

  it('flags a drafter\'s edit inside an agreed clause to the Co-Chairs with the clause id and the member', async () => {
    const drafter = await editor('drafter');
    const id = demoClauseIds['1.4']!; // agreed in the demo
    drafter.edit((s) => s.tr.insertText(' (edited)', posInClause(s.doc, id, null)));
    await drafter.client.whenSaved();
    const flag = await waitForFlag((f) => f.action === 'clause.agreed_edited' && f.actorId === drafter.author.id);
    expect(flag.detail.clauses).toEqual([id]);
  });

  it('does not flag a Co-Chair editing an agreed clause', async () => {
    const chair = await editor('cochair');
    const id = demoClauseIds['2.4']!; // agreed in the demo
    chair.edit((s) => s.tr.insertText(' (chair)', posInClause(s.doc, id, null)));
    await chair.client.whenSaved();
    // A later drafter flag proves the checks ran after the chair's edit.
    const drafter = await editor('drafter');
    drafter.edit((s) => s.tr.insertText('!', posInClause(s.doc, id, null)));
    await drafter.client.whenSaved();
    await waitForFlag((f) => f.action === 'clause.agreed_edited' && f.actorId === drafter.author.id && (f.detail.clauses ?? []).includes(id));
    const res = await api('cochair', 'GET', '/changes/flags');
    const { flags } = (await res.json()) as { flags: Flag[] };
    expect(flags.filter((f) => f.action === 'clause.agreed_edited' && f.actorId === chair.author.id)).toEqual([]);
  });

  it('flags a change a drafter attributes to someone else', async () => {
    const drafter = await editor('drafter');
    const chairUser = await currentUser(demo.server.url, await demo.cookie('cochair'));
    const id = demoClauseIds['3.3']!;
    const forger = new HeadlessEditor(drafter.client, { id: chairUser.id, name: chairUser.name });
    forger.suggest((s) => s.tr.insertText(' forged', posInClause(s.doc, id, 'support')));
    await drafter.client.whenSaved();
    const flag = await waitForFlag((f) => f.action === 'change.forged_attribution' && f.actorId === drafter.author.id);
    expect(flag.detail.changes?.[0]?.authorId).toBe(chairUser.id);
    expect(flag.detail.clauses).toEqual([id]);
  });

  it('flags a drafter\'s direct edit under "drafters must suggest", not their suggestions', async () => {
    expect((await api('secretariat', 'PATCH', '/settings', { requireSuggestingForDrafters: true })).status).toBe(200);
    const drafter = await editor('drafter');
    const suggestedIn = demoClauseIds['1.2']!;
    const editedIn = demoClauseIds['1.3']!;
    drafter.suggest((s) => s.tr.insertText(' clearly', posInClause(s.doc, suggestedIn, 'publish')));
    await drafter.client.whenSaved();
    drafter.edit((s) => s.tr.insertText(' directly', posInClause(s.doc, editedIn, 'mandate')));
    await drafter.client.whenSaved();
    const flag = await waitForFlag((f) => f.action === 'change.unsuggested_edit' && f.actorId === drafter.author.id);
    expect(flag.detail.clauses).toEqual([editedIn]);
    expect((await api('secretariat', 'PATCH', '/settings', { requireSuggestingForDrafters: false })).status).toBe(200);
  });

  it('pushes a clause\'s new status live to every viewer of the document', async () => {
    const viewers: DemoRole[] = ['secretariat', 'cochair', 'drafter', 'panel', 'observer'];
    const received = new Map<DemoRole, ReturnType<typeof liveEvents>>();
    for (const role of viewers) received.set(role, liveEvents((await editor(role)).client));
    const id = demoClauseIds['4.1']!;
    const before = (await (await api('cochair', 'GET', '/clauses/status')).json()) as { clauses: { clauseId: string; status: string }[] };
    const current = before.clauses.find((c) => c.clauseId === id)?.status ?? 'draft';
    const next = current === 'bracketed' ? 'proposed' : 'bracketed';
    expect((await api('cochair', 'PUT', `/clauses/${id}/status`, { status: next, note: 'live' })).status).toBe(200);
    for (const role of viewers) {
      await waitFor(
        () =>
          received.get(role)!.some((e) => {
            const clause = e.clause as { clauseId?: string; status?: string } | undefined;
            return e.type === 'clause.status' && clause?.clauseId === id && clause.status === next;
          }),
        { timeout: 5_000, message: `${role} to see clause 4.1 become ${next}` },
      );
    }
  });

  it('flags a drafter\'s edit of an agreed clause live to the Co-Chairs and the Secretariat only', async () => {
    const viewers: DemoRole[] = ['secretariat', 'cochair', 'drafter', 'panel', 'observer'];
    const received = new Map<DemoRole, ReturnType<typeof liveEvents>>();
    for (const role of viewers) received.set(role, liveEvents((await editor(role)).client));
    const drafter = await editor('drafter');
    const id = demoClauseIds['1.4']!; // agreed in the demo
    drafter.edit((s) => s.tr.insertText(' (live)', posInClause(s.doc, id, null)));
    await drafter.client.whenSaved();
    const flagged = (role: DemoRole) =>
      received.get(role)!.some((e) => e.type === 'change.flagged' && e.action === 'clause.agreed_edited' && e.userId === drafter.author.id && (e.clauses as string[]).includes(id));
    for (const role of ['secretariat', 'cochair'] as const) {
      await waitFor(() => flagged(role), { timeout: 15_000, message: `${role} to be told of the edit` });
    }
    // Anything sent to the others was sent by now (one publish, one pass over the connections).
    for (const role of ['drafter', 'panel', 'observer'] as const) expect(received.get(role)!.some((e) => e.type === 'change.flagged'), role).toBe(false);
  });
});
