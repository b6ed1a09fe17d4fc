import { createServer } from 'node:net';
import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** A port nobody listens on now, so a restarted server keeps the origin (and the browser's IndexedDB). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

describe('co-drafting in the browser', () => {
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
    server = await startTestServer({ env: { PORT: String(await freePort()) } });
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

  it('shows two drafters each other’s text and cursor in the same clause, and says Saved', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    const cochair = await signInAs(demoUsers.cochair);
    await drafter.openDocument(documentId);
    await cochair.openDocument(documentId);

    await drafter.typeAtEndOfClause('1.2', ' Drafted by Tomas.');
    await cochair.typeAtEndOfClause('1.2', ' Seconded by Lucía.');

    for (const user of [drafter, cochair]) {
      await expect.poll(() => user.clause('1.2').innerText(), { timeout: 10_000 }).toContain('Drafted by Tomas.');
      await expect.poll(() => user.clause('1.2').innerText(), { timeout: 10_000 }).toContain('Seconded by Lucía.');
    }
    // Each sees the other's caret, labelled with the other's name.
    await expect
      .poll(() => drafter.page.locator('.accord-cursor-label').allInnerTexts(), { timeout: 10_000 })
      .toContain('Lucía Brennan');
    await expect
      .poll(() => cochair.page.locator('.accord-cursor-label').allInnerTexts(), { timeout: 10_000 })
      .toContain('Tomas Ilvesaar');
    // Both see who is present.
    await expect.poll(() => drafter.page.getByTestId('presence-item').count(), { timeout: 10_000 }).toBe(2);

    await drafter.waitForSaved();
    await cochair.waitForSaved();
    expect(await drafter.page.getByTestId('saved-indicator').innerText()).toBe('Saved');
  });

  it('undoes only the user’s own typing, not a colleague’s', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    const cochair = await signInAs(demoUsers.cochair);
    await drafter.openDocument(documentId);
    await cochair.openDocument(documentId);

    await drafter.typeAtEndOfClause('2.1', ' XMINEX');
    await expect.poll(() => cochair.clause('2.1').innerText(), { timeout: 10_000 }).toContain('XMINEX');
    await cochair.typeAtEndOfClause('2.1', ' YTHEIRSY');
    await expect.poll(() => drafter.clause('2.1').innerText(), { timeout: 10_000 }).toContain('YTHEIRSY');

    await drafter.clause('2.1').click();
    await drafter.page.keyboard.press('Control+z');
    await expect.poll(() => drafter.clause('2.1').innerText(), { timeout: 10_000 }).not.toContain('XMINEX');
    expect(await drafter.clause('2.1').innerText()).toContain('YTHEIRSY');
    await expect.poll(() => cochair.clause('2.1').innerText(), { timeout: 10_000 }).not.toContain('XMINEX');
  });

  it('lets an observer read along but not type', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    const observer = await signInAs(demoUsers.observer);
    await drafter.openDocument(documentId);
    await observer.openDocument(documentId);

    await observer.page.getByTestId('readonly-note').waitFor();
    expect(await observer.editor.getAttribute('contenteditable')).toBe('false');
    const before = await observer.clause('3.1').innerText();
    await observer.clause('3.1').click();
    await observer.page.keyboard.type('observer was here');
    expect(await observer.clause('3.1').innerText()).toBe(before);

    // The observer still follows the drafting live and sees the drafter's caret.
    await drafter.typeAtEndOfClause('3.1', ' Read live.');
    await expect.poll(() => observer.clause('3.1').innerText(), { timeout: 10_000 }).toContain('Read live.');
    await expect
      .poll(() => observer.page.locator('.accord-cursor-label').allInnerTexts(), { timeout: 10_000 })
      .toContain('Tomas Ilvesaar');
    expect(await drafter.clause('3.1').innerText()).not.toContain('observer was here');
  });

  it('moves a clause with the keyboard: numbers follow, its id stays, a colleague sees it; a pasted copy gets a new id', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    const cochair = await signInAs(demoUsers.cochair);
    await drafter.openDocument(documentId);
    await cochair.openDocument(documentId);

    const idOf = (user: BrowserUser, number: string) => user.clause(number).getAttribute('data-clause-id');
    const moving = await idOf(drafter, '3.2');
    const below = await idOf(drafter, '3.3');
    await drafter.caretAtEndOfClause('3.2');
    await drafter.page.keyboard.press('Alt+Shift+ArrowDown');
    await expect.poll(() => idOf(drafter, '3.3'), { timeout: 10_000 }).toBe(moving);
    expect(await idOf(drafter, '3.2')).toBe(below);
    await expect.poll(() => idOf(cochair, '3.3'), { timeout: 10_000 }).toBe(moving);

    // Copy from the end of 3.2 to the start of 3.4 (the whole of clause 3.3, as a clause) and paste it
    // at the end of 3.1: the copy becomes a clause of its own, with a fresh id.
    const count = await drafter.page.locator('.accord-clause').count();
    await drafter.page.evaluate(() => {
      const clauses = [...document.querySelectorAll('.accord-clause')];
      const from = clauses.find((el) => el.getAttribute('data-number') === '3.2');
      const to = clauses.find((el) => el.getAttribute('data-number') === '3.4');
      const texts = (el: Element) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
          acceptNode: (n) => (n.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
        });
        const all: Text[] = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) all.push(n as Text);
        return all;
      };
      if (!from || !to) throw new Error('clauses 3.2 and 3.4 not found');
      const start = texts(from).at(-1);
      const end = texts(to)[0];
      if (!start || !end) throw new Error('clauses 3.2 and 3.4 have no text');
      const range = document.createRange();
      range.setStart(start, start.length);
      range.setEnd(end, 0);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    });
    await drafter.page.keyboard.press('Control+c');
    await drafter.caretAtEndOfClause('3.1');
    await drafter.page.keyboard.press('Control+v');
    await expect.poll(() => drafter.page.locator('.accord-clause').count(), { timeout: 10_000 }).toBeGreaterThan(count);
    const ids = await drafter.page.locator('.accord-clause').evaluateAll((els) => els.map((el) => el.getAttribute('data-clause-id')));
    expect(new Set(ids).size, 'every clause id is unique').toBe(ids.length);
    expect(ids.filter((id) => id === moving)).toHaveLength(1);
    await drafter.waitForSaved();
  });

  it('keeps edits made while the server is down, across a page reload, and delivers them on reconnect', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    await drafter.openDocument(documentId);
    await drafter.waitForSaved();

    await server.kill('SIGTERM');
    await drafter.page
      .locator('[data-testid="saved-indicator"][data-status="offline"]')
      .waitFor({ timeout: 15_000 });
    expect(await drafter.page.getByTestId('saved-indicator').innerText()).toBe('Offline — your changes are kept');
    await drafter.typeAtEndOfClause('4.1', ' Written offline.');
    // y-indexeddb writes each update in its own IndexedDB transaction; give it a moment to land.
    await drafter.page.waitForTimeout(500);
    await drafter.page.close();

    server = await server.restart();
    // The same browser context (same IndexedDB) opens the document again.
    const page = await drafter.context.newPage();
    await page.goto(`${server.url}/documents/${documentId}`);
    await page.locator('.accord-clause[data-number="4.1"]').waitFor();
    await page.locator('[data-testid="saved-indicator"][data-status="saved"]').waitFor({ timeout: 15_000 });

    const cochair = await signInAs(demoUsers.cochair);
    await cochair.openDocument(documentId);
    await expect.poll(() => cochair.clause('4.1').innerText(), { timeout: 10_000 }).toContain('Written offline.');
  });
});
