import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** Selects `words` inside clause `number` with the mouse's equivalent (a DOM selection). */
async function selectWords(user: BrowserUser, number: string, words: string): Promise<void> {
  await user.clause(number).evaluate((el, wanted) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in one text node of the clause`);
  }, words);
  // The browser reports a new selection asynchronously (selectionchange): let the editor see it, as
  // it always has by the time a person presses the next key.
  await user.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

function panel(user: BrowserUser): Locator {
  return user.page.getByTestId('panel-comments');
}

function thread(user: BrowserUser, text: string): Locator {
  return panel(user).getByTestId('thread').filter({ hasText: text });
}

async function openComments(user: BrowserUser): Promise<void> {
  if (!(await panel(user).isVisible())) await user.page.getByTestId('panel-tab-comments').click();
  await panel(user).getByTestId('comments-panel').waitFor();
}

async function badge(page: Page, id: string): Promise<string> {
  return (await page.getByTestId(`panel-tab-${id}`).innerText()).replace(/\D+/g, ' ').trim();
}

describe('comment threads in the browser', () => {
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

  it('lets the panel comment on a clause, the drafter reply live with a mention, and a Co-Chair resolve it', async () => {
    const expert = await signInAs(demoUsers.panel);
    const drafter = await signInAs(demoUsers.drafter);
    await expert.openDocument(documentId);
    await drafter.openDocument(documentId);
    await openComments(drafter);

    // The panel member comments on clause 2.3 from its margin.
    await expert.clause('2.3').hover();
    await expert.clause('2.3').locator('[data-testid="thread-gutter-add"]').click();
    await openComments(expert);
    await expert.page.getByTestId('new-thread-text').fill('Which regions count as most affected? The Orlandia report lists three.');
    await expert.page.getByTestId('new-thread-submit').click();
    await thread(expert, 'Which regions count').waitFor();
    expect(await thread(expert, 'Which regions count').innerText()).toContain('Clause 2.3');

    // The drafter sees it arrive without reloading, and replies mentioning the panel member.
    const seen = thread(drafter, 'Which regions count');
    await seen.waitFor({ timeout: 10_000 });
    await seen.getByTestId('reply').click();
    const reply = drafter.page.getByTestId('reply-composer-text');
    await reply.pressSequentially('Good point @Nad', { delay: 10 });
    await drafter.page.getByTestId('mention-list').getByText('Dr. Nadia Ferrant').waitFor();
    await reply.press('Enter');
    await reply.pressSequentially('we will name them in Rev.1.', { delay: 5 });
    await drafter.page.getByTestId('reply-composer-submit').click();
    await seen.locator('.comment-body', { hasText: 'we will name them in Rev.1.' }).waitFor();
    expect(await seen.locator('.comment-body').nth(1).innerText()).toBe('Good point @Dr. Nadia Ferrant we will name them in Rev.1.');

    // The panel member sees the reply, their name as a mention, and an unread entry in Mentions.
    const mine = thread(expert, 'Which regions count');
    await mine.locator('.comment-body', { hasText: 'we will name them in Rev.1.' }).waitFor({ timeout: 10_000 });
    expect(await mine.locator('.mention').allInnerTexts()).toContain('@Dr. Nadia Ferrant');
    await expect.poll(() => badge(expert.page, 'inbox'), { timeout: 10_000 }).toBe('3');
    await expert.page.getByTestId('panel-tab-inbox').click();
    await expect
      .poll(() => expert.page.getByTestId('inbox-item').first().innerText(), { timeout: 10_000 })
      .toMatch(/Tomas Ilvesaar\s+mentioned you/);

    // A Co-Chair resolves it; everyone sees it resolved (collapsed, still findable).
    const cochair = await signInAs(demoUsers.cochair);
    await cochair.openDocument(documentId);
    await openComments(cochair);
    await thread(cochair, 'Which regions count').getByTestId('resolve').click();
    // It leaves the drafter's open threads at once, and is found under "Resolved".
    await expect.poll(() => thread(drafter, 'Which regions count').count(), { timeout: 10_000 }).toBe(0);
    await drafter.page.getByTestId('toggle-resolved').click();
    expect(await thread(drafter, 'Which regions').getAttribute('data-status')).toBe('resolved');
    expect(await thread(drafter, 'Which regions').innerText()).toContain('Resolved by Lucía Brennan');
    await expert.page.getByTestId('panel-tab-comments').click();
    await openComments(expert);
    await expert.page.getByTestId('toggle-resolved').click();
    await expect
      .poll(() => thread(expert, 'Which regions').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('resolved');
  });

  it('shows an observer the threads but no comment controls', async () => {
    const observer = await signInAs(demoUsers.observer);
    await observer.openDocument(documentId);
    await openComments(observer);
    await thread(observer, 'General remark').waitFor();
    expect(await observer.page.getByTestId('comment-selection').count()).toBe(0);
    expect(await observer.page.getByTestId('reply').count()).toBe(0);
    expect(await observer.page.getByTestId('resolve').count()).toBe(0);
    expect(await observer.page.getByTestId('thread-gutter-add').count()).toBe(0);
    expect(await observer.page.getByTestId('thread-gutter-count').count()).toBeGreaterThan(0);
    expect(await observer.page.getByTestId('delete-comment').count()).toBe(0);
    // The keyboard shortcut does nothing for them either.
    await selectWords(observer, '1.2', 'clear rules');
    await observer.page.keyboard.press('Control+Alt+m');
    expect(await observer.page.getByTestId('thread-draft').count()).toBe(0);
  });

  it('lets the panel propose wording on selected text by keyboard, and a drafter apply it in one click', async () => {
    const expert = await signInAs(demoUsers.panel);
    const drafter = await signInAs(demoUsers.drafter);
    await expert.openDocument(documentId);
    await drafter.openDocument(documentId);

    await selectWords(expert, '1.2', 'clear rules for the selection of participants');
    await expert.page.keyboard.press('Control+Alt+m');
    await expert.page.getByTestId('new-thread-text').fill('Rules alone are not enough; the criteria matter.');
    await expert.page.getByRole('button', { name: 'Propose wording' }).click();
    await expert.page.getByTestId('new-thread-wording').fill('the criteria and procedure for selecting participants');
    await expert.page.getByTestId('new-thread-submit').click();
    await thread(expert, 'criteria matter').waitFor();
    // The commented words are highlighted in the text.
    await expect
      .poll(() => expert.clause('1.2').locator('.comment-highlight').innerText(), { timeout: 10_000 })
      .toBe('clear rules for the selection of participants');

    await openComments(drafter);
    const card = thread(drafter, 'criteria matter');
    await card.getByTestId('apply-wording').click();
    await card.getByTestId('wording-applied').waitFor();
    expect(await card.getByTestId('wording-applied').innerText()).toMatch(/Applied by Tomas Ilvesaar .* proposed by Dr\. Nadia Ferrant/);
    await expect
      .poll(() => expert.clause('1.2').innerText(), { timeout: 10_000 })
      .toContain('publish, at its outset, the criteria and procedure for selecting participants, in the languages');
    // The thread moved onto the new words.
    await expect
      .poll(() => expert.clause('1.2').locator('.comment-highlight').innerText(), { timeout: 10_000 })
      .toBe('the criteria and procedure for selecting participants');
    await drafter.waitForSaved();
  });

  it('keeps a thread whose text is deleted, marked "on deleted text" with its quote', async () => {
    const expert = await signInAs(demoUsers.panel);
    const drafter = await signInAs(demoUsers.drafter);
    await expert.openDocument(documentId);
    await drafter.openDocument(documentId);
    await selectWords(expert, '3.2', 'local employment and procurement');
    await expert.page.keyboard.press('Control+Alt+m');
    await expert.page.getByTestId('new-thread-text').fill('Define "local".');
    await expert.page.getByTestId('new-thread-submit').click();
    await thread(expert, 'Define "local"').waitFor();

    // The drafter deletes the words.
    await selectWords(drafter, '3.2', 'local employment and procurement');
    await drafter.page.keyboard.press('Backspace');
    await drafter.waitForSaved();

    const card = thread(expert, 'Define "local"');
    await card.getByTestId('thread-orphaned').waitFor({ timeout: 10_000 });
    expect(await card.locator('.thread-quote.is-deleted').innerText()).toBe('local employment and procurement');
  });
});
