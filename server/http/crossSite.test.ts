/**
 * Cross-site defences of the REST API (issue 8, "Access"): every state-changing route refuses a
 * foreign Origin before doing anything; every cookie Accord sets is HttpOnly, SameSite and Secure
 * behind TLS; a session id never survives a sign-in; sign-in throttling cannot be dodged with a
 * forged forwarding header. (The WebSocket upgrade's Origin check: tests/integration/collab.upgrade.test.ts.)
 */
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { databaseFingerprint } from '@tests/helpers/dbFingerprint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProseMirrorJson } from '../seed/content';
import { createDialogueWithMembers, FIXTURE_PASSWORD } from '../seed/fixtures';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const fingerprint = (t: TestApp) => databaseFingerprint(t.ctx.store);

describe('cross-site defences', () => {
  let t: TestApp;
  let email: string;
  let cookie: string;
  let documentId: string;
  let dialogueId: string;

  beforeAll(async () => {
    t = await createTestApp({
      signInLimits: { perEmailAndIp: { max: 3, windowMs: 60_000 }, perIp: { max: 100, windowMs: 60_000 } },
    });
    const f = await createDialogueWithMembers(t.ctx, {
      members: [{ key: 'sec', role: 'secretariat' }],
      document: {
        title: 'Framework',
        content: doc(title('Framework'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, 'Text.'))).toJSON() as ProseMirrorJson,
      },
    });
    email = f.users.sec!.email;
    cookie = await sessionCookie(t.ctx, f.users.sec!.id);
    documentId = f.documentId!;
    dialogueId = f.dialogue.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses every state-changing route with 403 forbidden_origin from a foreign or null Origin, changing nothing', async () => {
    const routes = [
      ...new Set(
        t.app.routes
          .filter((r) => !['GET', 'HEAD', 'OPTIONS', 'ALL'].includes(r.method))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    expect(routes.length).toBeGreaterThan(30);
    const before = await fingerprint(t);
    const wrong: string[] = [];
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern
        .replace(/:verdict\{[^}]+\}/, 'confirm')
        .replace(/:id/, pattern.startsWith('/api/dialogues') ? dialogueId : documentId)
        .replace(/:[A-Za-z]+/g, 'x1');
      for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example']) {
        const res = await t.app.request(path, {
          method,
          headers: { cookie, origin, 'content-type': 'application/json' },
          body: '{}',
        });
        const body = (await res.json()) as { error?: { code?: string } };
        if (res.status !== 403 || body.error?.code !== 'forbidden_origin') wrong.push(`${route} from ${origin}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint(t)).toBe(before);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, Secure behind a TLS proxy or when configured', async () => {
    const signInWith = async (app: TestApp, headers: Record<string, string>) =>
      (
        await app.app.request('/api/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ email, password: FIXTURE_PASSWORD }),
        })
      ).headers.get('set-cookie') ?? '';
    const plain = await signInWith(t, {});
    expect(plain).toMatch(/HttpOnly/);
    expect(plain).toMatch(/SameSite=Lax/);
    expect(plain).not.toMatch(/Secure/);
    expect(await signInWith(t, { 'x-forwarded-proto': 'https' })).toMatch(/Secure/);

    const configured = await createTestApp({ env: { ACCORD_SECURE_COOKIES: '1' } });
    try {
      await createDialogueWithMembers(configured.ctx, { members: [{ key: 'a', role: 'drafter', email }] });
      const set = await signInWith(configured, {});
      expect(set).toMatch(/Secure/);
      expect(set).toMatch(/HttpOnly/);
      // Signing out clears the cookie with the same attributes.
      const out = await configured.app.request('/api/session', { method: 'DELETE', headers: { cookie: set.split(';')[0]! } });
      expect(out.headers.get('set-cookie')).toMatch(/accord_session=;.*HttpOnly.*Secure|accord_session=;.*Secure.*HttpOnly/);
    } finally {
      await configured.close();
    }
  });

  it('sets the cookie of an accepted invitation HttpOnly, SameSite=Lax and Secure behind TLS too', async () => {
    const api = async (path: string, body: unknown) => {
      const res = await t.app.request(path, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as unknown;
    };
    const { version } = (await api(`/api/documents/${documentId}/versions`, { label: 'Cookie check' })) as { version: { id: string } };
    const { invitations } = (await api(`/api/documents/${documentId}/rounds`, {
      versionId: version.id,
      title: 'Cookie round',
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      invite: ['cookie.validator@test.accord'],
    })) as { invitations: { link: string }[] };
    const token = invitations[0]!.link.split('/invitations/')[1]!;
    const res = await t.app.request(`/api/invitations/${token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ name: 'Cookie Validator', password: 'a long enough password' }),
    });
    expect(res.status).toBe(200);
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^accord_session=/);
    for (const flag of ['HttpOnly', 'SameSite=Lax', 'Secure']) expect(set).toContain(flag);
  });

  it('rotates the session id at sign-in: the id presented before no longer works, an invented one is never adopted', async () => {
    const first = (
      await t.app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: FIXTURE_PASSWORD }),
      })
    ).headers.get('set-cookie')!.split(';')[0]!;
    expect((await t.app.request('/api/session', { headers: { cookie: first } })).status).toBe(200);
    for (const presented of [first, 'accord_session=attacker-chosen-session-id-0123456789abcdef']) {
      const res = await t.app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: presented },
        body: JSON.stringify({ email, password: FIXTURE_PASSWORD }),
      });
      const next = res.headers.get('set-cookie')!.split(';')[0]!;
      expect(next).not.toBe(presented);
      expect((await t.app.request('/api/session', { headers: { cookie: presented } })).status).toBe(401);
      expect((await t.app.request('/api/session', { headers: { cookie: next } })).status).toBe(200);
    }
  });

  it('rate-limits sign-in with 429, and a forged X-Forwarded-For does not reset the count', async () => {
    const attempt = (headers: Record<string, string> = {}) =>
      t.app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: 'limit@test.accord', password: 'wrong password' }),
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt({ 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '203.0.113.8' })).status).toBe(429);
  });
});
