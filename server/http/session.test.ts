import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDialogueWithMembers, FIXTURE_PASSWORD } from '../seed/fixtures';
import { createTestApp, signIn, type TestApp } from './testHarness';

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('/api/session', () => {
  let t: TestApp;
  let email: string;

  beforeEach(async () => {
    t = await createTestApp({
      signInLimits: { perEmailAndIp: { max: 3, windowMs: 60_000 }, perIp: { max: 20, windowMs: 60_000 } },
    });
    const { users } = await createDialogueWithMembers(t.ctx, {
      members: [{ key: 'ana', role: 'drafter', name: 'Ana Lima', affiliation: 'Veloria' }],
    });
    email = users.ana?.email as string;
  });
  afterEach(async () => {
    await t.close();
  });

  it('signs in with the right password, answers the user and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await t.app.request(
      '/api/session',
      json({ email: email.toUpperCase(), password: FIXTURE_PASSWORD }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: Record<string, unknown> };
    expect(body.user).toEqual({ id: expect.any(String), email, name: 'Ana Lima', affiliation: 'Veloria' });
    expect(body.user).not.toHaveProperty('passwordHash');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^accord_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Max-Age=1209600');
    expect(cookie).not.toContain('Secure');
  });

  it('marks the cookie Secure behind a TLS proxy', async () => {
    const res = await t.app.request(
      '/api/session',
      json({ email, password: FIXTURE_PASSWORD }, { 'x-forwarded-proto': 'https' }),
    );
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('refuses a wrong password and an unknown email alike with 401', async () => {
    for (const body of [
      { email, password: 'wrong' },
      { email: 'nobody@test.accord', password: FIXTURE_PASSWORD },
    ]) {
      const res = await t.app.request('/api/session', json(body));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 'invalid_credentials', message: 'Email or password is incorrect.' },
      });
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('answers 429 with Retry-After once the attempts for an email are used up, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await t.app.request('/api/session', json({ email, password: 'wrong' }))).status).toBe(401);
    }
    const res = await t.app.request('/api/session', json({ email, password: FIXTURE_PASSWORD }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('answers the signed-in user on GET and 401 without a session', async () => {
    const cookie = await signIn(t.app, email, FIXTURE_PASSWORD);
    const res = await t.app.request('/api/session', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { email: string } }).user.email).toBe(email);
    const anonymous = await t.app.request('/api/session');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: 'unauthenticated', message: 'Sign in first.' } });
  });

  it('signs out on DELETE: 204, the cookie is cleared and the session no longer works', async () => {
    const cookie = await signIn(t.app, email, FIXTURE_PASSWORD);
    const res = await t.app.request('/api/session', { method: 'DELETE', headers: { cookie } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^accord_session=;.*Max-Age=0/);
    expect((await t.app.request('/api/session', { headers: { cookie } })).status).toBe(401);
  });

  it('ends the previous session when the same browser signs in again', async () => {
    const first = await signIn(t.app, email, FIXTURE_PASSWORD);
    const res = await t.app.request(
      '/api/session',
      json({ email, password: FIXTURE_PASSWORD }, { cookie: first }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')?.split(';')[0]).not.toBe(first);
    expect((await t.app.request('/api/session', { headers: { cookie: first } })).status).toBe(401);
  });

  it('ignores a forged or garbage session cookie', async () => {
    for (const cookie of [
      'accord_session=forged',
      'accord_session=',
      'other=1',
      `accord_session=${'A'.repeat(43)}`,
    ]) {
      expect((await t.app.request('/api/session', { headers: { cookie } })).status).toBe(401);
    }
  });
});
