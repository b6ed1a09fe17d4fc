import { readFileSync } from 'node:fs';
import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Browser, Route } from 'playwright-core';
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

  it('shows the progress of an export while the server prepares the file and while it downloads, and lets the person cancel it', async () => {
    const observer = await signInAs(demoUsers.observer);
    const page = observer.page;
    await observer.openDocument(documentId);
    await page.getByTestId('panel-tab-versions').click();
    await page.locator('[data-testid="version-item"][data-label="Rev.1"]').getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByLabel('PDF').check();

    // Hold each export request where a slow server would: the browser has asked and nothing has come back.
    const held: Route[] = [];
    await page.route('**/versions/*/export?*', (route) => {
      held.push(route);
    });
    const nextHeld = async (count: number) => {
      await expect.poll(() => held.length, { timeout: 10_000 }).toBe(count);
      return held[count - 1] as Route;
    };

    // Every state the dialog's progress shows, recorded in the page as it changes.
    const seen = await dialog.evaluateHandle((el) => {
      const states: { label: string; value: number | null }[] = [];
      const record = () => {
        const label = el.querySelector('[data-testid="export-progress"]')?.textContent ?? null;
        const bar = el.querySelector('.export-progress progress');
        // No indicator at all is a state too (between the cancelled export and the next one).
        const state =
          label !== null && bar instanceof HTMLProgressElement
            ? { label, value: bar.position >= 0 ? bar.value : null }
            : { label: '', value: null };
        const last = states[states.length - 1];
        if (!last || last.label !== state.label || last.value !== state.value) states.push(state);
      };
      new MutationObserver(record).observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
      return states;
    });

    // While the file is being made: an indeterminate bar, "Preparing", the choices locked, a way out.
    await dialog.getByTestId('export-start').click();
    const first = await nextHeld(1);
    expect(await dialog.getByTestId('export-progress').innerText({ timeout: 5_000 })).toBe('Preparing the file…');
    expect(await dialog.locator('.export-progress progress').evaluate((bar) => (bar as HTMLProgressElement).position)).toBe(-1);
    expect(await dialog.getByTestId('export-start').count()).toBe(0);
    expect(await dialog.getByLabel('Markdown').isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Close' }).isDisabled()).toBe(true);

    // Cancelling gives the dialog back, with no error and no file.
    let downloads = 0;
    page.on('download', () => downloads++);
    await dialog.getByRole('button', { name: 'Cancel export' }).click();
    await dialog.getByTestId('export-start').waitFor();
    expect(await dialog.getByTestId('export-progress').count()).toBe(0);
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await first.abort().catch(() => undefined); // the browser has already dropped the request

    // Again, and this time the server answers, over a slow link so that the bytes arrive in steps.
    await dialog.getByTestId('export-start').click();
    const second = await nextHeld(2);
    expect(await dialog.getByTestId('export-progress').innerText({ timeout: 5_000 })).toBe('Preparing the file…');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 32 * 1024, uploadThroughput: -1 });
    const download = page.waitForEvent('download');
    await second.continue();
    const file = await download;
    await cdp.detach();
    await expect.poll(() => dialog.getByTestId('export-progress').innerText(), { timeout: 10_000 }).toBe('Downloaded.');
    expect(await dialog.getByTestId('export-start').count()).toBe(1);
    expect(file.suggestedFilename()).toMatch(/-Rev\.1\.pdf$/);
    expect(readFileSync(await file.path()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(downloads).toBe(1);

    // What the person saw, in order: preparing (twice, the first one cancelled), then a bar that fills
    // as the bytes arrive, then "Downloaded." with a full bar.
    const states = await seen.jsonValue();
    const shown = `states shown: ${JSON.stringify(states)}`;
    const preparing = { label: 'Preparing the file…', value: null };
    expect(states.slice(0, 3), shown).toEqual([preparing, { label: '', value: null }, preparing]);
    expect(states[states.length - 1], shown).toEqual({ label: 'Downloaded.', value: 100 });
    const downloading = states.slice(3, -1);
    expect(downloading.length, shown).toBeGreaterThanOrEqual(3);
    for (const d of downloading) expect(d.label).toBe(`Downloading… ${d.value}%`);
    const percents = downloading.map((d) => d.value ?? -1);
    expect(percents, 'the bar only moves forward').toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents).size).toBe(percents.length);
  });

  it('asks before restoring a version: cancelling leaves the draft as it was, confirming makes it the version\'s text as a new edit everyone sees', async () => {
    const secretariat = await signInAs(demoUsers.secretariat);
    const drafter = await signInAs(demoUsers.drafter);
    await secretariat.openDocument(documentId);
    await drafter.openDocument(documentId);
    const page = secretariat.page;
    const restoreCalls: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/restore')) restoreCalls.push(request.url());
    });
    await page.getByTestId('panel-tab-versions').click();
    const zeroDraft = page.locator('[data-testid="version-item"][data-label="Zero draft"]');
    await zeroDraft.waitFor();
    const labels = () => page.getByTestId('version-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-label')));
    const timeline = await labels();
    const hashes = () => page.getByTestId('version-hash').evaluateAll((items) => items.map((i) => i.getAttribute('title')));
    const frozenHashes = await hashes();
    expect(timeline).toEqual(expect.arrayContaining(['Rev.1', 'Zero draft']));

    // The live draft differs from the Zero draft: there, the anti-corruption clause was still 1.4,
    // and nobody had written this yet.
    await drafter.typeAtEndOfClause('2.3', ' Wording of the day.');
    await drafter.waitForSaved();
    await expect.poll(() => secretariat.clause('2.3').innerText(), { timeout: 10_000 }).toContain('Wording of the day.');
    // The text each person sees, without the other people's cursors drawn into it.
    const draftText = (user: BrowserUser) =>
      user.editor.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        for (const cursor of copy.querySelectorAll('.accord-cursor')) cursor.remove();
        return copy.textContent;
      });
    const liveText = await draftText(secretariat);
    expect(await draftText(drafter)).toBe(liveText);
    expect(await secretariat.clause('1.4').innerText()).not.toContain('Anti-corruption bodies');

    // Restoring asks first, and says what will happen; cancelling does nothing at all.
    await zeroDraft.getByRole('button', { name: 'Restore…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Restore Zero draft' });
    await confirm.waitFor({ timeout: 5_000 });
    expect(await confirm.innerText()).toContain('new edit on top of the current text');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached', timeout: 5_000 });
    expect(restoreCalls).toEqual([]);
    expect(await draftText(secretariat)).toBe(liveText);
    expect(await draftText(drafter)).toBe(liveText);

    // Confirming makes the live draft the Zero draft's text, for everyone at once.
    await zeroDraft.getByRole('button', { name: 'Restore…' }).click();
    await confirm.getByTestId('restore-confirm').click();
    await confirm.waitFor({ state: 'detached', timeout: 10_000 });
    expect(restoreCalls).toHaveLength(1);
    for (const user of [secretariat, drafter]) {
      await expect.poll(() => user.clause('1.4').innerText(), { timeout: 10_000 }).toContain('Anti-corruption bodies');
      expect(await draftText(user)).not.toContain('Wording of the day.');
    }

    // A forward edit, not a rewrite: no version is changed or dropped, and the live draft now matches
    // the Zero draft.
    expect(await labels()).toEqual(timeline);
    expect(await hashes()).toEqual(frozenHashes);
    await zeroDraft.getByTestId('compare-with-live').click();
    const summary = page.getByTestId('compare-summary');
    await expect.poll(() => summary.innerText(), { timeout: 10_000 }).toBe('Zero draft → Live draft: No changes.');
  });
});
