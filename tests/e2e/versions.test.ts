import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

describe('versions in the browser', () => {
  let browser: Browser;
  let server: TestServer;
  let documentId: string;
  const users: BrowserUser[] = [];

  const signInAs = async (email: string) => {
    const user = await BrowserUser.signIn(browser, server.url, email);
    users.push(user);
    return user;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    documentId = await firstDocumentId(server.url, await signIn(server.url, demoUsers.drafter));
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

  it('lets the Secretariat freeze a revision, a drafter edit, and anyone compare it with the live draft and see the redline', async () => {
    const secretariat = await signInAs(demoUsers.secretariat);
    const drafter = await signInAs(demoUsers.drafter);
    await secretariat.openDocument(documentId);
    await drafter.openDocument(documentId);
    await drafter.page.getByTestId('panel-tab-versions').click();
    await drafter.page.locator('[data-testid="version-item"][data-label="Rev.1"]').waitFor();

    // The demo already holds "Zero draft" and "Rev.1": the Secretariat tables the next revision.
    await secretariat.page.getByTestId('panel-tab-versions').click();
    await secretariat.page.getByTestId('freeze-open').click();
    expect(await secretariat.page.getByTestId('freeze-label').inputValue()).toBe('Rev.2');
    await secretariat.page.getByTestId('freeze-meeting').fill('Third plenary session, Orlandia');
    await secretariat.page.getByTestId('freeze-submit').click();
    const frozen = secretariat.page.locator('[data-testid="version-item"][data-label="Rev.2"]');
    await frozen.waitFor();
    expect(await frozen.getByTestId('version-hash').getAttribute('title')).toMatch(/^SHA-256 [0-9a-f]{64}$/);
    // The drafter's timeline shows the new version live.
    await drafter.page.locator('[data-testid="version-item"][data-label="Rev.2"]').waitFor({ timeout: 10_000 });

    await drafter.typeAtEndOfClause('2.3', ' Amended after Rev.2.');
    await drafter.waitForSaved();

    const observer = await signInAs(demoUsers.observer);
    await observer.openDocument(documentId);
    await observer.page.getByTestId('panel-tab-versions').click();
    await observer.page
      .locator('[data-testid="version-item"][data-label="Rev.2"]')
      .getByTestId('compare-with-live')
      .click();
    const summary = observer.page.getByTestId('compare-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toBe('Rev.2 → Live draft: 1 clause changed.');
    const clause = observer.page.getByTestId('compare-clause');
    expect(await clause.count()).toBe(1);
    expect(await clause.locator('.compare-number').innerText()).toBe('2.3');
    expect(await clause.locator('ins').allInnerTexts()).toEqual([' Amended after Rev.2.']);
  });

  it('opens a version read-only at its own URL, numbered as frozen', async () => {
    const observer = await signInAs(demoUsers.observer);
    await observer.openDocument(documentId);
    await observer.page.getByTestId('panel-tab-versions').click();
    await observer.page.locator('[data-testid="version-item"][data-label="Zero draft"] .version-label').click();
    await observer.page.waitForURL(/\/documents\/[^/]+\/versions\/[^/]+$/);
    const text = observer.page.getByTestId('frozen-text');
    await text.locator('.accord-clause').first().waitFor();
    expect(await observer.page.getByTestId('version-label').innerText()).toBe('Zero draft');
    expect(await text.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    // In the Zero draft, the anti-corruption clause was still 1.4 (Rev.1 moved it to objective 2).
    expect(await text.locator('.accord-clause[data-number="1.4"]').innerText()).toContain('Anti-corruption bodies');
    // Reloading the URL shows the same version.
    await observer.page.reload();
    await text.locator('.accord-clause[data-number="1.4"]').waitFor();
  });

  it('lets the Secretariat invite a validator who creates an account and reads only the round\'s version', async () => {
    const secretariat = await signInAs(demoUsers.secretariat);
    await secretariat.page.goto(`${server.url}/documents/${documentId}/rounds`);
    await secretariat.page.getByPlaceholder('Regional validation — West').fill('Regional validation — West');
    await secretariat.page.locator('textarea').fill('ines.varga@veloria.example');
    await secretariat.page.getByRole('button', { name: 'Open round' }).click();
    const link = await secretariat.page.getByTestId('invitation-links').locator('code').first().innerText();
    expect(link).toContain('/invitations/');
    await secretariat.page.getByTestId('round-item').first().waitFor();

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      await page.goto(link);
      await page.getByTestId('invitation-name').fill('Ines Varga');
      await page.getByTestId('invitation-affiliation').fill('Veloria');
      await page.getByTestId('invitation-password').fill('a long enough password');
      await page.getByTestId('invitation-accept').click();
      await page.waitForURL(/\/versions\//);
      await page.getByTestId('frozen-text').locator('.accord-clause').first().waitFor();
      expect(await page.getByTestId('version-label').innerText()).toBe('Rev.2');
      // The live draft is not theirs to read: the documents list leads them to their rounds.
      await page.goto(`${server.url}/`);
      await page.getByTestId('document-link').first().click();
      await page.waitForURL(/\/rounds$/);
      await page.getByTestId('round-item').first().waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('numbers a clause inserted after a freeze "bis" once the Secretariat turns the setting on', async () => {
    const secretariat = await signInAs(demoUsers.secretariat);
    const drafter = await signInAs(demoUsers.drafter);
    await secretariat.openDocument(documentId);
    await drafter.openDocument(documentId);
    await drafter.caretAtEndOfClause('4.2');
    await drafter.page.getByRole('button', { name: 'New clause' }).click();
    await drafter.page.keyboard.type('Inserted at the meeting.', { delay: 5 });
    await drafter.waitForSaved();
    await expect.poll(() => drafter.clause('4.3').innerText()).toContain('Inserted at the meeting.');

    await secretariat.page.getByTestId('panel-tab-versions').click();
    await secretariat.page.getByTestId('bis-numbering').check();
    // Both see the inserted clause numbered against the last freeze, and the clauses after it keep their numbers.
    for (const user of [secretariat, drafter]) {
      await expect.poll(() => user.clause('4.2 bis').count(), { timeout: 10_000 }).toBe(1);
      expect(await user.clause('4.2 bis').innerText()).toContain('Inserted at the meeting.');
      expect(await user.clause('4.3').innerText()).toContain('Amnesties');
    }
    await secretariat.page.getByTestId('bis-numbering').uncheck();
    await expect.poll(() => drafter.clause('4.3').innerText(), { timeout: 10_000 }).toContain('Inserted at the meeting.');
  });
});
