/**
 * `npm run bench -- --open`: how long a 100,000-character document takes to open and become
 * editable in a real browser (Debian's Chromium through playwright-core), against a real server.
 * Prints a table and writes the `open` section of docs/benchmarks.md.
 *
 * Each run is one person opening the document: "cold" in a fresh browser context (nothing in
 * IndexedDB: everything comes from the server), "warm" by reloading that page (the offline copy in
 * IndexedDB is there too). Three moments are read on the browser's own clock from the start of the
 * navigation: the whole text shown (the last clause is in the page), the first keystroke typed at
 * the end of the last clause shown, and the keystroke after it (typing goes on at that pace).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { BIG_DOCUMENT_CHARS, prepareDataset } from './dataset';
import { describeMachine, type MachineInfo } from './machine';
import { repoRoot, startServer } from './serverProcess';
import { replaceSection } from './sections';
import { percentile } from './stats';

/** How `--open` runs. */
export interface OpenSettings {
  runs: number;
  write: boolean;
  note: string | undefined;
}

/** The moments of one opening, in ms from the start of the navigation. */
interface Opening {
  shown: number;
  firstKey: number;
  /** ms from pressing a key to seeing it, for the keystrokes typed after the first. */
  keys: number[];
}

/** `--open` settings: 5 cold and 5 warm openings, 2 with `--quick` (which never writes the file). */
export function openSettings(quick: boolean, note: string | undefined, noWrite: boolean): OpenSettings {
  return { runs: quick ? 2 : 5, write: !quick && !noWrite, note };
}

/** Runs the measurement, prints it and (unless told not to) writes it to docs/benchmarks.md. */
export async function runOpen(settings: OpenSettings): Promise<void> {
  const machine = describeMachine();
  const root = mkdtempSync(join(tmpdir(), 'accord-open-'));
  const browser = await launchBrowser();
  try {
    const dataset = await prepareDataset({ kind: 'sqlite', dataDir: join(root, 'data') }, 1, 1);
    const bigId = dataset.bigDocumentIds[0]!;
    if (dataset.store.kind !== 'sqlite') throw new Error('The open benchmark runs on SQLite.');
    const server = await startServer(dataset.store.dataDir, { ACCORD_DEMO: '0' });
    const cold: Opening[] = [];
    const warm: Opening[] = [];
    try {
      // Vite's client is served by the server from dist/: build it first (`npm start` does the same).
      const [name, value] = dataset.cookie.split('=') as [string, string];
      for (let i = 0; i < settings.runs; i++) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        await context.addCookies([{ name, value, url: server.url }]);
        const page = await context.newPage();
        cold.push(await open(page, `${server.url}/documents/${bigId}`, 'goto'));
        warm.push(await open(page, `${server.url}/documents/${bigId}`, 'reload'));
        await context.close();
        process.stdout.write(`run ${i + 1}/${settings.runs}: cold shown ${cold.at(-1)!.shown.toFixed(0)} ms, warm shown ${warm.at(-1)!.shown.toFixed(0)} ms\n`);
      }
    } finally {
      await server.stop();
    }
    const report = markdown(cold, warm, machine, settings);
    console.log(`\n${report}`);
    if (!settings.write) {
      console.log('Quick run: docs/benchmarks.md left as it was.');
      return;
    }
    const target = join(repoRoot, 'docs', 'benchmarks.md');
    const existing = existsSync(target) ? readFileSync(target, 'utf8') : '# Benchmarks\n';
    writeFileSync(target, replaceSection(existing, 'open', report));
    console.log(`Wrote the open section of ${target}`);
  } finally {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Opens the page (navigating or reloading), waits for the whole text, types, and reads the moments. */
async function open(page: Page, url: string, how: 'goto' | 'reload'): Promise<Opening> {
  if (how === 'goto') await page.goto(url, { waitUntil: 'commit' });
  else await page.reload({ waitUntil: 'commit' });
  // The whole text is there once the editor holds the document's characters.
  await page.waitForFunction(
    (chars) => (document.querySelector('[data-testid="editor"] .ProseMirror')?.textContent?.length ?? 0) >= chars,
    BIG_DOCUMENT_CHARS,
    { timeout: 60_000, polling: 'raf' },
  );
  const shown = await page.evaluate(() => performance.now());
  await page.locator('.accord-clause').last().click();
  await page.keyboard.press('End');
  const first = await typeAndSee(page, 'Q');
  const keys: number[] = [];
  for (const ch of 'uorum ok') {
    const key = await typeAndSee(page, ch);
    keys.push(key.seenAt - key.pressedAt);
  }
  return { shown, firstKey: first.seenAt, keys };
}

/** Presses a key and reads the browser's clock before pressing it and once the last clause shows it. */
async function typeAndSee(page: Page, ch: string): Promise<{ pressedAt: number; seenAt: number }> {
  const { before, pressedAt } = await page.evaluate(() => {
    const clauses = document.querySelectorAll('.accord-clause');
    return { before: (clauses[clauses.length - 1]?.textContent ?? '').length, pressedAt: performance.now() };
  });
  await page.keyboard.type(ch);
  await page.waitForFunction(
    (length) => {
      const clauses = document.querySelectorAll('.accord-clause');
      return (clauses[clauses.length - 1]?.textContent ?? '').length > length;
    },
    before,
    { polling: 'raf' },
  );
  const seenAt = await page.evaluate(() => performance.now());
  return { pressedAt, seenAt };
}

function markdown(cold: Opening[], warm: Opening[], machine: MachineInfo, settings: OpenSettings): string {
  const row = (label: string, runs: Opening[]) => {
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const shown = sorted(runs.map((r) => r.shown));
    const first = sorted(runs.map((r) => r.firstKey));
    const keys = sorted(runs.flatMap((r) => r.keys));
    const f = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '–');
    return `| ${label} | ${runs.length} | ${f(percentile(shown, 50))} | ${f(Math.max(...shown))} | ${f(percentile(first, 50))} | ${f(Math.max(...first))} | ${f(percentile(keys, 50))} | ${f(percentile(keys, 95))} |`;
  };
  return [
    '## Opening a 100,000-character document in a browser',
    '',
    '<!-- Generated by `npm run bench -- --open` (tests/bench/browserOpen.ts); the next run overwrites this section. -->',
    '',
    `Run on ${machine.nproc} × ${machine.cpuModel}, ${machine.memory}, Node ${machine.nodeVersion}, Debian's Chromium (headless), on ${machine.date}.`,
    ...(settings.note ? ['', `> ${settings.note}`] : []),
    '',
    `The demo document grown to ${BIG_DOCUMENT_CHARS.toLocaleString('en')} characters of clause text (about a thousand clauses, each typed a word at a time, so the text is many Yjs items), served by a real Accord server on SQLite. "Cold": a fresh browser context (empty IndexedDB, everything from the server); "warm": reloading that page (its offline copy in IndexedDB as well). Times are ms on the browser's clock from the start of the navigation, except keystrokes (from pressing a key at the end of the last clause to seeing it).`,
    '',
    '| opening | runs | text shown p50 | text shown max | first keystroke shown p50 | first keystroke shown max | next keystrokes p50 | next keystrokes p95 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('cold', cold),
    row('warm (reload)', warm),
    '',
    'Reproduce with `npm run build && npm run bench -- --open` (`--open --quick`: two openings, file left alone).',
  ].join('\n');
}
