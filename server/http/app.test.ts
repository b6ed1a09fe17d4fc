import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDialogueWithMembers, FIXTURE_PASSWORD } from '../seed/fixtures';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

type ErrorJson = { error: { code: string; message: string } };

describe('the HTTP app', () => {
  let t: TestApp;
  let email: string;
  let cookie: string;

  beforeEach(async () => {
    t = await createTestApp({ env: { ACCORD_ORIGINS: 'http://localhost:5173' } });
    const { users } = await createDialogueWithMembers(t.ctx, { members: [{ key: 'ana', role: 'drafter' }] });
    email = users.ana?.email as string;
    cookie = await sessionCookie(t.ctx, users.ana?.id as string);
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers /healthz with {"ok":true} and a request id', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses a state-changing request from a foreign Origin with 403 forbidden_origin', async () => {
    const body = JSON.stringify({ email, password: FIXTURE_PASSWORD });
    const res = await post('http://accord.test/api/session', body, {
      origin: 'https://evil.example',
      host: 'accord.test',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe('forbidden_origin');
    const del = await t.app.request('http://accord.test/api/session', {
      method: 'DELETE',
      headers: { origin: 'https://evil.example', cookie },
    });
    expect(del.status).toBe(403);
    expect((await t.app.request('/api/session', { headers: { cookie } })).status).toBe(200);
  });

  it('accepts a state-changing request from its own origin and from a configured one', async () => {
    const body = JSON.stringify({ email, password: FIXTURE_PASSWORD });
    expect(
      (await post('http://accord.test/api/session', body, { origin: 'http://accord.test' })).status,
    ).toBe(200);
    expect(
      (await post('http://accord.test/api/session', body, { origin: 'http://localhost:5173' })).status,
    ).toBe(200);
  });

  it('answers malformed JSON with 400 invalid_json and no stack trace', async () => {
    const res = await post('/api/session', '{"email": ');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
    expect(text).not.toMatch(/at .*\.(ts|js)|stack/i);
  });

  it('answers wrong types with 400 invalid_input naming the field', async () => {
    const res = await post('/api/session', JSON.stringify({ email: 42, password: 'x' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/^Invalid body: email: /);
  });

  it('answers a body over 1 MB with 413', async () => {
    const res = await post('/api/session', JSON.stringify({ email, password: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorJson).error.code).toBe('payload_too_large');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorJson).error.code).toBe('not_found');
  });

  it('answers a server failure with a bare 500 that reveals nothing', async () => {
    await t.ctx.store.db.schema.dropTable('documents').execute();
    const res = await t.app.request('/api/documents', { headers: { cookie } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: { code: 'internal', message: 'Something went wrong on the server.' },
    });
  });

  it('says how to build the client when it is not built', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build');
  });
});

describe('the built client', () => {
  let t: TestApp;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-client-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Accord</title>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
    t = await createTestApp({ env: { ACCORD_CLIENT_DIR: dir } });
  });
  afterEach(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves its files and index.html for client routes, but never for API paths', async () => {
    const asset = await t.app.request('/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    for (const path of ['/', '/documents/abc123']) {
      const res = await t.app.request(path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Accord</title>');
    }
    expect((await t.app.request('/api/unknown')).headers.get('content-type')).toContain('application/json');
    expect((await t.app.request('/collab/abc')).status).toBe(404);
  });
});
