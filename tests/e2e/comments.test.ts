import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

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
    await observer.selectWords('1.2', 'clear rules');
    await observer.page.keyboard.press('Control+Alt+m');
    expect(await observer.page.getByTestId('thread-draft').count()).toBe(0);
  });

  it('lets the panel propose wording by keyboard, a drafter apply it in one click as the panel member\'s tracked change, and a Co-Chair accept it', async () => {
    const expert = await signInAs(demoUsers.panel);
    const drafter = await signInAs(demoUsers.drafter);
    const chair = await signInAs(demoUsers.cochair);
    await expert.openDocument(documentId);
    await drafter.openDocument(documentId);
    await chair.openDocument(documentId);

    await expert.selectWords('1.2', 'clear rules for the selection of participants');
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

    // One click applies it.
    await openComments(drafter);
    const card = thread(drafter, 'criteria matter');
    await card.getByTestId('apply-wording').click();
    await card.getByTestId('wording-applied').waitFor();
    expect(await card.getByTestId('wording-applied').innerText()).toMatch(/Applied by Tomas Ilvesaar .* proposed by Dr\. Nadia Ferrant/);
    await expect.poll(() => card.getByTestId('thread-change').innerText()).toContain('On a suggestion by Dr. Nadia Ferrant');

    // The drafter and the Co-Chair see a tracked change by the panel member: the old words struck
    // through, the new ones inserted.
    const proposed = 'the criteria and procedure for selecting participants';
    for (const user of [drafter, chair]) {
      const inserted = user.clause('1.2').locator('.change-insertion', { hasText: 'the criteria and procedure' });
      await inserted.first().waitFor({ timeout: 10_000 });
      expect(await inserted.first().getAttribute('title')).toMatch(/^Suggested insertion by Dr\. Nadia Ferrant \(/);
      await expect
        .poll(() => user.clause('1.2').locator('.change-deletion').evaluateAll((els) => els.map((e) => e.textContent).join('')))
        .toBe('clear rules for the selection of participants');
    }

    // The Co-Chair finds it in Changes, attributed to the panel member, with the thread on it, and accepts it.
    await chair.page.getByTestId('panel-tab-changes').click();
    const change = chair.page.getByTestId('change-card').filter({ hasText: proposed });
    await change.waitFor({ timeout: 10_000 });
    expect(await change.innerText()).toContain('Dr. Nadia Ferrant');
    await expect.poll(() => change.getByTestId('change-threads').innerText(), { timeout: 10_000 }).toContain('1');
    await change.getByTestId('accept-change').click();
    await change.waitFor({ state: 'detached' });
    await chair.waitForSaved();
    // The drafter's thread says who accepted it, live.
    await expect
      .poll(() => card.getByTestId('thread-change').innerText(), { timeout: 10_000 })
      .toMatch(/Suggestion accepted by Lucía Brennan/);

    // After a reload both read the proposed wording, no longer a suggestion, with the thread on it.
    for (const user of [drafter, chair]) {
      await user.page.reload();
      await user.editor.waitFor();
      await user.clause('1.2').waitFor();
      await expect
        .poll(() => user.clauseText('1.2'), { timeout: 10_000 })
        .toContain(`publish, at its outset, ${proposed}, in the languages`);
      expect(await user.clauseText('1.2')).not.toContain('clear rules');
      expect(await user.clause('1.2').locator('.change-span', { hasText: 'criteria' }).count()).toBe(0);
    }
    await expect
      .poll(() => drafter.clause('1.2').locator('.comment-highlight').innerText(), { timeout: 10_000 })
      .toBe(proposed);
  });

  it('lets a member comment on a change from the Changes panel, shows the thread on the change, and keeps it readable once rejected', async () => {
    const expert = await signInAs(demoUsers.panel);
    const chair = await signInAs(demoUsers.cochair);
    await expert.openDocument(documentId);
    await chair.openDocument(documentId);
    const changeCard = (user: BrowserUser) =>
      user.page.getByTestId('change-card').filter({ hasText: 'within six months of each meeting' });

    // The panel member comments on the drafter's pending insertion in 5.2, from the Changes panel.
    await expert.page.getByTestId('panel-tab-changes').click();
    await changeCard(expert).getByTestId('comment-change').click();
    const draft = expert.page.getByTestId('thread-draft');
    await draft.waitFor();
    expect(await draft.innerText()).toContain('Change by Tomas Ilvesaar · Clause 5.2');
    await expert.page.getByTestId('new-thread-text').fill('Six months is too long for a synthesis.');
    await expert.page.getByTestId('new-thread-submit').click();
    const mine = thread(expert, 'Six months is too long');
    await mine.waitFor();
    expect(await mine.getByTestId('thread-change').innerText()).toContain('On a suggestion by Tomas Ilvesaar');
    // The inserted words are highlighted as commented.
    await expect
      .poll(() => expert.clause('5.2').locator('.comment-highlight').innerText(), { timeout: 10_000 })
      .toContain('within six months of each meeting');

    // The Co-Chair's Changes panel shows the thread on that change; one click opens it in Comments.
    await chair.page.getByTestId('panel-tab-changes').click();
    const count = changeCard(chair).getByTestId('change-threads');
    await expect.poll(() => count.innerText(), { timeout: 10_000 }).toContain('1');
    await count.click();
    await panel(chair).getByTestId('comments-panel').waitFor();
    await expect.poll(() => thread(chair, 'Six months is too long').getAttribute('class')).toContain('is-active');

    // The Co-Chair rejects the change: the thread stays, on deleted text with its quote, saying why.
    await chair.page.getByTestId('panel-tab-changes').click();
    await changeCard(chair).getByTestId('reject-change').click();
    await changeCard(chair).waitFor({ state: 'detached' });
    await mine.getByTestId('thread-orphaned').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => mine.getByTestId('thread-change').innerText(), { timeout: 10_000 })
      .toMatch(/Suggestion rejected by Lucía Brennan/);
    expect(await mine.locator('.thread-quote.is-deleted').innerText()).toContain('within six months of each meeting');
    await chair.waitForSaved();
  });

  it('keeps a thread whose text is deleted, marked "on deleted text" with its quote', async () => {
    const expert = await signInAs(demoUsers.panel);
    const drafter = await signInAs(demoUsers.drafter);
    await expert.openDocument(documentId);
    await drafter.openDocument(documentId);
    await expert.selectWords('3.2', 'local employment and procurement');
    await expert.page.keyboard.press('Control+Alt+m');
    await expert.page.getByTestId('new-thread-text').fill('Define "local".');
    await expert.page.getByTestId('new-thread-submit').click();
    await thread(expert, 'Define "local"').waitFor();

    // The drafter deletes the words.
    await drafter.selectWords('3.2', 'local employment and procurement');
    await drafter.page.keyboard.press('Backspace');
    await drafter.waitForSaved();

    const card = thread(expert, 'Define "local"');
    await card.getByTestId('thread-orphaned').waitFor({ timeout: 10_000 });
    expect(await card.locator('.thread-quote.is-deleted').innerText()).toBe('local employment and procurement');
  });

  it('collapses a resolved thread to one line without its comments, finds it under Resolved, and expands and collapses it again', async () => {
    const chair = await signInAs(demoUsers.cochair);
    await chair.openDocument(documentId);
    await openComments(chair);
    const budgets = thread(chair, 'Machine-readable budgets');
    // Not among the open threads; found behind the "Resolved" toggle and under the Resolved filter.
    await thread(chair, 'a fixed share').waitFor();
    expect(await budgets.count()).toBe(0);
    await chair.page.getByTestId('toggle-resolved').click();
    await budgets.waitFor();

    // Collapsed: one button with its place, the first comment's summary and who resolved it; no comment
    // bodies, no replies, no actions.
    const summary = budgets.locator('.thread-collapsed');
    expect(await summary.getAttribute('aria-expanded')).toBe('false');
    expect(await budgets.innerText()).toMatch(/Clause 2\.2[\s\S]*Machine-readable budgets[\s\S]*Resolved by Lucía Brennan · 3 comments/);
    expect(await budgets.locator('.comment-body').count()).toBe(0);
    expect(await budgets.innerText()).not.toContain('the cross-reference follows in Rev.1');
    expect(await budgets.getByTestId('reopen').count()).toBe(0);
    const collapsedHeight = (await budgets.boundingBox())?.height ?? Infinity;

    // Expanded on a click: every comment and the Co-Chair's reopen button; the chip collapses it again.
    await summary.click();
    await expect.poll(() => budgets.locator('.comment-body').count()).toBe(3);
    expect(await budgets.innerText()).toContain('the cross-reference follows in Rev.1');
    expect(await budgets.getByTestId('reopen').count()).toBe(1);
    expect((await budgets.boundingBox())?.height ?? 0).toBeGreaterThan(2 * collapsedHeight);
    await budgets.locator('.thread-resolved-chip').click();
    await expect.poll(() => budgets.locator('.comment-body').count()).toBe(0);

    // The Resolved filter lists only resolved threads, this one among them, still collapsed.
    await chair.page.getByTestId('filter-resolved').click();
    await expect
      .poll(() => panel(chair).getByTestId('thread').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))
      .not.toContain('open');
    expect(await budgets.locator('.thread-collapsed').count()).toBe(1);
  });

  it('lists exactly the threads that match the filters clicked: status, mine, mentioning me, role and objective', async () => {
    const chair = await signInAs(demoUsers.cochair);
    await chair.openDocument(documentId);
    await openComments(chair);
    await thread(chair, 'a fixed share').waitFor();
    const listed = () =>
      panel(chair)
        .getByTestId('thread')
        .evaluateAll((els) => els.map((e) => ({ status: e.getAttribute('data-status'), text: e.textContent ?? '' })));
    const has = (items: { text: string }[], words: string) => items.some((i) => i.text.includes(words));
    const filters = chair.page.getByRole('group', { name: 'Filter threads' });

    // Status: open only, resolved only, then all.
    const open = await listed();
    expect(open.every((t) => t.status === 'open')).toBe(true);
    expect(has(open, 'Marisca consultation')).toBe(true);
    await filters.getByTestId('filter-resolved').click();
    await expect.poll(async () => (await listed()).every((t) => t.status === 'resolved')).toBe(true);
    expect(has(await listed(), 'Machine-readable budgets')).toBe(true);
    expect(has(await listed(), 'Marisca consultation')).toBe(false);
    await filters.getByTestId('filter-all').click();
    await expect.poll(async () => new Set((await listed()).map((t) => t.status))).toEqual(new Set(['open', 'resolved']));

    // Mine: the threads the Co-Chair started or replied in.
    await filters.getByLabel('Mine').check();
    await expect.poll(async () => has(await listed(), 'General remark')).toBe(false);
    let items = await listed();
    for (const words of ['Both alternatives stay bracketed', '"Basic" may read', 'Machine-readable budgets']) expect(has(items, words), words).toBe(true);
    expect(has(items, 'Marisca consultation')).toBe(false);
    await filters.getByLabel('Mine').uncheck();

    // Mentioning me: the drafter's question on 3.1 and the Secretariat's internal note, nothing else.
    await filters.getByTestId('filter-mentions').check();
    await expect.poll(async () => (await listed()).length).toBe(2);
    items = await listed();
    expect(has(items, 'Veloria and Kestrania still disagree')).toBe(true);
    expect(has(items, 'Orlandia delegation asks for the Zero draft')).toBe(true);
    await filters.getByTestId('filter-mentions').uncheck();

    // By role: threads the panel started, none by a drafter or a Co-Chair.
    await filters.getByLabel('Started by role').selectOption('panel');
    await expect.poll(async () => has(await listed(), 'Veloria and Kestrania')).toBe(false);
    items = await listed();
    expect(has(items, 'Marisca consultation')).toBe(true);
    expect(has(items, 'General remark')).toBe(true);
    expect(has(items, 'Both alternatives stay bracketed')).toBe(false);
    await filters.getByLabel('Started by role').selectOption('');

    // By objective: only threads on clauses of objective 3 (the one on "a fixed share" among them); the
    // whole-document threads and those of other objectives are out.
    const objective3 = await filters
      .getByLabel('Objective')
      .evaluate((el) => [...(el as HTMLSelectElement).options].find((o) => o.text.startsWith('3.'))?.value ?? '');
    expect(objective3).not.toBe('');
    await filters.getByLabel('Objective').selectOption(objective3);
    await expect.poll(async () => (await listed()).every((t) => /^Clause 3\.\d/.test(t.text))).toBe(true);
    items = await listed();
    expect(has(items, 'a fixed share')).toBe(true);
    expect(has(items, 'Marisca consultation')).toBe(false);

    // Clear brings every thread of the status back.
    await filters.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(async () => has(await listed(), 'Marisca consultation')).toBe(true);
    expect(has(await listed(), 'Machine-readable budgets')).toBe(true);
  });

  it('comments on the whole document with markup shown as typed, jumps between a thread and its words, counts it in the outline, keeps the list beside the text, and edits and deletes a comment live', async () => {
    const expert = await signInAs(demoUsers.panel);
    const drafter = await signInAs(demoUsers.drafter);
    await expert.openDocument(documentId);
    await drafter.openDocument(documentId);
    await openComments(expert);
    await openComments(drafter);

    // The whole document, with a body that looks like HTML: shown as typed, never run or rendered.
    await panel(expert).getByTestId('comment-document').click();
    const markup = '<img src=x onerror="window.__injected=1"><b>Whole-document</b> remark';
    await expert.page.getByTestId('new-thread-text').fill(markup);
    await expert.page.getByTestId('new-thread-submit').click();
    for (const user of [expert, drafter]) {
      const card = thread(user, 'Whole-document</b> remark');
      await card.waitFor({ timeout: 10_000 });
      expect(await card.getByTestId('thread-jump').innerText()).toContain('Whole document');
      expect(await card.locator('.comment-body').first().innerText()).toBe(markup);
      expect(await card.locator('.comment-body img, .comment-body b').count()).toBe(0);
      expect(await user.page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
    }

    // A thread on words of clause 4.2 is counted beside the clause and its objective in the outline.
    const clauseId = (await drafter.clause('4.2').getAttribute('data-clause-id')) as string;
    const outlineCount = async (button: Locator) => {
      const badge = button.getByTestId('outline-thread-count');
      return (await badge.count()) === 0 ? 0 : Number(await badge.innerText());
    };
    const clauseInOutline = drafter.page.locator(`.outline-clause button[data-clause-id="${clauseId}"]`);
    const objectiveInOutline = drafter.page.locator('.outline-objective').nth(3).locator(':scope > button');
    const [clauseBefore, objectiveBefore] = [await outlineCount(clauseInOutline), await outlineCount(objectiveInOutline)];
    const words = 'determined through a process';
    await expert.selectWords('4.2', words);
    await expert.page.keyboard.press('Control+Alt+m');
    await expert.page.getByTestId('new-thread-text').fill('Who runs this process?');
    await expert.page.getByTestId('new-thread-submit').click();
    const card = thread(drafter, 'Who runs this process?');
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => outlineCount(clauseInOutline), { timeout: 10_000 }).toBe(clauseBefore + 1);
    await expect.poll(() => outlineCount(objectiveInOutline)).toBe(objectiveBefore + 1);

    // From the thread to its words, and from the words back to the thread.
    await drafter.clause('1.1').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await card.getByTestId('thread-jump').click();
    const threadId = (await card.getAttribute('data-thread-id')) as string;
    const marked = drafter.page.locator(`.comment-highlight.is-active[data-thread-id="${threadId}"]`);
    await expect.poll(() => marked.allInnerTexts()).toEqual([words]);
    // Scrolled into view.
    await expect
      .poll(() => marked.evaluate((el) => el.getBoundingClientRect().top > 0 && el.getBoundingClientRect().bottom < window.innerHeight))
      .toBe(true);
    await thread(drafter, 'Whole-document</b> remark').getByTestId('thread-jump').click();
    await expect.poll(() => card.getAttribute('class')).not.toContain('is-active');
    await drafter.clause('4.2').locator('.comment-highlight', { hasText: 'determined' }).first().click();
    await expect.poll(() => card.getAttribute('class')).toContain('is-active');

    // Scrolling the text brings the first thread of what is in view level with its words.
    await drafter.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await drafter.page.mouse.move(500, 450);
    const offsetInList = () =>
      card.evaluate((el) => {
        const list = el.closest('.side-panel-body') as HTMLElement;
        return Math.round(el.getBoundingClientRect().top - list.getBoundingClientRect().top);
      });
    await drafter.page.evaluate(() => window.scrollTo(0, 0));
    await drafter.clause('1.1').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // At clause 1.1 the list shows the threads of objective 1 first: this one is further down.
    await expect.poll(offsetInList, { timeout: 10_000 }).toBeGreaterThan(100);
    await drafter.clause('4.2').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // At 4.2, this thread comes level with its words.
    const wordsTop = async () => (await drafter.clause('4.2').locator('.comment-highlight', { hasText: 'determined' }).first().boundingBox())?.y ?? NaN;
    await expect.poll(async () => Math.abs(((await card.boundingBox())?.y ?? NaN) - (await wordsTop())), { timeout: 10_000 }).toBeLessThanOrEqual(16);

    // The panel member edits their comment; once the drafter has replied, deleting it leaves a marker.
    const mine = thread(expert, 'Who runs this process?');
    await mine.getByRole('button', { name: 'Edit' }).click();
    await expert.page.getByTestId('edit-composer-text').fill('Who runs this process, and who pays for it?');
    await expert.page.getByTestId('edit-composer-submit').click();
    const edited = thread(drafter, 'and who pays for it?');
    await edited.waitFor({ timeout: 10_000 });
    await edited.getByTestId('reply').click();
    await drafter.page.getByTestId('reply-composer-text').fill('The national authority.');
    await drafter.page.getByTestId('reply-composer-submit').click();
    const answered = thread(expert, 'The national authority.');
    await answered.waitFor({ timeout: 10_000 });
    expert.page.once('dialog', (dialog) => void dialog.accept());
    await answered.getByTestId('delete-comment').first().click();
    const kept = thread(drafter, 'The national authority.');
    await kept.getByTestId('comment-deleted').waitFor({ timeout: 10_000 });
    expect(await kept.innerText()).not.toContain('who pays for it');
    expect(await kept.getByTestId('comment-deleted').innerText()).toBe('Comment deleted');
  });
  it('keeps a thread level with its words while a peer inserts clauses above them, without the page scrolling', async () => {
    const chair = await signInAs(demoUsers.cochair);
    const drafter = await signInAs(demoUsers.drafter);
    await chair.openDocument(documentId);
    await drafter.openDocument(documentId);
    await openComments(chair);
    const card = thread(chair, 'a fixed share');
    await card.waitFor();
    const threadId = (await card.getAttribute('data-thread-id')) as string;
    const words = chair.page.locator(`.comment-highlight[data-thread-id="${threadId}"]`).first();
    const tops = async () => ({
      card: Math.round((await card.boundingBox())?.y ?? NaN),
      words: Math.round((await words.boundingBox())?.y ?? NaN),
      page: await chair.page.evaluate(() => window.scrollY),
    });

    // Chromium's scroll anchoring may keep the words in place by scrolling the page, or not (when the node
    // it anchors to is re-rendered); Safari and Firefox on iOS have none. Off, the peer's edit moves the
    // words on screen every time, which is what the list has to follow.
    await chair.page.evaluate(() => {
      document.documentElement.style.overflowAnchor = 'none';
      document.body.style.overflowAnchor = 'none';
    });
    // The Co-Chair reads objective 3: its rationale near the top, the words "a fixed share" of 3.1 below.
    await chair.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await chair.page.mouse.move(500, 450);
    await chair.page
      .locator('.accord-rationale')
      .nth(2)
      .evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 120));
    await expect.poll(async () => { const t = await tops(); return Math.abs(t.card - t.words); }, { timeout: 10_000 }).toBeLessThanOrEqual(16);
    const before = await tops();

    // The drafter inserts three clauses at the start of objective 3, above the commented words.
    await drafter.page
      .locator('.accord-rationale')
      .nth(2)
      .evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        range.collapse(false);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
        (el.closest('.ProseMirror') as HTMLElement).focus();
      });
    // The editor reads the new selection asynchronously (selectionchange), as by the next key a person presses.
    await drafter.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    for (const n of ['first', 'second', 'third']) {
      await drafter.page.keyboard.press('Enter');
      await drafter.page.keyboard.insertText(
        `A new ${n} clause, inserted above the commented words while others read them, long enough to take two lines of the page.`,
      );
    }
    await drafter.waitForSaved();

    // The words moved down at the Co-Chair's, the page did not scroll, and the thread followed them.
    await expect.poll(async () => (await tops()).words - before.words, { timeout: 10_000 }).toBeGreaterThan(100);
    await expect.poll(async () => { const t = await tops(); return Math.abs(t.card - t.words); }, { timeout: 10_000 }).toBeLessThanOrEqual(16);
    expect((await tops()).page).toBe(before.page);
    const text = await chair.editor.innerText();
    expect(text.indexOf('A new third clause')).toBeGreaterThan(-1);
    expect(text.indexOf('A new third clause')).toBeLessThan(text.indexOf('a fixed share'));
    expect(await chair.clauseText('2.4')).not.toContain('A new');
    expect(await chair.clauseText('2.3')).not.toContain('A new');
  });
});
