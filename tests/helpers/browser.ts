/**
 * A browser driver for end-to-end tests: Debian's Chromium through playwright-core, one context per
 * person, with fluent actions that read like what a user does.
 *
 * ```ts
 * const browser = await launchBrowser();
 * const drafter = await BrowserUser.signIn(browser, server.url, demoUsers.drafter);
 * await drafter.openDocument(documentId);
 * await drafter.typeAtEndOfClause('1.1', ' and civil society');
 * await drafter.waitForSaved();
 * ```
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './http';

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts headless Chromium with the flags this sandbox needs; fails clearly when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install chromium\` (.ci/run does this).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** One person in their own browser context (own cookies, own IndexedDB). */
export class BrowserUser {
  /** Errors the page threw or logged, for the failure message of a test. */
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('pageerror', (err) => this.problems.push(`pageerror: ${err.message}`));
  }

  /** Opens a new context and signs in through the sign-in page, as a person would. */
  static async signIn(browser: Browser, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<BrowserUser> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const user = new BrowserUser(context, page, baseUrl);
    await page.goto(`${baseUrl}/signin`);
    await page.getByTestId('signin-email').fill(email);
    await page.getByTestId('signin-password').fill(password);
    await page.getByTestId('signin-password').press('Enter');
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
    return user;
  }

  /** The editable text of the document. */
  get editor(): Locator {
    return this.page.locator('[data-testid="editor"] .ProseMirror');
  }

  /** Opens a document page and waits until its text is shown. */
  async openDocument(documentId: string): Promise<this> {
    await this.page.goto(`${this.baseUrl}/documents/${documentId}`);
    await this.editor.waitFor();
    await this.page.locator('.accord-clause').first().waitFor();
    return this;
  }

  /** The clause shown with `number` ("1.2"). */
  clause(number: string): Locator {
    return this.page.locator(`.accord-clause[data-number="${number}"]`);
  }

  /** The visible text of clause `number`, without its gutter (number, status chip …) and peers' cursors. */
  async clauseText(number: string): Promise<string> {
    return this.clause(number).evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const extra of copy.querySelectorAll('.clause-gutter, .accord-cursor')) extra.remove();
      return (copy.textContent ?? '').replaceAll('\u200B', '');
    });
  }

  /**
   * Selects `words` inside clause `within` (its number) or inside any element, as a mouse drag would:
   * a DOM selection the editor then reads. The words must sit in one text node.
   */
  async selectWords(within: string | Locator, words: string): Promise<this> {
    const element = typeof within === 'string' ? this.clause(within) : within;
    await element.evaluate((el, wanted) => {
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
      throw new Error(`"${wanted}" is not in one text node of the element`);
    }, words);
    // The browser reports a new selection asynchronously (selectionchange): let the editor see it, as
    // it always has by the time a person presses the next key.
    await this.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    return this;
  }

  /** Puts the caret at the end of clause `number`. */
  async caretAtEndOfClause(number: string): Promise<this> {
    const clause = this.clause(number);
    await clause.click();
    await clause.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      range.collapse(false);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    });
    return this;
  }

  /** Types `text` at the end of clause `number`, key by key. */
  async typeAtEndOfClause(number: string, text: string): Promise<this> {
    await this.caretAtEndOfClause(number);
    await this.page.keyboard.type(text, { delay: 10 });
    return this;
  }

  /** The saved indicator's status: "saved", "saving", "offline" … */
  async savedStatus(): Promise<string | null> {
    return this.page.getByTestId('saved-indicator').getAttribute('data-status');
  }

  /** Waits until the saved indicator says "Saved". */
  async waitForSaved(timeout = 15_000): Promise<this> {
    await this.page.locator('[data-testid="saved-indicator"][data-status="saved"]').waitFor({ timeout });
    return this;
  }

  /** Closes the context. */
  async close(): Promise<void> {
    await this.context.close();
  }
}
