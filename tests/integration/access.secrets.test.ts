/**
 * No secret reaches a log (issue 8, "Access"): a real server logging at `trace` goes through sign-in
 * (right and wrong passwords), editing over the collaboration socket, an invitation with its link and
 * its acceptance with a new password, and sign-out; then every line it wrote is searched for each
 * password, session token, invitation token, password hash and cookie header.
 */
import { hashPassword } from '@server/auth/password';
import { Users } from '@server/store/users';
import { insertInFirstClause, syncedClient } from '@tests/helpers/collabClient';
import { demoUsers, signIn } from '@tests/helpers/http';
import { openServerStore, startTestServer, stopAllTestServers } from '@tests/helpers/testServer';
import { afterAll, describe, expect, it } from 'vitest';

describe('logs', () => {
  afterAll(async () => {
    await stopAllTestServers();
  });

  it('hold no password, session token, invitation token, password hash or cookie after a full flow at trace level', async () => {
    const server = await startTestServer({ env: { LOG_LEVEL: 'trace' } });
    const { url } = server;
    const secrets: Record<string, string> = {
      password: 'Secret-Password-Of-Lena-4711',
      wrongPassword: 'Wrong-Guess-Of-Mallory-0815',
      validatorPassword: 'Validator-Password-9931',
    };
    const store = await openServerStore(server);
    try {
      const hash = await hashPassword(secrets.password!);
      await new Users(store).create({ email: 'lena@secrets.test', name: 'Lena', passwordHash: hash });
      secrets.passwordHash = hash;
    } finally {
      await store.close();
    }
    const post = (path: string, body: unknown, cookie?: string) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { origin: url, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });

    // Sign-in: a wrong password, then the right one; the Secretariat (demo) too.
    expect((await post('/api/session', { email: 'lena@secrets.test', password: secrets.wrongPassword })).status).toBe(401);
    const lena = await signIn(url, 'lena@secrets.test', secrets.password);
    secrets.lenaToken = lena.split('=')[1]!;
    const secretariat = await signIn(url, demoUsers.secretariat);
    secrets.secretariatToken = secretariat.split('=')[1]!;
    const documentId = ((await (await fetch(`${url}/api/documents`, { headers: { cookie: secretariat } })).json()) as { id: string }[])[0]!.id;

    // Edits over the collaboration socket, with presence.
    const client = await syncedClient(server.wsUrl, documentId, { cookie: secretariat });
    client.awareness.setLocalState({ cursor: null, user: { name: 'claimed' } });
    insertInFirstClause(client.doc, 0, 'Logged edit ');
    await client.whenSaved();
    await client.destroy();

    // An invitation link (its token is a credential) and its acceptance with a new password.
    const versions = (await (await fetch(`${url}/api/documents/${documentId}/versions`, { headers: { cookie: secretariat } })).json()) as {
      versions: { id: string }[];
    };
    const opened = await post(
      `/api/documents/${documentId}/rounds`,
      {
        versionId: versions.versions[0]!.id,
        title: 'Round with a secret link',
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        invite: ['validator@secrets.test'],
      },
      secretariat,
    );
    expect(opened.status).toBe(201);
    const link = ((await opened.json()) as { invitations: { link: string }[] }).invitations[0]!.link;
    secrets.invitationToken = link.split('/invitations/')[1]!;
    // The browser opens the link's page, then reads the invitation: both paths carry the token.
    await (await fetch(`${url}/invitations/${secrets.invitationToken}`)).text();
    expect((await fetch(`${url}/api/invitations/${secrets.invitationToken}`)).status).toBe(200);
    const accepted = await post(`/api/invitations/${secrets.invitationToken}/accept`, {
      name: 'Validator',
      password: secrets.validatorPassword,
    });
    expect(accepted.status).toBe(200);
    secrets.validatorToken = accepted.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!;

    // Sign-out.
    expect((await fetch(`${url}/api/session`, { method: 'DELETE', headers: { cookie: lena, origin: url } })).status).toBe(204);

    await server.kill();
    const log = server.logs.join('\n');
    // The flow was logged at all (else the search proves nothing).
    expect(log).toContain('signed in');
    expect(log).toContain('sign-in refused');
    expect(server.logs.length).toBeGreaterThan(10);
    expect(log).toContain('/api/invitations/[redacted]/accept');
    const leaks = Object.entries(secrets).filter(([, value]) => log.includes(value));
    expect(leaks.map(([name]) => name)).toEqual([]);
    expect(log).not.toMatch(/accord_session=/);
    expect(log).not.toMatch(/scrypt\$/);
  });
});
