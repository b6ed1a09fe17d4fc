import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { roleColors } from '@shared/permissions';
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

describe('suggesting mode in the browser', () => {
  let browser: Browser;
  let server: TestServer;
  let documentId: string;
  const users: BrowserUser[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    const secretariat = await signIn(server.url, demoUsers.secretariat);
    documentId = await firstDocumentId(server.url, secretariat);
    const res = await fetch(`${server.url}/api/documents/${documentId}/settings`, {
      method: 'PATCH',
      headers: { cookie: secretariat, 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ requireSuggestingForDrafters: true }),
    });
    expect(res.status).toBe(200);
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

  it('a drafter who must suggest types and deletes; a Co-Chair sees it live, accepts one and rejects the other', async () => {
    const drafter = await BrowserUser.signIn(browser, server.url, demoUsers.drafter);
    const chair = await BrowserUser.signIn(browser, server.url, demoUsers.cochair);
    users.push(drafter, chair);
    await drafter.openDocument(documentId);
    await chair.openDocument(documentId);
    await chair.page.getByTestId('panel-tab-changes').click();

    // The policy opens the drafter's editor in Suggesting and Editing is not available.
    await expect.poll(() => drafter.page.getByTestId('mode-suggesting').getAttribute('aria-checked')).toBe('true');
    expect(await drafter.page.getByTestId('mode-editing').isDisabled()).toBe(true);

    const original32 = await drafter.clauseText('3.2');
    const original53 = await drafter.clauseText('5.3');
    await drafter.typeAtEndOfClause('5.3', ' Reviewed yearly.');
    await drafter.caretAtEndOfClause('3.2');
    for (let i = 0; i < 'transparency.'.length; i++) await drafter.page.keyboard.press('Backspace');
    await drafter.waitForSaved();

    // Deleted text stays, struck through; both show as the drafter's suggestions at the Co-Chair's.
    expect(await drafter.clauseText('3.2')).toBe(original32);
    const insertionCard = chair.page.getByTestId('change-card').filter({ hasText: 'Reviewed yearly.' });
    const deletionCard = chair.page
      .getByTestId('change-card')
      .filter({ has: chair.page.getByTestId('change-deleted').filter({ hasText: 'transparency.' }) });
    await insertionCard.waitFor({ timeout: 15_000 });
    await deletionCard.waitFor({ timeout: 15_000 });
    await expect.poll(() => insertionCard.textContent()).toContain('Tomas Ilvesaar');
    expect(await insertionCard.textContent()).toContain('Clause 5.3');
    expect(await deletionCard.textContent()).toMatch(/Tomas Ilvesaar[\s\S]*Clause 3\.2/);
    await expect.poll(() => chair.clauseText('5.3')).toBe(`${original53} Reviewed yearly.`);
    expect(await chair.clause('3.2').locator('.change-deletion').count()).toBeGreaterThan(0);

    await insertionCard.getByTestId('accept-change').click();
    await insertionCard.waitFor({ state: 'detached' });
    await deletionCard.getByTestId('reject-change').click();
    await deletionCard.waitFor({ state: 'detached' });
    await chair.waitForSaved();

    const expected53 = `${original53} Reviewed yearly.`;
    for (const user of [chair, drafter]) {
      await expect.poll(() => user.clauseText('5.3'), { timeout: 10_000 }).toBe(expected53);
      await expect.poll(() => user.clauseText('3.2'), { timeout: 10_000 }).toBe(original32);
      await expect.poll(() => user.clause('5.3').locator('.change-insertion').count()).toBe(0);
      await expect.poll(() => user.clause('3.2').locator('.change-deletion').count()).toBe(0);
    }

    // After a reload both read the decided text, with no pending change left in those clauses.
    for (const user of [chair, drafter]) {
      await user.page.reload();
      await user.editor.waitFor();
      await user.clause('5.3').waitFor();
      await expect.poll(() => user.clauseText('5.3'), { timeout: 10_000 }).toBe(expected53);
      expect(await user.clauseText('3.2')).toBe(original32);
      expect(await user.clause('5.3').locator('.change-insertion').count()).toBe(0);
      expect(await user.clause('3.2').locator('.change-deletion').count()).toBe(0);
    }
  });

  it('keeps a Co-Chair\'s direct edit beside a drafter\'s suggestion their own, undoes only the drafter\'s suggestion, and previews final and original', async () => {
    const drafter = await BrowserUser.signIn(browser, server.url, demoUsers.drafter);
    const chair = await BrowserUser.signIn(browser, server.url, demoUsers.cochair);
    users.push(drafter, chair);
    await drafter.openDocument(documentId);
    await chair.openDocument(documentId);
    await expect.poll(() => drafter.page.getByTestId('mode-suggesting').getAttribute('aria-checked')).toBe('true');
    await chair.page.getByTestId('mode-editing').dispatchEvent('mousedown');
    await expect.poll(() => chair.page.getByTestId('mode-editing').getAttribute('aria-checked')).toBe('true');
    const original = await drafter.clauseText('4.2');
    const insertions = (user: BrowserUser) =>
      user.clause('4.2').locator('.change-insertion').evaluateAll((els) => els.map((e) => e.textContent).join(''));

    // The drafter suggests; the Co-Chair, editing directly, types right after the suggestion.
    await drafter.typeAtEndOfClause('4.2', ' SUGGESTED');
    await expect.poll(() => insertions(chair), { timeout: 10_000 }).toBe(' SUGGESTED');
    await chair.typeAtEndOfClause('4.2', ' EDITED');
    for (const user of [drafter, chair]) {
      await expect.poll(() => user.clauseText('4.2'), { timeout: 10_000 }).toBe(`${original} SUGGESTED EDITED`);
      // Only the drafter's words are a suggestion, the drafter's, in the drafter's role colour.
      expect(await insertions(user)).toBe(' SUGGESTED');
      const mark = user.clause('4.2').locator('.change-insertion').first();
      expect(await mark.getAttribute('title')).toMatch(/^Suggested insertion by Tomas Ilvesaar \(Steering group\)/);
      expect(await mark.getAttribute('style')).toContain(roleColors.drafter);
    }

    // Previews: every suggestion accepted, every suggestion rejected; the live text is unchanged.
    await drafter.page.getByTestId('view-final').click();
    const preview = (which: string) => drafter.page.getByTestId(`preview-${which}`).locator('.accord-clause[data-number="4.2"]');
    await expect.poll(() => preview('final').innerText(), { timeout: 10_000 }).toBe(`${original} SUGGESTED EDITED`);
    await drafter.page.getByTestId('view-original').click();
    await expect.poll(() => preview('original').innerText(), { timeout: 10_000 }).toBe(`${original} EDITED`);
    await drafter.page.getByTestId('view-changes').click();
    await expect.poll(() => insertions(drafter)).toBe(' SUGGESTED');

    // Undo in Suggesting takes back the drafter's own suggestion, never the Co-Chair's edit.
    await drafter.caretAtEndOfClause('4.2');
    await drafter.page.keyboard.press('Control+z');
    for (const user of [drafter, chair]) {
      await expect.poll(() => user.clauseText('4.2'), { timeout: 10_000 }).toBe(`${original} EDITED`);
      expect(await insertions(user)).toBe('');
    }
    // The Co-Chair's Ctrl+Z takes back their own direct edit, typed right after a suggestion.
    await chair.caretAtEndOfClause('4.2');
    await chair.page.keyboard.press('Control+z');
    for (const user of [drafter, chair]) {
      await expect.poll(() => user.clauseText('4.2'), { timeout: 10_000 }).toBe(original);
    }
    await drafter.waitForSaved();
    await chair.waitForSaved();
  });

  it('lets a Co-Chair reject all in one clause, accept all by one author and reject all the rest from the Changes panel, live at a drafter', async () => {
    const drafter = await BrowserUser.signIn(browser, server.url, demoUsers.drafter);
    const chair = await BrowserUser.signIn(browser, server.url, demoUsers.cochair);
    users.push(drafter, chair);
    await drafter.openDocument(documentId);
    await chair.openDocument(documentId);
    for (const user of [drafter, chair]) await user.page.getByTestId('panel-tab-changes').click();
    const cards = (user: BrowserUser) => user.page.getByTestId('change-card');
    const cardTexts = (user: BrowserUser) => cards(user).allTextContents();
    const insertions = (user: BrowserUser, number: string) => user.clause(number).locator('.change-insertion').count();
    const original = Object.fromEntries(await Promise.all(['1.2', '2.3', '3.3', '5.1', '5.2', '5.3'].map(async (n) => [n, await chair.clauseText(n)] as const)));

    // The drafter suggests words in 5.1 and in 5.3, beside the demo's pending changes of several members.
    await drafter.typeAtEndOfClause('5.1', ' Alpha one.');
    await drafter.typeAtEndOfClause('5.3', ' Alpha two.');
    await drafter.waitForSaved();
    await expect.poll(async () => (await cardTexts(chair)).join('|'), { timeout: 15_000 }).toMatch(/Alpha one\.[\s\S]*Alpha two\./);
    const dialogs: string[] = [];
    chair.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });

    // All in one clause: 5.3 shows its one change; "Reject shown" takes it back, here and at the drafter's.
    const clause53 = (await chair.clause('5.3').getAttribute('data-clause-id')) as string;
    await chair.page.getByTestId('filter-clause').selectOption(clause53);
    await expect.poll(() => cardTexts(chair)).toEqual([expect.stringContaining('Alpha two.')]);
    await chair.page.getByTestId('reject-shown').click();
    await chair.page.getByTestId('changes-empty').waitFor();
    expect(dialogs.pop()).toBe('Reject the 1 shown change?');
    for (const user of [chair, drafter]) {
      await expect.poll(() => user.clauseText('5.3'), { timeout: 10_000 }).toBe(original['5.3']);
      await expect.poll(() => insertions(user, '5.3')).toBe(0);
    }
    await expect.poll(async () => (await cardTexts(drafter)).some((t) => t.includes('Alpha two.')), { timeout: 10_000 }).toBe(false);
    expect((await cardTexts(drafter)).some((t) => t.includes('Alpha one.'))).toBe(true);

    // All by one author: the drafter's 5.1 suggestion and the demo's 5.2 insertion, accepted together.
    await chair.page.getByTestId('filter-clause').selectOption('');
    await chair.page.getByTestId('filter-author').selectOption({ label: 'Tomas Ilvesaar' });
    await expect.poll(async () => (await cardTexts(chair)).every((t) => t.includes('Tomas Ilvesaar'))).toBe(true);
    const byDrafter = await cardTexts(chair);
    expect(byDrafter.some((t) => t.includes('Alpha one.')) && byDrafter.some((t) => t.includes('within six months'))).toBe(true);
    await chair.page.getByTestId('accept-shown').click();
    await expect.poll(() => cards(chair).count()).toBe(0);
    expect(dialogs.pop()).toBe(`Accept the ${byDrafter.length} shown changes?`);
    for (const user of [chair, drafter]) {
      await expect.poll(() => user.clauseText('5.1'), { timeout: 10_000 }).toBe(`${original['5.1']} Alpha one.`);
      expect(await user.clauseText('5.2')).toBe(original['5.2']);
      await expect.poll(() => insertions(user, '5.1')).toBe(0);
      await expect.poll(() => insertions(user, '5.2')).toBe(0);
      await expect.poll(async () => (await cardTexts(user)).some((t) => t.includes('Tomas Ilvesaar')), { timeout: 10_000 }).toBe(false);
    }
    await chair.page.getByTestId('filter-author').selectOption('');
    // The Co-Chair's and the Secretariat's changes are still pending.
    await expect.poll(async () => (await cardTexts(chair)).join('|')).toMatch(/Lucía Brennan/);
    const rest = await cards(chair).count();
    expect((await cardTexts(drafter)).length).toBe(rest);

    // All: "Reject all" takes back every remaining change; the text reads as it did before them.
    expect(await chair.page.getByTestId('reject-shown').innerText()).toBe('Reject all');
    await chair.page.getByTestId('reject-shown').click();
    expect(dialogs.pop()).toBe(`Reject all ${rest} changes?`);
    for (const user of [chair, drafter]) {
      await expect.poll(() => user.page.getByTestId('changes-empty').innerText(), { timeout: 10_000 }).toMatch(/^No pending changes/);
      await expect.poll(() => user.clauseText('1.2'), { timeout: 10_000 }).not.toContain('accessible formats');
      expect(await user.clauseText('2.3')).not.toContain('basic');
      expect(await user.clauseText('2.3')).toContain('essential');
      expect(await user.clauseText('3.3')).toBe(original['3.3']);
      expect(await user.editor.locator('.change-insertion, .change-deletion').count()).toBe(0);
    }
    await chair.waitForSaved();
  });

  it('takes a clause through brackets, alternatives and a resolution to agreed, live at a drafter, who is then locked out of it', async () => {
    const drafter = await BrowserUser.signIn(browser, server.url, demoUsers.drafter);
    const chair = await BrowserUser.signIn(browser, server.url, demoUsers.cochair);
    users.push(drafter, chair);
    await drafter.openDocument(documentId);
    await chair.openDocument(documentId);
    const chip = (user: BrowserUser) => user.clause('4.1').getByTestId('gutter-status');
    const clauseId = (await drafter.clause('4.1').getAttribute('data-clause-id')) as string;
    const outlineStatus = drafter.page.locator(`.outline-clause button[data-clause-id="${clauseId}"] .outline-status`);
    const objectiveCounts = drafter.page.locator('.outline-objective').nth(3).locator(':scope > button .outline-counts');
    await expect.poll(() => chip(drafter).getAttribute('data-status')).toBe('proposed');
    const [agreedBefore, total] = (await objectiveCounts.innerText()).split('/').map(Number) as [number, number];

    // The Co-Chair brackets words of clause 4.1 and adds an alternative; the drafter sees them listed with their clause.
    await chair.page.getByTestId('panel-tab-brackets').click();
    await chair.selectWords('4.1', 'independent mechanisms');
    await chair.page.getByTestId('bracket-selection').dispatchEvent('mousedown');
    const card = (user: BrowserUser) => user.page.getByTestId('bracket-card').filter({ hasText: 'independent mechanisms' });
    await card(chair).waitFor();
    await card(chair).getByRole('button', { name: 'Add alternative' }).dispatchEvent('mousedown');
    await expect.poll(() => card(chair).innerText()).toMatch(/Alt 1 \[independent mechanisms\][\s\S]*Alt 2 \[alternative wording\]/);
    await drafter.page.getByTestId('panel-tab-brackets').click();
    await expect.poll(() => card(drafter).innerText(), { timeout: 10_000 }).toMatch(/^Clause 4\.1[\s\S]*Alt 2 \[alternative wording\]/);
    expect(await card(drafter).getByTestId('choose-alternative').count()).toBe(0); // drafters do not decide

    // Its status view counts the open bracket, and "agreed" cannot be proposed while it is there.
    await chip(drafter).click();
    const status = drafter.page.getByTestId('clause-status');
    await expect.poll(() => status.getByTestId('open-brackets').innerText(), { timeout: 10_000 }).toBe('1 open bracket');
    expect(await status.getByTestId('set-status-agreed').isDisabled()).toBe(true);

    // The Co-Chair chooses Alt 1: the other goes, and the resolution is recorded.
    await card(chair).getByTestId('choose-alternative').first().click();
    await card(chair).waitFor({ state: 'detached' });
    await expect.poll(() => drafter.clauseText('4.1'), { timeout: 10_000 }).toContain('support independent mechanisms to document');
    expect(await drafter.clauseText('4.1')).not.toContain('alternative wording');
    await expect.poll(() => status.getByTestId('open-brackets').innerText(), { timeout: 10_000 }).toBe('No open brackets');

    // The drafter proposes agreed; the Co-Chair sees the proposal live and confirms it.
    await status.getByTestId('set-status-agreed').click();
    await expect.poll(() => chip(chair).innerText(), { timeout: 10_000 }).toBe('Proposed •');
    await chip(chair).click();
    await chair.page.getByTestId('clause-status').getByTestId('confirm-proposal').click();
    // Live at the drafter: margin chip, outline marker, the objective's count of agreed clauses, history.
    await expect.poll(() => chip(drafter).getAttribute('data-status'), { timeout: 10_000 }).toBe('agreed');
    await expect.poll(() => outlineStatus.getAttribute('data-status')).toBe('agreed');
    await expect.poll(() => objectiveCounts.innerText()).toBe(`${agreedBefore + 1}/${total}`);
    await expect.poll(() => status.getByTestId('status-history').innerText(), { timeout: 10_000 }).toMatch(/Lucía Brennan confirmed/);

    // Agreed: the drafter's typing in it is refused, with the reason; nothing reaches the text.
    const agreedText = await drafter.clauseText('4.1');
    await drafter.typeAtEndOfClause('4.1', ' sneaked in');
    await expect.poll(() => drafter.page.getByTestId('negotiation-notice').innerText()).toContain('agreed and locked');
    expect(await drafter.clauseText('4.1')).toBe(agreedText);
    await chair.waitForSaved();
    const cookie = await signIn(server.url, demoUsers.cochair);
    const audit = (await (await fetch(`${server.url}/api/documents/${documentId}/audit?limit=50`, { headers: { cookie } })).json()) as {
      entries: { action: string; detail: { clauseId?: string; chosen?: { text: string } } }[];
    };
    expect(audit.entries.find((e) => e.action === 'bracket.resolved' && e.detail.clauseId === clauseId)?.detail.chosen?.text).toBe('independent mechanisms');
    expect(audit.entries.some((e) => e.action === 'clause.status_confirmed' && e.detail.clauseId === clauseId)).toBe(true);
    expect(await chair.clauseText('4.1')).toBe(agreedText);
    // A Co-Chair is not locked out.
    await chair.typeAtEndOfClause('4.1', ' Chair note.');
    await expect.poll(() => drafter.clauseText('4.1'), { timeout: 10_000 }).toBe(`${agreedText} Chair note.`);
    await chair.waitForSaved();
  });
});
