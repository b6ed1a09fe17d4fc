import { createHash } from 'node:crypto';
import { appendClause, type CollabClient, docText, firstClauseText, syncedClient } from '@tests/helpers/collabClient';
import { stopAllTestServers } from '@tests/helpers/testServer';
import { waitFor } from '@tests/helpers/waitFor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRole, type DemoServer, startDemoServer } from './demoServer';

interface Summary {
  id: string;
  label: string;
  hash: string;
}

describe('versions on a running server', () => {
  let demo: DemoServer;
  const clients: CollabClient[] = [];
  let rev: Summary;
  let frozenText: string;

  const api = async (role: DemoRole, path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${demo.server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { cookie: await demo.cookie(role), origin: demo.server.url, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return res;
  };
  const connect = async (role: DemoRole) => {
    const client = await syncedClient(demo.server.wsUrl, demo.documentId, { cookie: await demo.cookie(role) });
    clients.push(client);
    return client;
  };
  const contentHash = async () => {
    const res = await api('observer', `/api/documents/${demo.documentId}/versions/${rev.id}/content`);
    return createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
  };

  beforeAll(async () => {
    // Idle documents unload (and compact) quickly, so the test sees compaction happen.
    demo = await startDemoServer({ env: { ACCORD_UNLOAD_AFTER_MS: '100' } });
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await stopAllTestServers();
  });

  it('freezes the live draft, including edits made a moment before over the socket', async () => {
    const drafter = await connect('drafter');
    appendClause(drafter.doc, 'Written just before the freeze.', 'c-before-freeze');
    await drafter.whenSaved();
    frozenText = docText(drafter.doc);
    const res = await api('secretariat', `/api/documents/${demo.documentId}/versions`, {
      method: 'POST',
      body: { label: 'Integration Rev', meeting: 'Test meeting' },
    });
    expect(res.status).toBe(201);
    rev = ((await res.json()) as { version: Summary }).version;
    expect(await contentHash()).toBe(rev.hash);
    const detail = (await (await api('observer', `/api/documents/${demo.documentId}/versions/${rev.id}`)).json()) as {
      content: { doc: unknown };
    };
    expect(JSON.stringify(detail.content.doc)).toContain('Written just before the freeze.');
  });

  it('compares the version with the live draft after a drafter edits, clause by clause', async () => {
    const drafter = clients[0]!;
    const first = firstClauseText(drafter.doc);
    first.insert(0, 'Amended: ');
    appendClause(drafter.doc, 'Added after the freeze.', 'c-after-freeze');
    await drafter.whenSaved();
    const res = await api('observer', `/api/documents/${demo.documentId}/compare?from=${rev.id}&to=live`);
    expect(res.status).toBe(200);
    const { comparison } = (await res.json()) as {
      comparison: { summary: string; clauses: { id: string; changes: string[]; redline: { op: string; text: string }[] | null }[] };
    };
    const changed = comparison.clauses.filter((c) => c.changes.length > 0);
    expect(changed.map((c) => c.changes)).toEqual([['changed'], ['added']]);
    expect(changed[0]!.redline).toContainEqual({ op: 'inserted', text: 'Amended: ' });
    expect(changed[1]!.id).toBe('c-after-freeze');
    expect(comparison.summary).toBe('1 clause changed, 1 added.');
  });

  it('keeps the version hash after further edits, compaction and a restart', async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    // The document unloads after 100 ms without connections, which compacts its update log.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await contentHash()).toBe(rev.hash);
    await demo.server.kill('SIGTERM');
    demo.use(await demo.server.restart());
    expect(await contentHash()).toBe(rev.hash);
    const check = (await (await api('observer', `/api/documents/${demo.documentId}/versions/${rev.id}/verify`)).json()) as {
      ok: boolean;
    };
    expect(check.ok).toBe(true);
  });

  it('restores the version as a forward edit that connected clients receive live', async () => {
    const watcher = await connect('observer');
    expect(docText(watcher.doc)).toContain('Added after the freeze.');
    expect((await api('drafter', `/api/documents/${demo.documentId}/versions/${rev.id}/restore`, { method: 'POST', body: { confirm: true } })).status).toBe(403);
    const res = await api('cochair', `/api/documents/${demo.documentId}/versions/${rev.id}/restore`, {
      method: 'POST',
      body: { confirm: true },
    });
    expect(res.status).toBe(200);
    await waitFor(() => docText(watcher.doc) === frozenText, { message: () => 'the observer to see the restored text' });
    const res2 = await api('observer', `/api/documents/${demo.documentId}/compare?from=${rev.id}&to=live`);
    const { comparison } = (await res2.json()) as { comparison: { summary: string } };
    expect(comparison.summary).toBe('No changes.');
    // A drafter keeps working on the restored text: it is the live draft, with its history intact.
    const drafter = await connect('drafter');
    firstClauseText(drafter.doc).insert(0, 'After restore: ');
    await drafter.whenSaved();
    await waitFor(() => docText(watcher.doc).includes('After restore: '));
  });
});
