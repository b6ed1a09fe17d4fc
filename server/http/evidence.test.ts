import {
  coverageSchema,
} from '@shared/evidence/coverage';
import { consultationRecordSchema } from '@shared/evidence/record';
import { clause, doc, heading, objective, rationale, title } from '@tests/helpers/builders';
import { docxFile, pdfFile } from '@tests/helpers/fileFixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedDialogue, createDialogueWithMembers } from '../seed/fixtures';
import { auditLogFor } from '../store/auditLog';
import { testStoreKinds } from '../store/testStores';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const kinds = await testStoreKinds();

/** The framework the tests link to: two objectives, three clauses. */
const framework = doc(
  title('Coastal framework'),
  objective({ id: 'o-a' }, heading('Fisheries'), rationale('Why.'), clause({ id: 'c-a1' }, 'Quotas are shared.'), clause({ id: 'c-a2' }, 'Harbours are rebuilt.')),
  objective({ id: 'o-b' }, heading('Coasts'), rationale('Why.'), clause({ id: 'c-b1' }, 'Mangroves are protected.')),
).toJSON();

type Json = Record<string, unknown>;

describe.each(kinds)('the evidence API on %s', (kind) => {
  let t: TestApp;
  let f: CreatedDialogue;
  let other: CreatedDialogue;
  const cookies: Record<string, string> = {};
  let base: string;
  let docBase: string;

  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { cookie: cookies[who] ?? '' } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await t.app.request(path, init);
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json: json as Json & { error?: { code: string; message: string } }, text, headers: res.headers };
  };

  const newReport = async (fields: Partial<Record<string, string>> & { text: string }, who = 'drafter') => {
    const res = await call(who, 'POST', `${base}/reports`, {
      country: 'Veloria',
      kind: 'national_consultation',
      focalPoint: 'Office of the Dialogue',
      date: '2029-03-14',
      title: 'A report',
      ...fields,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return (res.json as { report: { id: string; text: string } }).report;
  };

  const newExcerpt = async (report: { id: string; text: string }, quote: string, themes: string[] = [], who = 'drafter') => {
    const start = report.text.indexOf(quote);
    const res = await call(who, 'POST', `${base}/reports/${report.id}/excerpts`, { start, end: start + quote.length, quote, themes });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return (res.json as { excerpt: { id: string } }).excerpt;
  };

  const countRows = async () => ({
    reports: (await t.ctx.store.db.selectFrom('evidence_reports').select('id').execute()).length,
    audit: (await t.ctx.store.db.selectFrom('audit_log').select('id').execute()).length,
  });

  beforeAll(async () => {
    t = await createTestApp({ kind });
    f = await createDialogueWithMembers(t.ctx, {
      members: [
        { key: 'secretariat', role: 'secretariat' },
        { key: 'co_chair', role: 'co_chair' },
        { key: 'drafter', role: 'drafter', name: 'Tomas Drafter' },
        { key: 'panel', role: 'panel' },
        { key: 'observer', role: 'observer' },
        { key: 'validator', role: 'validator' },
        { key: 'outsider', role: null },
      ],
      document: { title: 'Coastal framework', content: framework },
    });
    other = await createDialogueWithMembers(t.ctx, {
      members: [{ key: 'stranger', role: 'secretariat' }],
      document: { title: 'Other' },
    });
    for (const [key, user] of Object.entries({ ...f.users, ...other.users })) cookies[key] = await sessionCookie(t.ctx, user.id);
    base = `/api/dialogues/${f.dialogue.id}/evidence`;
    docBase = `/api/documents/${f.documentId}/evidence`;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('permissions', () => {
    const readers = ['secretariat', 'co_chair', 'drafter', 'panel', 'observer'];
    const managers = ['secretariat', 'co_chair', 'drafter'];
    const everyone = [...readers, 'validator', 'outsider', 'stranger'];
    const expected = (who: string, allowed: string[], ok: number) =>
      allowed.includes(who) ? ok : who === 'outsider' || who === 'stranger' ? 404 : 403;

    it('lets every role that reads the live draft read the library, links, coverage and record, and no one else', async () => {
      const report = await newReport({ text: 'Readers may read this.' });
      for (const who of everyone) {
        for (const path of [`${base}/reports`, `${base}/reports/${report.id}`, `${base}/facets`, `${base}/excerpts`, `${docBase}/links`, `${docBase}/coverage`, `${docBase}/record`]) {
          const res = await call(who, 'GET', path);
          expect(res.status, `${who} GET ${path}`).toBe(expected(who, readers, 200));
        }
      }
    });

    it('lets only the Secretariat, Co-Chairs and drafters create, change and delete reports, excerpts and links', async () => {
      for (const who of everyone) {
        const created = await call(who, 'POST', `${base}/reports`, {
          country: 'Marisca',
          kind: 'thematic_meeting',
          date: '2029-06-11',
          title: `By ${who}`,
          text: 'Archives must be kept safe.',
        });
        expect(created.status, `${who} creates a report`).toBe(expected(who, managers, 201));
      }
      const report = await newReport({ text: 'Managers only. Archives must be kept safe.' });
      const excerpt = await newExcerpt(report, 'Archives must be kept safe.');
      for (const who of everyone) {
        const patch = await call(who, 'PATCH', `${base}/reports/${report.id}`, { focalPoint: `Edited by ${who}` });
        expect(patch.status, `${who} edits a report`).toBe(expected(who, managers, 200));
        const ex = await call(who, 'POST', `${base}/reports/${report.id}/excerpts`, { start: 0, end: 8, quote: 'Managers', themes: [who] });
        expect(ex.status, `${who} saves an excerpt`).toBe(expected(who, managers, 201));
        const link = await call(who, 'POST', `${docBase}/links`, { clauseId: 'c-a1', excerptId: excerpt.id, relation: 'supports' });
        expect(link.status, `${who} links`).toBe(expected(who, managers, 201));
        if (link.status === 201) {
          const id = (link.json as { link: { id: string } }).link.id;
          expect((await call(who, 'DELETE', `${docBase}/links/${id}`)).status).toBe(204);
        }
      }
      // Unlinking, deleting excerpts and reports is refused to readers too.
      const link = await call('drafter', 'POST', `${docBase}/links`, { clauseId: 'c-a1', excerptId: excerpt.id, relation: 'supports' });
      const linkId = (link.json as { link: { id: string } }).link.id;
      for (const who of ['panel', 'observer', 'validator']) {
        expect((await call(who, 'DELETE', `${docBase}/links/${linkId}`)).status).toBe(403);
        expect((await call(who, 'DELETE', `${base}/excerpts/${excerpt.id}`)).status).toBe(403);
        expect((await call(who, 'DELETE', `${base}/reports/${report.id}`)).status).toBe(403);
      }
      expect((await call('stranger', 'DELETE', `${docBase}/links/${linkId}`)).status).toBe(404);
    });

    it('never shows a report of another dialogue, even by its id', async () => {
      const theirs = await call('stranger', 'POST', `/api/dialogues/${other.dialogue.id}/evidence/reports`, {
        country: 'Kestrania',
        kind: 'expert_input',
        date: '2029-01-01',
        title: 'Theirs',
        text: 'Private.',
      });
      expect(theirs.status).toBe(201);
      const id = (theirs.json as { report: { id: string } }).report.id;
      expect((await call('secretariat', 'GET', `${base}/reports/${id}`)).status).toBe(404);
      expect((await call('secretariat', 'GET', `${base}/reports?q=private`)).json).toMatchObject({ total: 0 });
    });
  });

  describe('reports and excerpts', () => {
    it('creates a report by hand, keeps its text, audit-logs it and announces it to the dialogue’s documents', async () => {
      t.collab.published.length = 0;
      const report = await newReport({ title: 'Listening sessions', text: 'Line one.\r\nLine two.' });
      expect(report.text).toBe('Line one.\nLine two.');
      expect(report).toMatchObject({ title: 'Listening sessions', source: 'manual', excerptCount: 0, createdBy: { name: 'Tomas Drafter' } });
      expect(t.collab.published.map((p) => p.event)).toContainEqual(
        expect.objectContaining({ type: 'evidence.library_changed', documentId: f.documentId, what: 'report', change: 'created' }),
      );
      const entries = await auditLogFor(t.ctx.store).list({ dialogueId: f.dialogue.id, limit: 5 });
      expect(entries[0]).toMatchObject({ action: 'evidence.report_created', detail: expect.objectContaining({ reportId: report.id }) });
      expect(await auditLogFor(t.ctx.store).verifyChain()).toMatchObject({ ok: true });
    });

    it('audit-logs and announces every change to reports and excerpts, by whom it was made', async () => {
      const report = await newReport({ title: 'Logged report', text: 'Every change is logged here.' });
      const excerpt = await newExcerpt(report, 'Every change', ['audit']);
      t.collab.published.length = 0;
      expect((await call('co_chair', 'PATCH', `${base}/reports/${report.id}`, { focalPoint: 'New focal point' })).status).toBe(200);
      expect((await call('co_chair', 'PATCH', `${base}/excerpts/${excerpt.id}`, { themes: ['audit', 'logs'], note: 'Seen.' })).status).toBe(200);
      expect((await call('co_chair', 'DELETE', `${base}/excerpts/${excerpt.id}`)).status).toBe(204);
      expect((await call('co_chair', 'DELETE', `${base}/reports/${report.id}`)).status).toBe(204);
      const entries = (await auditLogFor(t.ctx.store).list({ dialogueId: f.dialogue.id, limit: 6 })).reverse();
      expect(entries.map((e) => [e.action, e.actorId])).toEqual([
        ['evidence.report_created', f.users.drafter!.id],
        ['evidence.excerpt_created', f.users.drafter!.id],
        ['evidence.report_updated', f.users.co_chair!.id],
        ['evidence.excerpt_updated', f.users.co_chair!.id],
        ['evidence.excerpt_deleted', f.users.co_chair!.id],
        ['evidence.report_deleted', f.users.co_chair!.id],
      ]);
      expect(entries.every((e) => JSON.stringify(e.detail).includes(report.id))).toBe(true);
      expect(t.collab.published.map((p) => p.event)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'evidence.library_changed', documentId: f.documentId, what: 'report', change: 'updated' }),
          expect.objectContaining({ type: 'evidence.library_changed', documentId: f.documentId, what: 'excerpt', change: 'updated' }),
          expect.objectContaining({ type: 'evidence.library_changed', documentId: f.documentId, what: 'excerpt', change: 'deleted' }),
          expect.objectContaining({ type: 'evidence.library_changed', documentId: f.documentId, what: 'report', change: 'deleted' }),
        ]),
      );
    });

    it('answers invalid reports with 400 naming the field', async () => {
      const res = await call('drafter', 'POST', `${base}/reports`, { country: '', kind: 'gossip', date: '2029-02-30', title: 'x', text: ' ' });
      expect(res.status).toBe(400);
      expect(res.json.error?.code).toBe('invalid_input');
      expect(res.json.error?.message).toMatch(/country|kind|date|text/);
    });

    it('saves an excerpt only when its quote is the text at its offsets, and lists excerpts in text order', async () => {
      const report = await newReport({ text: 'Alpha beta gamma. Delta epsilon.' });
      const wrong = await call('drafter', 'POST', `${base}/reports/${report.id}/excerpts`, { start: 0, end: 5, quote: 'Gamma' });
      expect(wrong.status).toBe(400);
      const outside = await call('drafter', 'POST', `${base}/reports/${report.id}/excerpts`, { start: 30, end: 40, quote: '0123456789' });
      expect(outside.status).toBe(400);
      await newExcerpt(report, 'Delta epsilon.', ['Youth  Participation', 'youth participation', 'Budgets']);
      await newExcerpt(report, 'Alpha beta');
      const detail = await call('observer', 'GET', `${base}/reports/${report.id}`);
      const excerpts = (detail.json as { report: { excerpts: { quote: string; themes: string[] }[] } }).report.excerpts;
      expect(excerpts.map((e) => e.quote)).toEqual(['Alpha beta', 'Delta epsilon.']);
      expect(excerpts[1]?.themes).toEqual(['youth participation', 'budgets']);
    });

    it('deletes a report with its excerpts and links, and tells the document which clauses lost evidence', async () => {
      const report = await newReport({ text: 'Doomed passage here.' });
      const excerpt = await newExcerpt(report, 'Doomed passage');
      await call('drafter', 'POST', `${docBase}/links`, { clauseId: 'c-b1', excerptId: excerpt.id, relation: 'challenges' });
      t.collab.published.length = 0;
      expect((await call('co_chair', 'DELETE', `${base}/reports/${report.id}`)).status).toBe(204);
      expect((await call('co_chair', 'GET', `${base}/reports/${report.id}`)).status).toBe(404);
      const links = (await call('observer', 'GET', `${docBase}/links?clauseId=c-b1`)).json as { links: { excerpt: { id: string } }[] };
      expect(links.links.some((l) => l.excerpt.id === excerpt.id)).toBe(false);
      expect(t.collab.published.map((p) => p.event)).toContainEqual(
        expect.objectContaining({ type: 'evidence.links_changed', clauseIds: ['c-b1'], change: 'deleted' }),
      );
    });
  });

  describe('links', () => {
    it('links an excerpt to a clause with relation and note, refuses duplicates and unknown clauses, and unlinks', async () => {
      const report = await newReport({ country: 'Orlandia', text: 'Hire locally wherever quality allows.' });
      const excerpt = await newExcerpt(report, 'Hire locally');
      t.collab.published.length = 0;
      const res = await call('drafter', 'POST', `${docBase}/links`, { clauseId: 'c-a2', excerptId: excerpt.id, relation: 'supports', note: 'Local jobs.' });
      expect(res.status).toBe(201);
      const link = (res.json as { link: Json & { id: string } }).link;
      expect(link).toMatchObject({
        clauseId: 'c-a2',
        relation: 'supports',
        note: 'Local jobs.',
        createdBy: { name: 'Tomas Drafter' },
        excerpt: { id: excerpt.id, quote: 'Hire locally' },
        report: { country: 'Orlandia', kind: 'national_consultation' },
      });
      expect(t.collab.published.map((p) => p.event)).toEqual([
        { type: 'evidence.links_changed', documentId: f.documentId, clauseIds: ['c-a2'], linkId: link.id, change: 'created' },
      ]);
      const again = await call('co_chair', 'POST', `${docBase}/links`, { clauseId: 'c-a2', excerptId: excerpt.id, relation: 'challenges' });
      expect(again.status).toBe(409);
      expect(again.json.error?.message).toContain('1.2');
      const ghost = await call('drafter', 'POST', `${docBase}/links`, { clauseId: 'c-nowhere', excerptId: excerpt.id, relation: 'supports' });
      expect(ghost.status).toBe(404);
      const patched = await call('co_chair', 'PATCH', `${docBase}/links/${link.id}`, { relation: 'challenges' });
      expect((patched.json as { link: Json }).link).toMatchObject({ relation: 'challenges', note: 'Local jobs.' });
      expect((await call('drafter', 'DELETE', `${docBase}/links/${link.id}`)).status).toBe(204);
      expect((await call('drafter', 'DELETE', `${docBase}/links/${link.id}`)).status).toBe(404);
      const actions = (await auditLogFor(t.ctx.store).list({ documentId: f.documentId ?? undefined, limit: 3 })).map((e) => e.action);
      expect(actions).toEqual(['evidence.link_deleted', 'evidence.link_updated', 'evidence.link_created']);
    });
  });

  // Word and PDF files are parsed in a worker thread, which takes a moment to start on a busy machine.
  describe('imports', { timeout: 30_000 }, () => {
    const form = (file: Blob, name: string, fields: Record<string, string> = {}) => {
      const data = new FormData();
      data.set('country', fields.country ?? 'Kestrania');
      data.set('kind', fields.kind ?? 'national_consultation');
      data.set('date', fields.date ?? '2029-04-02');
      data.set('focalPoint', 'Council for Civic Dialogue');
      if (fields.title) data.set('title', fields.title);
      data.set('file', file, name);
      return data;
    };
    const blob = (bytes: Uint8Array | string, type = '') => new Blob([bytes as BlobPart], { type });

    it('imports plain text, Markdown, DOCX and PDF files with their text extracted', async () => {
      const cases = [
        { name: 'forum.txt', bytes: blob('Forum notes\n\nDelegates favoured a binding timetable.', 'text/plain'), title: 'Forum notes', text: 'binding timetable' },
        { name: 'assembly.md', bytes: blob('# National assembly\n\nA **light**, peer-based review.'), title: 'National assembly', text: 'A light, peer-based review.' },
        {
          name: 'kestrania.docx',
          bytes: blob(await docxFile({ title: 'Kestrania report', paragraphs: ['Resources should follow responsibilities.'] })),
          title: 'Kestrania report',
          text: 'Resources should follow responsibilities.',
        },
        {
          name: 'survey.pdf',
          bytes: blob(pdfFile({ title: 'Survey results', pages: [['Nine thousand people answered.'], ['Regional forums followed.']] })),
          title: 'Survey results',
          text: 'Regional forums followed.',
        },
      ];
      for (const c of cases) {
        const res = await call('drafter', 'POST', `${base}/imports?uploadId=upload-${c.name.replace('.', '-')}`, form(c.bytes, c.name));
        expect(res.status, `${c.name}: ${res.text}`).toBe(201);
        const report = (res.json as { report: { id: string; title: string; text: string; source: string; sourceFilename: string } }).report;
        expect(report.title).toBe(c.title);
        expect(report.text).toContain(c.text);
        expect(report.sourceFilename).toBe(c.name);
        const progress = await call('drafter', 'GET', `${base}/imports/upload-${c.name.replace('.', '-')}`);
        expect(progress.json).toMatchObject({ state: 'done', reportId: report.id });
      }
      const found = await call('observer', 'GET', `${base}/reports?q=${encodeURIComponent('"regional forums"')}`);
      expect((found.json as { reports: { title: string }[] }).reports.map((r) => r.title)).toEqual(['Survey results']);
    });

    it('answers a corrupt, empty, unknown or oversized file with a clear 4xx and leaves nothing behind', async () => {
      const before = await countRows();
      const docx = await docxFile({ title: 'T', paragraphs: ['x'] });
      const cases = [
        { name: 'broken.docx', bytes: blob(docx.slice(0, 200)), status: 422, code: 'unreadable_file' },
        { name: 'broken.pdf', bytes: blob('%PDF-1.4\n1 0 obj garbage'), status: 422, code: 'unreadable_file' },
        { name: 'scan.pdf', bytes: blob(pdfFile({ pages: [[]] })), status: 422, code: 'unreadable_file' },
        { name: 'empty.txt', bytes: blob(''), status: 422, code: 'unreadable_file' },
        { name: 'sheet.xlsx', bytes: blob('x'), status: 415, code: 'unsupported_file' },
        { name: 'huge.txt', bytes: blob(new Uint8Array(21 * 1024 * 1024).fill(97)), status: 413, code: 'payload_too_large' },
      ];
      for (const c of cases) {
        const res = await call('drafter', 'POST', `${base}/imports?uploadId=bad-${c.name.replace('.', '-')}`, form(c.bytes, c.name));
        expect(res.status, `${c.name}: ${res.text}`).toBe(c.status);
        expect(res.json.error?.code, c.name).toBe(c.code);
        expect(res.json.error?.message.length).toBeGreaterThan(10);
      }
      expect(await countRows()).toEqual(before);
      expect((await call('drafter', 'GET', `${base}/imports/bad-broken-pdf`)).json).toMatchObject({ state: 'failed', error: { code: 'unreadable_file' } });
    });

    it('refuses an import without the report’s fields, and to readers', async () => {
      const data = new FormData();
      data.set('file', blob('text'), 'a.txt');
      expect((await call('drafter', 'POST', `${base}/imports`, data)).status).toBe(400);
      expect((await call('panel', 'POST', `${base}/imports`, form(blob('text'), 'a.txt'))).status).toBe(403);
    });
  });

  describe('coverage and record', () => {
    it('reports uncovered clauses and uncited reports, exports CSV, and builds the record of consultation', async () => {
      // A fresh dialogue, so that earlier tests' reports do not count.
      const g = await createDialogueWithMembers(t.ctx, {
        members: [{ key: 'd', role: 'drafter' }],
        document: { title: 'Coverage framework', content: framework },
      });
      const cookie = await sessionCookie(t.ctx, g.users.d?.id ?? '');
      const req = async (method: string, path: string, body?: unknown) => {
        const res = await t.app.request(path, {
          method,
          headers: { cookie, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, text: await res.text(), headers: res.headers };
      };
      const lib = `/api/dialogues/${g.dialogue.id}/evidence`;
      const make = async (country: string, text: string) => {
        const res = await req('POST', `${lib}/reports`, { country, kind: 'national_consultation', date: '2029-01-01', title: `${country} report`, text });
        const report = (JSON.parse(res.text) as { report: { id: string } }).report;
        const ex = await req('POST', `${lib}/reports/${report.id}/excerpts`, { start: 0, end: text.length, quote: text });
        return { report, excerpt: (JSON.parse(ex.text) as { excerpt: { id: string } }).excerpt };
      };
      const veloria = await make('Veloria', 'Share the quotas.');
      const orlandia = await make('Orlandia', 'Do not share quotas.');
      await make('Marisca', 'Nobody cites this.');
      const links = `/api/documents/${g.documentId}/evidence/links`;
      await req('POST', links, { clauseId: 'c-a1', excerptId: veloria.excerpt.id, relation: 'supports' });
      await req('POST', links, { clauseId: 'c-a1', excerptId: orlandia.excerpt.id, relation: 'challenges' });
      await req('POST', links, { clauseId: 'c-b1', excerptId: veloria.excerpt.id, relation: 'supports', note: 'Also coasts.' });

      const res = await req('GET', `/api/documents/${g.documentId}/evidence/coverage`);
      const coverage = coverageSchema.parse(JSON.parse(res.text));
      expect(coverage.countries).toEqual(['Marisca', 'Orlandia', 'Veloria']);
      expect(coverage.uncoveredClauses).toEqual([{ id: 'c-a2', number: '1.2' }]);
      expect(coverage.uncitedReports.map((r) => r.country)).toEqual(['Marisca']);
      expect(coverage.objectives[0]?.clauses[0]?.cells.map((c) => [c.supports, c.challenges])).toEqual([
        [0, 0],
        [0, 1],
        [1, 0],
      ]);
      expect(coverage.totals).toMatchObject({ clauses: 3, coveredClauses: 2, reports: 3, citedReports: 2 });

      const csv = await req('GET', `/api/documents/${g.documentId}/evidence/coverage?format=csv`);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('content-disposition')).toContain('coverage-framework-coverage.csv');
      const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('Objective,Clause,Text,Marisca,Orlandia,Veloria,Supports,Challenges,Covered');
      expect(lines).toContain('1,1.1,Quotas are shared.,,challenges 1,supports 1,1,1,yes');
      expect(lines).toContain('1,1.2,Harbours are rebuilt.,,,,0,0,no');
      const reportsCsv = await req('GET', `/api/documents/${g.documentId}/evidence/coverage?format=csv&table=reports`);
      expect(reportsCsv.text).toContain('Marisca,national_consultation,2029-01-01,Marisca report,0,0,,no');

      const record = consultationRecordSchema.parse(JSON.parse((await req('GET', `/api/documents/${g.documentId}/evidence/record`)).text));
      const c11 = record.objectives[0]?.clauses[0];
      expect(c11?.informedBy.map((s) => s.country)).toEqual(['Veloria']);
      expect(c11?.challengedBy.map((s) => s.quote)).toEqual(['Do not share quotas.']);
      expect(record.consultations.map((c) => c.country)).toEqual(['Orlandia', 'Veloria']);
      const md = await req('GET', `/api/documents/${g.documentId}/evidence/record?format=markdown`);
      expect(md.text).toContain('### Clause 1.1');
      expect(md.text).toContain('**Challenged by:**');
      const html = await req('GET', `/api/documents/${g.documentId}/evidence/record?format=html`);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(html.text).toContain('<h3>Clause 2.1</h3>');
      expect(html.text).toContain('Note: Also coasts.');
    });
  });
});
