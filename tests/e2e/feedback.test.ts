import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { demoUsers, firstDocumentId, getJson, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** A demo validator (they are not among the brief's demo accounts; see README). */
const VALIDATOR = 'validator.veloria@demo.accord';
const ROUND = 'Regional validation — East';
const FEEDBACK = 'Veloria asks that returnees be named alongside displaced persons.';

describe('validation round feedback in the browser', () => {
  let browser: Browser;
  let server: TestServer;
  let documentId: string;
  const users: BrowserUser[] = [];

  const signInAs = async (email: string) => {
    const user = await BrowserUser.signIn(browser, server.url, email);
    users.push(user);
    return user;
  };

  async function api(cookie: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    const secretariat = await signIn(server.url, demoUsers.secretariat);
    documentId = await firstDocumentId(server.url, secretariat);
    // The Secretariat opens a round on Rev.1 and invites a validator, who accepts the invitation.
    const { versions } = (await getJson(server.url, `/api/documents/${documentId}/versions`, secretariat)) as { versions: { id: string; label: string }[] };
    const rev1 = versions.find((v) => v.label === 'Rev.1');
    if (!rev1) throw new Error('the demo has no Rev.1');
    const opened = (await api(secretariat, 'POST', `/api/documents/${documentId}/rounds`, {
      versionId: rev1.id,
      title: ROUND,
      closesAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
      invite: [VALIDATOR],
    })) as { invitations: { link: string }[] };
    const token = opened.invitations[0]!.link.split('/invitations/')[1]!;
    await api(await signIn(server.url, VALIDATOR), 'POST', `/api/invitations/${token}/accept`, {});
  });

  afterEach(async () => {
    const problems = users.flatMap((u) => u.problems);
    await Promise.all(users.splice(0).map((u) => u.close()));
    expect(problems, 'errors thrown in the pages').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllTestServers();
  });

  it('lets a validator comment on a clause of the round\'s version, the Secretariat read it in the report, and a drafter carry it to the live draft', async () => {
    // The validator opens the round's version from their rounds page and comments on words of clause 1.1.
    const validator = await signInAs(VALIDATOR);
    await validator.page.goto(`${server.url}/documents/${documentId}/rounds`);
    await validator.page.getByTestId('round-item').filter({ hasText: ROUND }).getByTestId('open-round-version').click();
    await validator.page.waitForURL(/\/versions\/[^/?]+\?round=/);
    const text = validator.page.locator('[data-testid="frozen-text"][data-anchored="true"]');
    const clause = text.locator('.accord-clause[data-number="1.1"]');
    await clause.waitFor();
    expect(await validator.page.getByTestId('version-label').innerText()).toBe('Rev.1');
    expect(await validator.page.getByTestId('round-state').innerText()).toMatch(/^Open until/);
    await validator.selectWords(clause, 'displaced persons');
    await validator.page.keyboard.press('Control+Alt+m');
    const composer = validator.page.getByTestId('new-thread');
    await composer.waitFor();
    await validator.page.getByTestId('new-thread-text').fill(FEEDBACK);
    await validator.page.getByTestId('new-thread-submit').click();
    const card = validator.page.getByTestId('thread').filter({ hasText: FEEDBACK });
    await card.waitFor();
    expect(await card.innerText()).toContain('Clause 1.1');
    // The commented words are marked in the frozen text, as on the live draft.
    await expect.poll(() => clause.locator('.comment-highlight').allInnerTexts()).toContain('displaced persons');
    // There is nothing of the live draft here to go to.
    expect(await validator.page.locator('.back-link').innerText()).toBe('← Validation rounds');
    expect(await validator.page.getByText('Compare with live draft').count()).toBe(0);

    // The Secretariat sees it in the round's report, under its clause and under Veloria.
    const secretariat = await signInAs(demoUsers.secretariat);
    await secretariat.page.goto(`${server.url}/documents/${documentId}/rounds`);
    const round = secretariat.page.getByTestId('round-item').filter({ hasText: ROUND });
    await round.getByTestId('feedback-summary').waitFor();
    expect(await round.getByTestId('feedback-summary').innerText()).toMatch(/^1 thread of feedback \(1 comment\) from 1 of 1 validator, 1 country, on 1 clause; 0 carried/);
    await round.getByTestId('toggle-report').click();
    const byClause = round.getByTestId('report-clause').filter({ hasText: 'Clause 1.1' });
    expect(await byClause.innerText()).toContain(FEEDBACK);
    expect(await byClause.innerText()).toContain('Mateo Sandoval (Veloria)');
    await round.getByTestId('report-by-country').click();
    expect(await round.getByTestId('report-country').filter({ hasText: 'Veloria' }).innerText()).toContain(FEEDBACK);

    // A drafter carries it to the live draft from the report, and finds it there on the same words.
    const drafter = await signInAs(demoUsers.drafter);
    await drafter.page.goto(`${server.url}/documents/${documentId}/rounds`);
    const drafterRound = drafter.page.getByTestId('round-item').filter({ hasText: ROUND });
    await drafterRound.getByTestId('toggle-report').click();
    const reported = drafterRound.getByTestId('report-thread').filter({ hasText: FEEDBACK });
    await reported.getByTestId('report-carry').click();
    await reported.getByTestId('report-carried').waitFor();
    await reported.getByTestId('report-open-carried').click();
    await drafter.page.waitForURL(/\/documents\/[^/]+$/);
    const live = drafter.page.getByTestId('panel-comments').getByTestId('thread').filter({ hasText: FEEDBACK });
    await live.waitFor();
    expect(await live.getByTestId('carried-from').innerText()).toContain('Validation feedback from Mateo Sandoval (Veloria) · Regional validation — East · Rev.1');
    expect(await live.locator('.thread-place').first().innerText()).toBe('Clause 1.1');
    expect(await live.locator('.thread-quote').innerText()).toBe('displaced persons');
    await expect.poll(() => drafter.clause('1.1').locator('.comment-highlight').allInnerTexts()).toContain('displaced persons');

    // Back on the version, the validator's thread says it was carried.
    await validator.page.reload();
    await validator.page.getByTestId('thread').filter({ hasText: FEEDBACK }).getByTestId('carried-to').waitFor();
  });

  it('tells a validator that a closed round takes no more feedback', async () => {
    const secretariat = await signInAs(demoUsers.secretariat);
    await secretariat.page.goto(`${server.url}/documents/${documentId}/rounds`);
    secretariat.page.on('dialog', (dialog) => void dialog.accept());
    const round = secretariat.page.getByTestId('round-item').filter({ hasText: ROUND });
    await round.getByRole('button', { name: 'Close round' }).click();
    await round.getByText('Closed', { exact: true }).waitFor();

    const validator = await signInAs(VALIDATOR);
    await validator.page.goto(`${server.url}/documents/${documentId}/rounds`);
    await validator.page.getByTestId('round-item').filter({ hasText: ROUND }).getByTestId('open-round-version').click();
    await validator.page.getByTestId('round-closed-note').waitFor();
    expect(await validator.page.getByTestId('round-state').innerText()).toMatch(/^Closed/);
    expect(await validator.page.getByTestId('comment-selection').count()).toBe(0);
    expect(await validator.page.getByTestId('thread').filter({ hasText: FEEDBACK }).getByTestId('reply').count()).toBe(0);
  });
});
