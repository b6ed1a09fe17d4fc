import { bracket, clause, doc, heading, objective, p, preamble, title } from '@tests/helpers/builders';
import { schema } from '@shared/schema';
import { decodeDocState } from '@shared/collab/ydoc';
import { sha256Hex, verifyVersionText } from '@shared/versions/content';
import type { Node } from 'prosemirror-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateToMatch } from '../domain/versions/restore';
import type { ProseMirrorJson } from '../seed/content';
import { type CreatedDialogue, createDialogueWithMembers } from '../seed/fixtures';
import { auditLogFor } from '../store/auditLog';
import { DocUpdates } from '../store/docUpdates';
import { testStoreKinds } from '../store/testStores';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const kinds = await testStoreKinds();

function framework(extra: Node[] = [], c2 = 'Rules for selecting participants are published.'): Node {
  return doc(
    title('Coastal framework'),
    preamble(p('Recalling the consultations,')),
    objective(
      { id: 'o-1' },
      heading('Inclusive settlements'),
      clause({ id: 'c-1' }, 'States include women ', bracket('at every stage', { group: 'g1' }), '.'),
      clause({ id: 'c-2' }, c2),
      ...extra,
    ),
  );
}

describe.each(kinds)('versions API on %s', (kind) => {
  let t: TestApp;
  let fixture: CreatedDialogue;
  let documentId: string;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ kind });
    fixture = await createDialogueWithMembers(t.ctx, {
      members: [
        { key: 'sec', role: 'secretariat', name: 'Amara Sec' },
        { key: 'chair', role: 'co_chair' },
        { key: 'drafter', role: 'drafter' },
        { key: 'observer', role: 'observer' },
        { key: 'validator', role: 'validator' },
        { key: 'outsider', role: null },
      ],
      document: { title: 'Coastal framework', content: framework().toJSON() as ProseMirrorJson },
    });
    documentId = fixture.documentId as string;
    for (const [key, user] of Object.entries(fixture.users)) cookies[key] = await sessionCookie(t.ctx, user.id);
  });
  afterAll(async () => {
    await t.close();
  });

  const request = (who: string, path: string, init: { method?: string; body?: unknown } = {}) =>
    t.app.request(path, {
      method: init.method ?? 'GET',
      headers: { cookie: cookies[who] as string, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const freeze = (who: string, body: unknown) =>
    request(who, `/api/documents/${documentId}/versions`, { method: 'POST', body });

  /** Replaces the stored live text with `next`, as an edit appended to the update log. */
  async function edit(next: Node): Promise<void> {
    const updates = new DocUpdates(t.ctx.store);
    const state = await t.collab.readState(documentId);
    await updates.append([{ documentId, data: updateToMatch(state, next), userId: fixture.users.drafter!.id }]);
  }

  it('lets the Secretariat freeze the live draft with a label, meeting and note, hashed and audit-logged', async () => {
    const res = await freeze('sec', { label: 'Zero draft', meeting: 'First plenary', note: '  For discussion. ' });
    expect(res.status).toBe(201);
    const { version } = (await res.json()) as { version: Record<string, unknown> };
    expect(version).toMatchObject({
      seq: 1,
      label: 'Zero draft',
      meeting: 'First plenary',
      note: 'For discussion.',
      frozenBy: { id: fixture.users.sec!.id, name: 'Amara Sec' },
    });
    expect(version.hash).toMatch(/^[0-9a-f]{64}$/);
    const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
    expect(entry).toMatchObject({ action: 'version.frozen', detail: { label: 'Zero draft', hash: version.hash } });
    expect(t.collab.published.at(-1)?.event).toMatchObject({ type: 'version.frozen', documentId });
  });

  it('refuses a freeze by a drafter (403), a duplicate label (409) and a missing label (400)', async () => {
    expect((await freeze('drafter', { label: 'Rev.9' })).status).toBe(403);
    const dup = await freeze('chair', { label: 'zero DRAFT' });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toEqual({ error: { code: 'conflict', message: 'A version labelled "zero DRAFT" already exists.' } });
    const bad = await freeze('sec', { label: '   ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
  });

  it('shows the timeline to readers, 403 to a validator and 404 to a non-member', async () => {
    const res = await request('observer', `/api/documents/${documentId}/versions`);
    expect(res.status).toBe(200);
    const { versions } = (await res.json()) as { versions: { label: string }[] };
    expect(versions.map((v) => v.label)).toEqual(['Zero draft']);
    expect((await request('validator', `/api/documents/${documentId}/versions`)).status).toBe(403);
    expect((await request('outsider', `/api/documents/${documentId}/versions`)).status).toBe(404);
  });

  it('serves the content file whose SHA-256 is the version hash, and verifies it', async () => {
    const { versions } = (await (await request('sec', `/api/documents/${documentId}/versions`)).json()) as {
      versions: { id: string; hash: string }[];
    };
    const v = versions[0]!;
    const file = await request('observer', `/api/documents/${documentId}/versions/${v.id}/content`);
    expect(file.headers.get('content-disposition')).toContain('Zero-draft.accord.json');
    const text = await file.text();
    expect(await sha256Hex(text)).toBe(v.hash);
    expect(await verifyVersionText(JSON.stringify(JSON.parse(text), null, 2), v.hash)).toMatchObject({ ok: true });
    const tampered = text.replace('at every stage', 'at some stages');
    expect(await verifyVersionText(tampered, v.hash)).toMatchObject({ ok: false, reason: 'mismatch' });
    const check = await request('observer', `/api/documents/${documentId}/versions/${v.id}/verify`);
    expect(await check.json()).toEqual({ ok: true, storedHash: v.hash, computedHash: v.hash });
  });

  it('returns the version text as frozen, with its numbering, even after the live draft changed', async () => {
    await edit(framework([clause({ id: 'c-3' }, 'A clause added after the freeze.')]));
    const { versions } = (await (await request('sec', `/api/documents/${documentId}/versions`)).json()) as {
      versions: { id: string }[];
    };
    const res = await request('drafter', `/api/documents/${documentId}/versions/${versions[0]!.id}`);
    const body = (await res.json()) as { content: { doc: ProseMirrorJson; numbering: unknown } };
    expect(schema.nodeFromJSON(body.content.doc).eq(framework())).toBe(true);
    expect(body.content.numbering).toEqual({ objectives: { 'o-1': '1' }, clauses: { 'c-1': '1.1', 'c-2': '1.2' } });
    expect((await request('drafter', `/api/documents/${documentId}/versions/nope`)).status).toBe(404);
  });

  it('compares a version with the live draft clause by clause', async () => {
    const { versions } = (await (await request('sec', `/api/documents/${documentId}/versions`)).json()) as {
      versions: { id: string }[];
    };
    const res = await request('observer', `/api/documents/${documentId}/compare?from=${versions[0]!.id}&to=live`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      from: { label: string };
      to: { kind: string };
      comparison: { summary: string; clauses: { id: string; changes: string[] }[] };
    };
    expect(body.from.label).toBe('Zero draft');
    expect(body.to.kind).toBe('live');
    expect(body.comparison.summary).toBe('1 clause added.');
    expect(body.comparison.clauses.map((c) => [c.id, c.changes])).toEqual([
      ['c-1', []],
      ['c-2', []],
      ['c-3', ['added']],
    ]);
    expect((await request('observer', `/api/documents/${documentId}/compare?from=nope&to=live`)).status).toBe(404);
    expect((await request('observer', `/api/documents/${documentId}/compare?from=a%20b&to=live`)).status).toBe(400);
  });

  it('restores a version as a new forward edit, for the chairs only and only when confirmed', async () => {
    const { versions } = (await (await request('sec', `/api/documents/${documentId}/versions`)).json()) as {
      versions: { id: string }[];
    };
    const path = `/api/documents/${documentId}/versions/${versions[0]!.id}/restore`;
    expect((await request('drafter', path, { method: 'POST', body: { confirm: true } })).status).toBe(403);
    expect((await request('sec', path, { method: 'POST', body: {} })).status).toBe(400);
    const before = await t.collab.readState(documentId);
    const res = await request('chair', path, { method: 'POST', body: { confirm: true } });
    expect(res.status).toBe(200);
    const recorded = t.collab.serverUpdates.at(-1)!;
    expect(recorded.actorId).toBe(fixture.users.chair!.id);
    // The live history is kept: the update applies on top of the current state and yields the frozen text.
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, before);
    Y.applyUpdate(ydoc, recorded.update);
    expect(decodeDocState(Y.encodeStateAsUpdate(ydoc)).eq(framework())).toBe(true);
    // The clause added after the freeze is deleted by the update, not dropped from history.
    const { structs, ds } = Y.decodeUpdate(recorded.update);
    expect(structs).toHaveLength(0);
    expect(ds.clients.size).toBeGreaterThan(0);
    const [entry] = await auditLogFor(t.ctx.store).list({ documentId, limit: 1 });
    expect(entry).toMatchObject({ action: 'version.restored', actorId: fixture.users.chair!.id });
  });

  it('numbers the live draft "bis" against the last freeze once the Secretariat turns the setting on', async () => {
    const path = `/api/documents/${documentId}/numbering`;
    expect(await (await request('drafter', path)).json()).toEqual({ bisNumbering: false, baseline: null, basedOn: null });
    expect((await request('chair', path, { method: 'PUT', body: { bisNumbering: true } })).status).toBe(403);
    const res = await request('sec', path, { method: 'PUT', body: { bisNumbering: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      bisNumbering: true,
      baseline: { clauses: { 'c-1': '1.1', 'c-2': '1.2' } },
      basedOn: { label: 'Zero draft' },
    });
    const detail = (await (await request('drafter', `/api/documents/${documentId}`)).json()) as {
      settings: { bisNumbering: boolean };
    };
    expect(detail.settings.bisNumbering).toBe(true);
  });

  it('freezes the clause statuses, evidence links and open threads of the moment with the text and its Yjs state', async () => {
    const api = (who: string, method: string, path: string, body?: unknown) => request(who, path, { method, body });
    expect((await api('chair', 'PUT', `/api/documents/${documentId}/clauses/c-2/status`, { status: 'agreed' })).status).toBe(200);
    const reportRes = await api('drafter', 'POST', `/api/dialogues/${fixture.dialogue.id}/evidence/reports`, {
      country: 'Veloria',
      kind: 'national_consultation',
      date: '2029-03-14',
      title: 'Coastal hearings',
      text: 'Women asked to sit at every table.',
    });
    const report = ((await reportRes.json()) as { report: { id: string } }).report;
    const excerptRes = await api('drafter', 'POST', `/api/dialogues/${fixture.dialogue.id}/evidence/reports/${report.id}/excerpts`, {
      start: 0,
      end: 34,
      quote: 'Women asked to sit at every table.',
    });
    const excerpt = ((await excerptRes.json()) as { excerpt: { id: string } }).excerpt;
    const linkRes = await api('drafter', 'POST', `/api/documents/${documentId}/evidence/links`, {
      clauseId: 'c-1',
      excerptId: excerpt.id,
      relation: 'supports',
      note: 'Why 1.1 says every stage.',
    });
    expect(linkRes.status).toBe(201);
    const threadRes = await api('drafter', 'POST', `/api/documents/${documentId}/threads`, {
      anchor: { kind: 'clause', clauseId: 'c-2' },
      body: 'Published where?',
    });
    expect(threadRes.status).toBe(201);
    const threadId = ((await threadRes.json()) as { thread: { id: string } }).thread.id;

    const frozen = await freeze('sec', { label: 'With records' });
    expect(frozen.status).toBe(201);
    const { version } = (await frozen.json()) as { version: { id: string; hash: string } };
    // Later changes to the records do not reach the version.
    expect((await api('chair', 'PUT', `/api/documents/${documentId}/clauses/c-2/status`, { status: 'proposed' })).status).toBe(200);
    const link = ((await linkRes.json()) as { link: { id: string } }).link;
    expect((await api('drafter', 'DELETE', `/api/documents/${documentId}/evidence/links/${link.id}`)).status).toBe(204);

    const file = await (await request('observer', `/api/documents/${documentId}/versions/${version.id}/content`)).text();
    expect(await sha256Hex(file)).toBe(version.hash);
    const content = JSON.parse(file) as {
      doc: ProseMirrorJson;
      yjsStateSha256: string;
      parts: {
        clauseStatus: Record<string, string>;
        evidenceLinks: { clauseId: string; excerptId: string; reportId: string; relation: string; note: string }[];
        openThreads: { id: string; clauseId: string | null; messages: { text: string }[] }[];
      };
    };
    expect(content.parts.clauseStatus).toMatchObject({ 'c-1': 'draft', 'c-2': 'agreed' });
    expect(content.parts.evidenceLinks).toEqual([
      { clauseId: 'c-1', excerptId: excerpt.id, reportId: report.id, relation: 'supports', note: 'Why 1.1 says every stage.' },
    ]);
    expect(content.parts.openThreads.find((th) => th.id === threadId)).toMatchObject({
      clauseId: 'c-2',
      messages: [expect.objectContaining({ text: 'Published where?' })],
    });
    // The encoded Yjs state is stored with the version, bound to the content by its hash, and holds the same text.
    const state = new Uint8Array(await (await request('observer', `/api/documents/${documentId}/versions/${version.id}/state`)).arrayBuffer());
    expect(await sha256Hex(state)).toBe(content.yjsStateSha256);
    expect(decodeDocState(state).eq(schema.nodeFromJSON(content.doc))).toBe(true);
  });

  it('exports a version with its label and hash, and the live draft, in every format', async () => {
    const { versions } = (await (await request('sec', `/api/documents/${documentId}/versions`)).json()) as {
      versions: { id: string; hash: string }[];
    };
    const v = versions[0]!;
    for (const format of ['docx', 'pdf', 'md', 'html', 'akn']) {
      const res = await request('observer', `/api/documents/${documentId}/versions/${v.id}/export?format=${format}`);
      expect(res.status, format).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('Coastal-framework-Zero-draft');
      expect(Number(res.headers.get('content-length'))).toBe((await res.arrayBuffer()).byteLength);
    }
    const md = await (await request('observer', `/api/documents/${documentId}/versions/${v.id}/export?format=md`)).text();
    expect(md).toContain(`SHA-256 ${v.hash}`);
    expect(md).toContain('Zero draft — First plenary');
    const live = await request('observer', `/api/documents/${documentId}/export?format=html&status=1`);
    expect(live.status).toBe(200);
    expect(await live.text()).toContain('not a tabled version');
    const bad = await request('observer', `/api/documents/${documentId}/export?format=odt`);
    expect(bad.status).toBe(400);
    expect((await request('validator', `/api/documents/${documentId}/export?format=md`)).status).toBe(403);
    // Clause statuses and the consultation annex are parts every freeze and export carries.
    expect(await (await request('observer', `/api/documents/${documentId}/export/options`)).json()).toMatchObject({
      status: true,
      annex: true,
    });
  });
});
