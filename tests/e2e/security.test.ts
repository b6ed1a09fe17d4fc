/**
 * XSS in a real browser (issue 8, "Access"): a corpus of hostile HTML pasted into the editor and
 * imported into the evidence library executes nothing — in the page that received it and in a
 * colleague's page that renders it from storage — and no unsafe href is stored. Awareness names are
 * the server's: a name a client claims (HTML included) is never shown.
 */
import { decodeDocState } from '@shared/collab/ydoc';
import { DocUpdates } from '@server/store/docUpdates';
import { BrowserUser, launchBrowser } from '@tests/helpers/browser';
import { syncedClient } from '@tests/helpers/collabClient';
import { demoUsers, documentAccess, firstDocumentId, signIn } from '@tests/helpers/http';
import { openServerStore, startTestServer, stopAllTestServers, type TestServer } from '@tests/helpers/testServer';
import type { Node } from 'prosemirror-model';
import type { Browser, Page } from 'playwright-core';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** Each payload sets `window.__xss` (or calls a dialog, which the hook records) if it ever runs. */
const corpus = [
  `<script>window.__xss='script'</script>after-script`,
  `<img src="x" onerror="window.__xss='img-onerror'">`,
  `<a href="javascript:window.__xss='js-href'">js-link</a>`,
  `<a href=" JaVaScRiPt:window.__xss='js-href-case'">js-case</a>`,
  `<a href="java&#x09;script:window.__xss='js-href-tab'">js-tab</a>`,
  `<a href="data:text/html,<script>parent.__xss='data'</script>">data-link</a>`,
  `<a href="vbscript:msgbox(1)">vb-link</a>`,
  `<svg onload="window.__xss='svg-onload'"><script>window.__xss='svg-script'</script><a href="javascript:window.__xss='svg-a'"><text>svg-text</text></a></svg>`,
  `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  `<object data="javascript:window.__xss='object'"></object><embed src="javascript:window.__xss='embed'">`,
  `<div onmouseover="window.__xss='hover'" onclick="window.__xss='click'">hover-me</div>`,
  `<details open ontoggle="window.__xss='toggle'"><summary>toggle</summary></details>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__xss='mxss'">`,
  `<b style="background:url(javascript:window.__xss='css')">styled</b>`,
  `<a href="https://example.org/kept">safe-https</a> <a href="mailto:focal@example.org">safe-mail</a>`,
];
const SAFE_HREF = /^(https?:|mailto:)/i;

/** Installs the flag and dialog hooks before any script of the page runs. */
async function armTraps(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __xss?: string; alert: unknown; confirm: unknown; prompt: unknown };
    w.alert = w.confirm = w.prompt = (msg: unknown) => {
      w.__xss = `dialog:${String(msg)}`;
    };
  });
  page.on('dialog', (dialog) => {
    void page.evaluate((m) => ((window as unknown as { __xss?: string }).__xss = `native-dialog:${m}`), dialog.message());
    void dialog.dismiss();
  });
}

