import { SNIPPET_CLOSE, SNIPPET_OPEN } from '@shared/api/evidence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './db';
import { Dialogues } from './dialogues';
import { EvidenceLibrary, type NewReport } from './evidenceLibrary';
import { type EvidenceSearch, evidenceSearchFor, type LibraryQuery } from './evidenceSearch';
import { openTestStore, testStoreKinds } from './testStores';

const kinds = await testStoreKinds();

const reports: (Omit<NewReport, 'source' | 'sourceFilename'> & { key: string; excerpts?: { quote: string; themes: string[] }[] })[] = [
  {
    key: 'veloria',
    country: 'Veloria',
    kind: 'national_consultation',
    focalPoint: 'Office of the National Dialogue',
    date: '2029-03-14',
    title: 'Listening sessions in eleven provinces',
    text: 'Women’s associations asked for a guaranteed place at the negotiating table. Budgets should be published quickly.',
    excerpts: [{ quote: 'Budgets should be published quickly.', themes: ['transparency', 'public finance'] }],
  },
  {
    key: 'kestrania',
    country: 'Kestrania',
    kind: 'national_consultation',
    focalPoint: 'Council for Civic Dialogue',
    date: '2029-04-02',
    title: 'National assembly on participation',
    text: 'Delegates supported a binding timetable for broadening participation. Local government needs resources.',
    excerpts: [{ quote: 'a binding timetable for broadening participation', themes: ['inclusion'] }],
  },
  {
    key: 'orlandia',
    country: 'Orlandia',
    kind: 'regional_validation',
    focalPoint: 'Institute for Transition Studies',
    date: '2029-05-20',
    title: 'Border provinces validation',
    text: 'A fixed share becomes a ceiling. Participants asked that recovery programmes hire locally. Consultations in the border provinces were tense.',
    excerpts: [{ quote: 'recovery programmes hire locally', themes: ['local employment', 'inclusion'] }],
  },
  {
    key: 'marisca',
    country: 'Marisca',
    kind: 'thematic_meeting',
    focalPoint: 'Civil Society Forum',
    date: '2029-06-11',
    title: 'Truth and reparation',
    text: 'Victims asked for acknowledgement and the return of land. An amnesty for the gravest crimes would deny justice.',
  },
];

