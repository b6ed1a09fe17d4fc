import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { pdfFile } from '@tests/helpers/fileFixtures';
import { demoUsers, firstDocumentId, signIn } from '@tests/helpers/http';
import { startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

describe('consultation evidence in the browser', () => {
  let browser: Browser;
  let server: TestServer;
  let documentId: string;
  const users: BrowserUser[] = [];

  const signInAs = async (email: string) => {
    const user = await BrowserUser.signIn(browser, server.url, email);
    users.push(user);
    return user;
  };
  const badge = (user: BrowserUser, number: string) => user.clause(number).getByTestId('evidence-badge');

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

  it('lets a drafter link an excerpt to a clause from the evidence panel, and another member sees the badge change live', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    const observer = await signInAs(demoUsers.observer);
    await drafter.openDocument(documentId);
    await observer.openDocument(documentId);

    // The seeded clause 1.1 rests on three excerpts; 5.2 rests on none.
    await expect.poll(() => badge(observer, '1.1').getAttribute('data-count'), { timeout: 10_000 }).toBe('3');
    expect(await badge(observer, '5.2').count()).toBe(0);

    await drafter.caretAtEndOfClause('5.2');
    await drafter.page.getByTestId('panel-tab-evidence').click();
    const panel = drafter.page.getByTestId('evidence-panel');
    await expect.poll(() => panel.getAttribute('data-clause-id'), { timeout: 10_000 }).toBe('c-demo00050002');
    await panel.getByTestId('evidence-empty').waitFor();

    await panel.getByTestId('evidence-search').fill('"broken down by region"');
    const hit = panel.getByTestId('excerpt-hit');
    await expect.poll(() => hit.count(), { timeout: 10_000 }).toBe(1);
    expect(await hit.innerText()).toContain('Kestrania');
    await hit.getByTestId('link-supports').click();

    const link = panel.getByTestId('evidence-link');
    await expect.poll(() => link.count(), { timeout: 10_000 }).toBe(1);
    expect(await link.innerText()).toContain('Linked by Tomas Ilvesaar');
    await expect.poll(() => badge(drafter, '5.2').getAttribute('data-count'), { timeout: 10_000 }).toBe('1');
    // The observer did nothing: the count arrives over the document's live events.
    await expect.poll(() => badge(observer, '5.2').getAttribute('data-count'), { timeout: 10_000 }).toBe('1');

    // The observer reads the same evidence, without the controls to change it.
    await badge(observer, '5.2').click();
    const observerPanel = observer.page.getByTestId('evidence-panel');
    await expect.poll(() => observerPanel.getByTestId('evidence-link').count(), { timeout: 10_000 }).toBe(1);
    expect(await observerPanel.getByTestId('unlink').count()).toBe(0);
    expect(await observerPanel.getByTestId('evidence-search').count()).toBe(0);

    // Unlinking takes the badge away for both.
    await link.getByTestId('unlink').click();
    await link.getByTestId('confirm-unlink').click();
    await expect.poll(() => badge(observer, '5.2').count(), { timeout: 10_000 }).toBe(0);
    expect(await badge(drafter, '5.2').count()).toBe(0);

    // A badge opens the panel on its own clause, wherever the cursor is, and the panel then follows the cursor.
    await drafter.page.locator('.side-panel-close').click();
    await drafter.caretAtEndOfClause('1.2');
    await badge(drafter, '1.1').click();
    await expect.poll(() => panel.getAttribute('data-clause-id'), { timeout: 10_000 }).toBe('c-demo00010001');
    await expect.poll(() => panel.getByTestId('evidence-link').count(), { timeout: 10_000 }).toBe(3);
    await drafter.caretAtEndOfClause('1.3');
    await expect.poll(() => panel.getAttribute('data-clause-id'), { timeout: 10_000 }).toBe('c-demo00010003');
  });

  it('lets a drafter select a passage of a report and save it as an excerpt with themes, highlighted in the text', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    const page = drafter.page;
    await page.goto(`${server.url}/`);
    await page.getByTestId('evidence-library-link').first().click();
    await page.getByTestId('library-search').fill('Tavaro');
    await expect.poll(() => page.getByTestId('report-card').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('report-card').first().click();
    const text = page.getByTestId('report-text');
    await text.waitFor();
    const before = await page.getByTestId('excerpt-item').count();

    // Select "when markets closed, they lost all income at once" with the mouse's range, as a reader would.
    const passage = 'when markets closed, they lost all income at once';
    await text.evaluate((el, wanted) => {
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
        el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
        return;
      }
      throw new Error('passage not found');
    }, passage);

    const form = page.getByTestId('save-excerpt');
    await form.waitFor();
    expect(await form.innerText()).toContain(passage);
    await form.getByTestId('theme-input').fill('informal economy');
    await form.getByTestId('theme-input').press('Enter');
    await form.getByTestId('theme-input').fill('Crisis');
    await form.getByTestId('save-excerpt-button').click();

    await expect.poll(() => page.getByTestId('excerpt-item').count(), { timeout: 10_000 }).toBe(before + 1);
    await expect.poll(() => text.locator('mark.excerpt-mark').allInnerTexts(), { timeout: 10_000 }).toContain(passage);
    expect(await page.getByTestId('excerpt-item').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/when markets closed[\s\S]*informal economy[\s\S]*crisis/)]),
    );
  });

  it('imports a PDF from the library page into a new report, and explains why a damaged file was refused', async () => {
    const secretariat = await signInAs(demoUsers.secretariat);
    const page = secretariat.page;
    await page.goto(`${server.url}/`);
    await page.getByTestId('evidence-library-link').first().click();
    await page.getByTestId('add-report-button').click();
    const form = page.getByTestId('add-report');
    await form.getByTestId('report-country-input').fill('Quessia');
    await form.getByTestId('report-date-input').fill('2029-08-01');

    // A damaged Word file: refused with a sentence saying why, and nothing is added.
    await form.getByTestId('report-file-input').setInputFiles({
      name: 'minutes.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from('PK\u0003\u0004 this is not really a zip archive'),
    });
    await form.getByTestId('add-report-submit').click();
    await expect.poll(() => form.getByTestId('add-report-error').innerText(), { timeout: 10_000 }).toContain('could not be read');
    expect(await page.getByTestId('library-count').innerText()).toBe('6 reports');

    const pdf = pdfFile({ title: 'Quessia coastal hearings', pages: [['Fishing families asked for a say in quotas.'], ['Harbour towns want reconstruction money.']] });
    await form.getByTestId('report-file-input').setInputFiles({ name: 'quessia.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
    await form.getByTestId('add-report-submit').click();

    const reader = page.getByTestId('report-reader');
    await reader.waitFor({ timeout: 15_000 });
    expect(await reader.locator('.report-title').innerText()).toBe('Quessia coastal hearings');
    expect(await reader.getByTestId('report-text').innerText()).toContain('Harbour towns want reconstruction money.');
    expect(await reader.innerText()).toContain('Imported from quessia.pdf');
    await expect.poll(() => page.getByTestId('library-count').innerText(), { timeout: 10_000 }).toBe('7 reports');

    // The new report is found by the full-text search at once.
    await page.getByTestId('library-search').fill('reconstruction money');
    await expect.poll(() => page.getByTestId('report-card').allInnerTexts(), { timeout: 10_000 }).toEqual([
      expect.stringContaining('Quessia coastal hearings'),
    ]);
  });

  it('shows any member the coverage heatmap with the clauses resting on no consultation and the reports no clause cites, and exports it as CSV', async () => {
    const observer = await signInAs(demoUsers.observer);
    const page = observer.page;
    await page.goto(`${server.url}/documents/${documentId}/coverage`);
    const matrix = page.getByTestId('coverage-matrix');
    await matrix.waitFor({ timeout: 10_000 });
    const countries = await matrix.locator('thead .matrix-country').allInnerTexts();
    expect(countries).toEqual(expect.arrayContaining(['Kestrania', 'Lake Sorrel region', 'Marisca', 'Orlandia', 'Tavaro', 'Veloria']));

    // Seeded clause 1.1: Veloria supports it twice, Kestrania challenges it once; 5.2 rests on nothing.
    const row = (number: string) => matrix.locator(`tr[data-clause-number="${number}"]`);
    const cell = (number: string, country: string) => row(number).locator('td').nth(countries.indexOf(country));
    expect(await cell('1.1', 'Veloria').getAttribute('class')).toContain('is-supports');
    expect(await cell('1.1', 'Veloria').innerText()).toBe('+2');
    expect(await cell('1.1', 'Kestrania').innerText()).toBe('−1');
    expect(await row('5.2').getAttribute('class')).toContain('is-uncovered');
    expect(await row('1.1').getAttribute('class')).not.toContain('is-uncovered');
    expect(await page.getByTestId('uncovered-clauses').innerText()).toContain('Clause 5.2');
    expect(await page.getByTestId('uncited-reports').innerText()).toContain('Lake Sorrel region');

    const href = await page.getByTestId('download-coverage-csv').getAttribute('href');
    const csv = await page.request.get(new URL(href ?? '', server.url).toString());
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Objective,Clause,Text,.*Veloria,Supports,Challenges,Covered$/);
    expect(lines.find((l) => l.startsWith('5,5.2,'))).toMatch(/,0,0,no$/);
  });

  it('shows the progress of a large PDF import, page by page, until the report opens', async () => {
    const secretariat = await signInAs(demoUsers.secretariat);
    const page = secretariat.page;
    await page.goto(`${server.url}/`);
    await page.getByTestId('evidence-library-link').first().click();
    await page.getByTestId('add-report-button').click();
    const form = page.getByTestId('add-report');
    await form.getByTestId('report-country-input').fill('Arvenia');
    await form.getByTestId('report-date-input').fill('2029-09-12');

    // Long enough to read that the server is still extracting when the client asks (every 400 ms):
    // 2–4 s here, so that even a machine several times faster spans a few of those questions.
    const pageCount = 1200;
    const pages = Array.from({ length: pageCount }, (_, p) => [
      `Arvenia hearing record, page ${p + 1}.`,
      'Farmers asked that water rights be settled before any new irrigation levy.',
      'Teachers asked for the curriculum reform to be phased in over three school years.',
      'Youth groups asked for a standing seat in the follow-up committee.',
    ]);
    const pdf = pdfFile({ title: 'Arvenia hearings, full record', pages });
    await form.getByTestId('report-file-input').setInputFiles({ name: 'arvenia.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });

    // Every state the indicator shows, recorded in the page as it changes (no sampling by sleeps).
    const seen = await form.evaluateHandle((el) => {
      const states: { label: string; value: number | null }[] = [];
      const record = () => {
        const box = el.querySelector('[data-testid="import-progress"]');
        if (!box) return;
        const bar = box.querySelector('progress');
        const state = {
          label: box.textContent ?? '',
          // An indeterminate bar has no position (-1): the indicator says "busy" without a figure.
          value: bar && bar.position >= 0 ? bar.value : null,
        };
        const last = states[states.length - 1];
        if (!last || last.label !== state.label || last.value !== state.value) states.push(state);
      };
      new MutationObserver(record).observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
      return states;
    });

    // A slow uplink (DevTools network emulation, ~1 s for this file) so that the browser reports the
    // upload's progress as it goes, as it does for a large file on a real connection; on loopback the
    // whole body is sent before the first progress event is due.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
    await form.getByTestId('add-report-submit').click();
    const reader = page.getByTestId('report-reader');
    await reader.waitFor({ timeout: 20_000 });
    await cdp.detach();
    expect(await reader.locator('.report-title').innerText()).toBe('Arvenia hearings, full record');
    expect(await reader.getByTestId('report-text').innerText()).toContain(`Arvenia hearing record, page ${pageCount}.`);
    expect(await page.getByTestId('import-progress').count()).toBe(0);

    const states = await seen.jsonValue();
    const shown = `states shown: ${JSON.stringify(states)}`;
    // First the upload, with the size of the file and a bar that fills as the bytes go out …
    const uploading = states.flatMap((s, at) => {
      const m = /^Uploading… (\d+)% of (\d+\.\d) MB$/.exec(s.label);
      return m ? [{ at, percent: Number(m[1]), megabytes: m[2], value: s.value }] : [];
    });
    expect(uploading.length, shown).toBeGreaterThanOrEqual(2);
    expect(uploading[0]?.at, shown).toBe(0);
    for (const u of uploading) {
      expect(u.megabytes).toBe((pdf.byteLength / (1024 * 1024)).toFixed(1));
      expect(Math.round((u.value ?? -1) * 100)).toBe(u.percent);
    }
    expect(uploading.map((u) => u.percent), 'the upload only moves forward').toEqual(uploading.map((u) => u.percent).sort((a, b) => a - b));
    // … then the extraction, page n of 1200, with a bar that fills as the server reads the pages.
    const extracting = states.flatMap((s, at) => {
      const m = /^Extracting the text… page (\d+) of (\d+)$/.exec(s.label);
      return m ? [{ at, done: Number(m[1]), total: Number(m[2]), value: s.value }] : [];
    });
    const reading = extracting.filter((e) => e.done > 0 && e.done < pageCount);
    // One reading mid-way proves the indicator; more depend on the machine's speed against the 400 ms poll.
    expect(reading.length, shown).toBeGreaterThanOrEqual(1);
    expect(Math.min(...extracting.map((e) => e.at)), shown).toBeGreaterThan(Math.max(...uploading.map((u) => u.at)));
    for (const e of extracting) {
      expect(e.total).toBe(pageCount);
      expect(e.value).toBeCloseTo(e.done / pageCount, 5);
    }
    const done = extracting.map((e) => e.done);
    expect(done, 'the page count only moves forward').toEqual([...done].sort((a, b) => a - b));
  });
});