/** What a page shows that could run code: the trap flag, script-ish elements, handlers, unsafe hrefs. */
async function dangers(page: Page, root: string): Promise<{ flag: unknown; elements: string[]; handlers: string[]; hrefs: string[] }> {
  return page.evaluate((selector) => {
    const scope = document.querySelector(selector) ?? document.body;
    const all = [...scope.querySelectorAll('*')];
    return {
      flag: (window as unknown as { __xss?: unknown }).__xss ?? null,
      // The app draws its own SVG icons; an SVG from a payload shows up as a handler or an href below.
      elements: all.filter((e) => /^(script|iframe|frame|object|embed|math|style|base|meta|link)$/i.test(e.tagName)).map((e) => e.tagName),
      handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}[${a.name}]`)),
      hrefs: all
        .flatMap((e) => ['href', 'src', 'xlink:href', 'data', 'action'].map((n) => e.getAttribute(n)))
        .filter((v): v is string => v !== null),
    };
  }, root);
}

describe('hostile content in the browser', () => {
  let browser: Browser;
  let server: TestServer;
  let documentId: string;
  const users: BrowserUser[] = [];

  const signInAs = async (email: string) => {
    const user = await BrowserUser.signIn(browser, server.url, email);
    await armTraps(user.page);
    users.push(user);
    return user;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    documentId = await firstDocumentId(server.url, await signIn(server.url, demoUsers.drafter));
  });
  afterEach(async () => {
    await Promise.all(users.splice(0).map((u) => u.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await stopAllTestServers();
  });

  it('runs nothing of a pasted corpus, in the paster’s page or a colleague’s, and stores only http, https and mailto hrefs', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    await drafter.openDocument(documentId);
    // Control: markup inserted around the editor's defences does run and trips the trap.
    await drafter.page.evaluate(() => document.body.insertAdjacentHTML('beforeend', `<img id="control" src="x" onerror="window.__xss='control'">`));
    await expect.poll(() => drafter.page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBe('control');
    await drafter.page.evaluate(() => {
      document.getElementById('control')?.remove();
      delete (window as unknown as { __xss?: string }).__xss;
    });
    for (const [i, html] of corpus.entries()) {
      await drafter.caretAtEndOfClause('1.1');
      await drafter.editor.evaluate(
        (el, { html, plain }) => {
          const data = new DataTransfer();
          data.setData('text/html', html);
          data.setData('text/plain', plain);
          el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        },
        { html: `<p>paste-${i} ${html}</p>`, plain: `paste-${i}` },
      );
    }
    // Plain text that looks like markup stays text.
    await drafter.caretAtEndOfClause('1.1');
    await drafter.editor.evaluate((el) => {
      const data = new DataTransfer();
      data.setData('text/plain', `<img src=x onerror="window.__xss='plain'">plain-end`);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => drafter.clause('1.1').innerText(), { timeout: 10_000 }).toContain('plain-end');
    expect(await drafter.clause('1.1').innerText()).toContain(`paste-${corpus.length - 1}`);
    await drafter.waitForSaved();
    // Give deferred handlers (image errors, toggles) their chance to fire, and hover everything.
    await drafter.page.mouse.move(600, 300);
    await drafter.clause('1.1').hover();
    await drafter.page.waitForTimeout(300);

    const colleague = await signInAs(demoUsers.cochair);
    await colleague.openDocument(documentId);
    await expect.poll(() => colleague.clause('1.1').innerText(), { timeout: 10_000 }).toContain('plain-end');
    await colleague.clause('1.1').hover();
    await colleague.page.waitForTimeout(300);

    for (const user of [drafter, colleague]) {
      const seen = await dangers(user.page, '[data-testid="editor"]');
      expect(seen.flag, 'a payload ran').toBeNull();
      expect(seen.elements).toEqual([]);
      expect(seen.handlers).toEqual([]);
      expect(seen.hrefs.filter((h) => !SAFE_HREF.test(h.trim()))).toEqual([]);
      expect(user.problems).toEqual([]);
    }
    // The safe links survived, so the check above had something to look at.
    expect((await dangers(colleague.page, '[data-testid="editor"]')).hrefs).toEqual(
      expect.arrayContaining(['https://example.org/kept', 'mailto:focal@example.org']),
    );

    // What storage holds: every link mark of the stored text has a safe href.
    const store = await openServerStore(server);
    let stored: Node;
    try {
      const s = await new DocUpdates(store).load(documentId);
      const ydoc = new Y.Doc();
      if (s.state) Y.applyUpdate(ydoc, s.state);
      for (const update of s.updates) Y.applyUpdate(ydoc, update);
      stored = decodeDocState(Y.encodeStateAsUpdate(ydoc));
    } finally {
      await store.close();
    }
    const hrefs: string[] = [];
    stored.descendants((node) => {
      for (const mark of node.marks) if (mark.type.name === 'link') hrefs.push(String(mark.attrs.href));
    });
    expect(hrefs.length).toBeGreaterThanOrEqual(2);
    expect(hrefs.filter((h) => !SAFE_HREF.test(h))).toEqual([]);
    expect(JSON.stringify(stored.toJSON())).not.toMatch(/javascript:|data:text\/html|vbscript:/i);
  });

  it('runs nothing of an imported report full of markup when the library shows it', async () => {
    const drafter = await signInAs(demoUsers.drafter);
    const cookie = await signIn(server.url, demoUsers.drafter);
    const { dialogueId } = await documentAccess(server.url, documentId, cookie);
    const form = new FormData();
    form.set('country', 'Kestrania');
    form.set('kind', 'national_consultation');
    form.set('date', '2029-04-02');
    form.set('title', 'Hostile import');
    const markdown = ['# Hostile import', '', ...corpus, '', '[md-js](javascript:window.__xss="md")', '![img](x "t" onerror=window.__xss="mdimg")'].join('\n');
    form.set('file', new Blob([markdown], { type: 'text/markdown' }), 'hostile.md');
    const res = await fetch(`${server.url}/api/dialogues/${dialogueId}/evidence/imports`, {
      method: 'POST',
      headers: { cookie, origin: server.url },
      body: form,
    });
    expect(res.status, await res.clone().text()).toBe(201);

    const page = drafter.page;
    await page.goto(`${server.url}/dialogues/${dialogueId}/evidence`);
    await page.getByTestId('library-search').fill('Hostile');
    await expect.poll(() => page.getByTestId('report-card').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('report-card').first().click();
    const text = page.getByTestId('report-text');
    await text.waitFor();
    expect(await text.innerText()).toContain('after-script');
    await text.hover();
    await page.waitForTimeout(300);
    const seen = await dangers(page, '[data-testid="report-reader"]');
    expect(seen.flag, 'a payload ran').toBeNull();
    expect(seen.elements).toEqual([]);
    expect(seen.handlers).toEqual([]);
    expect(seen.hrefs.filter((h) => !SAFE_HREF.test(h.trim()))).toEqual([]);
    expect(drafter.problems).toEqual([]);
  });

  it('shows the name the server set for a collaborator, never the HTML name its client claims', async () => {
    const cochair = await signInAs(demoUsers.cochair);
    await cochair.openDocument(documentId);
    const forger = await syncedClient(server.wsUrl, documentId, { cookie: await signIn(server.url, demoUsers.drafter) });
    try {
      forger.awareness.setLocalState({
        user: { id: 'forged', name: `<img src=x onerror="window.__xss='awareness'">Mallory`, color: '"><script>window.__xss=1</script>' },
      });
      await expect
        .poll(() => cochair.page.getByTestId('presence-item').allInnerTexts(), { timeout: 10_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining('Tomas Ilvesaar')]));
      const texts = (await cochair.page.getByTestId('presence-item').allInnerTexts()).join(' ');
      expect(texts).not.toContain('Mallory');
      const seen = await dangers(cochair.page, 'body');
      expect(seen.flag).toBeNull();
      expect(seen.handlers).toEqual([]);
    } finally {
      await forger.destroy();
    }
  });
});