describe.each(kinds)('searching the evidence library on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let search: EvidenceSearch;
  let dialogueId: string;
  const ids: Record<string, string> = {};
  const keyOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0];

  const query = (q: Partial<LibraryQuery>): LibraryQuery => ({ limit: 50, offset: 0, ...q });
  const reportKeys = async (q: Partial<LibraryQuery>) =>
    (await search.reports(dialogueId, query(q))).reports.map((r) => keyOf(r.id));

  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore(kind));
    search = evidenceSearchFor(store);
    const library = new EvidenceLibrary(store);
    dialogueId = (await new Dialogues(store).create('Search dialogue')).id;
    const elsewhere = (await new Dialogues(store).create('Other dialogue')).id;
    await library.createReport(elsewhere, { ...reports[0]!, title: 'Budgets elsewhere', source: 'manual', sourceFilename: null }, null);
    for (const { key, excerpts = [], ...r } of reports) {
      ids[key] = await library.createReport(dialogueId, { ...r, source: 'manual', sourceFilename: null }, null);
      for (const e of excerpts) {
        const start = r.text.indexOf(e.quote);
        await library.createExcerpt(dialogueId, ids[key]!, { start, end: start + e.quote.length, quote: e.quote, themes: e.themes, note: '' }, null);
      }
    }
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('finds reports by a word of their text, only in the dialogue', async () => {
    expect(await reportKeys({ q: 'budgets' })).toEqual(['veloria']);
    expect(await reportKeys({ q: 'amnesty' })).toEqual(['marisca']);
  });

  it('matches word forms and prefixes: "consultation" finds "Consultations", "timet" finds "timetable"', async () => {
    expect(await reportKeys({ q: 'consultation' })).toEqual(['orlandia']);
    expect(await reportKeys({ q: 'timet' })).toEqual(['kestrania']);
    expect(new Set(await reportKeys({ q: 'particip' }))).toEqual(new Set(['kestrania', 'orlandia']));
  });

  it('requires every word, and a quoted phrase in order', async () => {
    expect(await reportKeys({ q: 'border ceiling' })).toEqual(['orlandia']);
    expect(await reportKeys({ q: 'border amnesty' })).toEqual([]);
    expect(await reportKeys({ q: '"binding timetable"' })).toEqual(['kestrania']);
    expect(await reportKeys({ q: '"timetable binding"' })).toEqual([]);
  });

  it('ranks a match in the title above a match in the text', async () => {
    const keys = await reportKeys({ q: 'provinces' });
    expect(new Set(keys)).toEqual(new Set(['veloria', 'orlandia']));
    // "provinces" is in the titles of both; Orlandia also has it twice in its text.
    const participation = await reportKeys({ q: 'participation' });
    expect(participation[0]).toBe('kestrania');
  });

  it('searches the country and focal point too', async () => {
    expect(await reportKeys({ q: 'Marisca' })).toEqual(['marisca']);
    expect(await reportKeys({ q: 'civic' })).toEqual(['kestrania']);
  });

  it('returns a snippet with the matches marked', async () => {
    const { reports: found } = await search.reports(dialogueId, query({ q: 'acknowledgement' }));
    expect(found[0]?.snippet).toContain(`${SNIPPET_OPEN}acknowledgement${SNIPPET_CLOSE}`);
  });

  it('filters by country, kind, theme and date, with or without a search', async () => {
    expect(await reportKeys({ country: 'Orlandia' })).toEqual(['orlandia']);
    expect(await reportKeys({ kind: 'national_consultation' })).toEqual(['kestrania', 'veloria']);
    expect(await reportKeys({ theme: 'inclusion' })).toEqual(['orlandia', 'kestrania']);
    expect(await reportKeys({ from: '2029-04-01', to: '2029-05-31' })).toEqual(['orlandia', 'kestrania']);
    expect(await reportKeys({ q: 'timetable', kind: 'regional_validation' })).toEqual([]);
    expect(await reportKeys({ q: 'locally', theme: 'local employment' })).toEqual(['orlandia']);
  });

  it('lists newest first without a search, and pages with a total', async () => {
    const page = await search.reports(dialogueId, query({ limit: 2, offset: 1 }));
    expect(page.total).toBe(4);
    expect(page.reports.map((r) => keyOf(r.id))).toEqual(['orlandia', 'kestrania']);
  });

  it('finds excerpts by their quote and themes, with their report', async () => {
    const byQuote = await search.excerpts(dialogueId, query({ q: 'hire' }));
    expect(byQuote.excerpts.map((e) => [e.quote, e.report.country])).toEqual([['recovery programmes hire locally', 'Orlandia']]);
    const byTheme = await search.excerpts(dialogueId, query({ q: 'transparency' }));
    expect(byTheme.excerpts.map((e) => e.report.country)).toEqual(['Veloria']);
    const filtered = await search.excerpts(dialogueId, query({ theme: 'inclusion', country: 'Kestrania' }));
    expect(filtered.excerpts.map((e) => e.quote)).toEqual(['a binding timetable for broadening participation']);
  });

  it('treats query syntax as plain words, so no input can break a query', async () => {
    for (const q of ['"', '*', 'NEAR(budgets', 'budgets OR amnesty', "budgets'; drop table x; --", '^budgets:*', '!!!', 'a & b | c']) {
      await expect(search.reports(dialogueId, query({ q }))).resolves.toBeDefined();
      await expect(search.excerpts(dialogueId, query({ q }))).resolves.toBeDefined();
    }
    expect(await reportKeys({ q: '!!!' })).toEqual([]);
    expect(await reportKeys({ q: 'budgets OR amnesty' })).toEqual([]);
  });
});
