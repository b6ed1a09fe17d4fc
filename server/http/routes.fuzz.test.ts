/**
 * Every HTTP endpoint fuzzed: routes are enumerated from the Hono app itself (`app.routes`), so a
 * new route is covered the day it is added. Each gets malformed JSON, bodies of the wrong shape and
 * types, oversized fields and bodies, and hostile path parameters — as the Secretariat (who may do
 * everything) and signed out. Every answer must be below 500, and every error the API's JSON
 * `{"error":{"code","message"}}` with a message and no stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom, type Random, seedFromEnv } from '../../tests/helpers/random';
import { seedDemo } from '../seed/demo';
import { MAX_BODY_BYTES } from './app';
import { isEvidenceImportPath } from './routes/evidence/imports';
import { createTestApp, sessionCookie, type TestApp } from './testHarness';

const seed = seedFromEnv('ACCORD_FUZZ_SEED');

/** Field names the API reads (and some it writes): wrong values go into them. */
const fieldNames = (
  'email password title label meeting note body text quote status role relation clauseId clauseIds excerptId ' +
  'reportId reportIds versionId roundId threadId commentId userId changeId changeIds decision decisions closesAt ' +
  'invite validators country kind focalPoint date start end themes settings name affiliation ids from to format ' +
  'wording proposedWording anchor mentions visibility scope placement limit offset q reason annex sections ' +
  'lockAgreedClauses requireSuggestingForDrafters bisNumbering before prefix suffix number objectiveId'
).split(' ');

/** Values of every wrong type, plus sizes and shapes that break careless code. */
const wrongValues: unknown[] = [
  null,
  0,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  '',
  ' ',
  'x',
  '\u0000',
  '\ud800',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../../../etc/passwd',
  '2026-02-30T25:61:00Z',
  [],
  [null],
  {},
  { $gt: '' },
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  'x'.repeat(100_000),
  Array.from({ length: 2000 }, (_, i) => i),
];

/** Path parameter values that no route may trip over. */
const hostileParams = [
  'x'.repeat(5000),
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%92%A5',
  "'%20OR%201=1--",
  '-1',
  'null',
  '%E0%A4%A',
];

function randomObject(random: Random): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = 1 + random.int(12);
  for (let i = 0; i < n; i++) out[random.pick(fieldNames)] = random.pick(wrongValues);
  return out;
}

/** Bodies sent to every route that takes one: what each is, its content type and its bytes. */
function bodies(random: Random): { what: string; type: string; body: string }[] {
  const json = 'application/json';
  const out = [
    { what: 'no body', type: json, body: '' },
    { what: 'malformed JSON', type: json, body: '{"title": "unfinished' },
    { what: 'a trailing comma', type: json, body: '{"title": "x",}' },
    { what: 'plain text', type: 'text/plain', body: 'hello' },
    { what: 'form data', type: 'application/x-www-form-urlencoded', body: 'title=x&body=y' },
    {
      what: 'a multipart file that is not what it says',
      type: 'multipart/form-data; boundary=fuzz',
      body:
        '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="../../report.pdf"\r\n' +
        'Content-Type: application/pdf\r\n\r\n%PDF-1.7 garbage\r\n--fuzz\r\n' +
        'Content-Disposition: form-data; name="country"\r\n\r\n\u0000\r\n--fuzz--\r\n',
    },
    { what: 'a multipart body without its closing boundary', type: 'multipart/form-data; boundary=fuzz', body: '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="a.docx"\r\n\r\nPK\u0003\u0004' },
    { what: 'a JSON array', type: json, body: '[]' },
    { what: 'a JSON number', type: json, body: '1' },
    { what: 'a JSON string', type: json, body: '"s"' },
    { what: 'JSON null', type: json, body: 'null' },
    { what: 'an empty object', type: json, body: '{}' },
    { what: 'arrays nested 50,000 deep', type: json, body: `${'['.repeat(50_000)}${']'.repeat(50_000)}` },
    { what: 'a body over the size limit', type: json, body: JSON.stringify({ title: 'x'.repeat(MAX_BODY_BYTES + 10) }) },
    {
      what: 'every field 900 KB long',
      type: json,
      body: JSON.stringify(Object.fromEntries(fieldNames.slice(0, 1).map((k) => [k, 'y'.repeat(900_000)]))),
    },
  ];
  for (let i = 0; i < 6; i++) {
    out.push({ what: `wrong types #${i} (seed ${random.seed})`, type: json, body: JSON.stringify(randomObject(random)) });
  }
  return out;
}

/** Query strings sent to every GET route. */
const queries = ['', '?format=zzz', '?from=%00&to=%E0%A4%A', `?q=${'z'.repeat(10_000)}`, '?limit=-1&offset=1e309', '?ids=a&ids=b&scope[]=x'];

/** A plausible value for a field, from the validation message that asked for it. */
function plausible(field: string, message: string, valid: Record<string, string>): unknown {
  const oneOf = /expected one of "([^"]+)"/.exec(message);
  if (oneOf) return oneOf[1];
  const min = />=\s*(\d+) characters/.exec(message);
  if (min) return 'x'.repeat(Number(min[1]));
  if (/expected array|items/.test(message)) return [valid[field.replace(/s$/, '')] ?? 'x'];
  if (/expected number|int/.test(message)) return 1;
  if (/expected (boolean|true)/.test(message)) return true;
  if (/expected object|record/.test(message)) return {};
  if (/email/i.test(message)) return 'fuzz@example.org';
  if (/date/i.test(message)) return /datetime/i.test(message) ? new Date(Date.now() + 86_400_000).toISOString() : '2030-01-01';
  return valid[field] ?? 'Fuzz text';
}

/** Sets `value` at a dotted path (`a.b.0`) inside `target`, making objects and arrays on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = /^\d+$/.test(keys[i + 1] as string) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
}

/** Every leaf path of a JSON value. */
function leaves(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return prefix ? [prefix] : [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Values that replace one field of an otherwise valid body. */
const fieldMutations: unknown[] = [null, '', 'x'.repeat(200_000), -1, 0, 1e308, 3.5, true, [], {}, '\ud800', '2026-13-45', ['x'.repeat(5000)]];

interface Answer {
  status: number;
  text: string;
}

function expectCleanAnswer(answer: Answer, what: string): void {
  expect(answer.status, `${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  expect(answer.text, `${what} shows a stack trace`).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|\.js:\d+/);
  if (answer.status >= 400) {
    const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, `${what}: error code`).toBe('string');
    expect(typeof body.error?.message, `${what}: error message`).toBe('string');
    expect((body.error?.message as string).length, `${what}: error message`).toBeGreaterThan(0);
  }
}

describe(`every HTTP endpoint under hostile input (seed ${seed}; replay with ACCORD_FUZZ_SEED=${seed})`, { timeout: 60_000 }, () => {
  let t: TestApp;
  let secretariatId: string;
  /** A valid value for each path parameter name, so that requests reach the handlers' bodies. */
  const valid: Record<string, string> = {};
  let dialogueId: string;
  let documentId: string;

  const routes = () => {
    const seen = new Set<string>();
    const out: { method: string; path: string }[] = [];
    for (const r of t.app.routes) {
      // Middleware mounts (`ALL …/*`) and the client's catch-all are not endpoints.
      if (r.method === 'ALL' || r.path.endsWith('*')) continue;
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ method: r.method, path: r.path });
    }
    // Deletions last, so that they do not remove what the other requests reach.
    return out.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
  };

  /** The route's path with its parameters filled: valid ones, except `hostile` for the name `param`. */
  const fill = (path: string, override?: { param: string; value: string }) =>
    path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name: string, pattern?: string) => {
      if (override?.param === name) return override.value;
      if (name === 'id') return path.startsWith('/api/dialogues') ? dialogueId : documentId;
      if (pattern) return pattern.slice(1, -1).split('|')[0] as string;
      return valid[name] ?? 'no-such-id';
    });

  /** How often each status and error code was answered, to show that the fuzz reaches the handlers. */
  const tally = new Map<string, number>();
  const send = async (method: string, url: string, cookie: string | null, body?: { type: string; body: string }) => {
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = body.type;
    const res = await t.app.request(url, { method, headers, body: body && method !== 'GET' ? body.body : undefined });
    const answer = { status: res.status, text: await res.text() };
    if (process.env.FUZZ_DEBUG) console.info(method, url.slice(0, 80), body?.type, answer.status, answer.text.slice(0, 120));
    const code = answer.status >= 400 ? (/"code":"(\w+)"/.exec(answer.text)?.[1] ?? '?') : '';
    const key = `${answer.status}${code ? ` ${code}` : ''}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    return answer;
  };

  const getJson = async (url: string, cookie: string) => JSON.parse((await send('GET', url, cookie)).text) as Record<string, unknown>;
  const firstOf = (json: Record<string, unknown>, list: string, key = 'id') =>
    ((json[list] as Record<string, unknown>[] | undefined)?.[0]?.[key] as string | undefined) ?? 'no-such-id';

  beforeAll(async () => {
    t = await createTestApp();
    const seeded = await seedDemo(t.ctx);
    if (!seeded.seeded) throw new Error('the demo did not seed');
    secretariatId = seeded.userIds.secretariat as string;
    dialogueId = seeded.dialogueId;
    documentId = seeded.documentId;
    const cookie = await sessionCookie(t.ctx, secretariatId);
    const doc = `/api/documents/${documentId}`;
    const threads = await getJson(`${doc}/threads`, cookie);
    const thread = (threads.threads as { id: string }[])[0];
    const full = thread ? await getJson(`${doc}/threads/${thread.id}`, cookie) : {};
    const fullThread = (full.thread ?? full) as { comments?: { id: string }[] };
    Object.assign(valid, {
      versionId: firstOf(await getJson(`${doc}/versions`, cookie), 'versions'),
      roundId: firstOf(await getJson(`${doc}/rounds`, cookie), 'rounds'),
      threadId: thread?.id ?? 'no-such-id',
      commentId: fullThread.comments?.[0]?.id ?? 'no-such-id',
      clauseId: firstOf(await getJson(`${doc}/clauses/status`, cookie), 'clauses', 'clauseId'),
      reportId: firstOf(await getJson(`/api/dialogues/${dialogueId}/evidence/reports`, cookie), 'reports'),
      excerptId: firstOf(await getJson(`/api/dialogues/${dialogueId}/evidence/excerpts`, cookie), 'excerpts'),
      linkId: firstOf(await getJson(`${doc}/evidence/links`, cookie), 'links'),
      // Removing a member in the fuzz must not remove the Secretariat itself.
      userId: seeded.userIds.observer as string,
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('finds the API’s routes in the app', () => {
    const list = routes();
    console.info(`fuzzing ${list.length} routes`);
    expect(list.length).toBeGreaterThan(50);
    expect(list.some((r) => r.method === 'POST' && r.path === '/api/session')).toBe(true);
  });

  it('answers every route signed out with a clean 4xx (or its public answer), never 500', async () => {
    for (const { method, path } of routes()) {
      const what = `${method} ${path} signed out`;
      const answer = await send(method, fill(path), null, method === 'GET' ? undefined : { type: 'application/json', body: '{}' });
      expectCleanAnswer(answer, what);
    }
  });

  it('answers every route with hostile path parameters cleanly', async () => {
    const cookie = await sessionCookie(t.ctx, secretariatId);
    for (const { method, path } of routes()) {
      const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      for (const param of params) {
        for (const value of hostileParams) {
          const what = `${method} ${path} with ${param}=${value.slice(0, 20)}`;
          const answer = await send(method, fill(path, { param, value }), cookie, method === 'GET' ? undefined : { type: 'application/json', body: '{}' });
          expectCleanAnswer(answer, what);
        }
      }
    }
  });

  it('answers every GET route with hostile query strings cleanly', async () => {
    const cookie = await sessionCookie(t.ctx, secretariatId);
    for (const { method, path } of routes()) {
      if (method !== 'GET') continue;
      for (const query of queries) {
        expectCleanAnswer(await send('GET', `${fill(path)}${query}`, cookie), `GET ${path}${query.slice(0, 40)}`);
      }
    }
  });

  it('answers every route cleanly when one field of an otherwise valid body is hostile', async () => {
    let evolved = 0;
    let mutated = 0;
    for (const { method, path } of routes()) {
      if (method === 'GET' || method === 'DELETE') continue;
      const cookie = await sessionCookie(t.ctx, secretariatId);
      const url = fill(path);
      // Grow a valid body from what validation asks for, one field at a time.
      const body: Record<string, unknown> = {};
      for (let step = 0; step < 15; step++) {
        const answer = await send(method, url, cookie, { type: 'application/json', body: JSON.stringify(body) });
        expectCleanAnswer(answer, `${method} ${path} with ${JSON.stringify(body).slice(0, 200)}`);
        const asked = /^Invalid body: ([^:;]+): ([^;]*)/.exec(
          (JSON.parse(answer.text) as { error?: { message?: string } }).error?.message ?? '',
        );
        if (answer.status !== 400 || !asked) break;
        const [, field, message] = asked as unknown as [string, string, string];
        // An issue with the body as a whole (`where` = "body" in describeZodError): nothing to fill.
        if (field === 'body' && /expected object|at least/.test(message)) break;
        setPath(body, field, plausible(field.split('.').filter((k) => !/^\d+$/.test(k)).pop() ?? field, message, valid));
      }
      if (Object.keys(body).length > 0) evolved++;
      for (const leaf of leaves(body)) {
        for (const value of fieldMutations) {
          const copy = structuredClone(body);
          setPath(copy, leaf, value);
          const answer = await send(method, url, cookie, { type: 'application/json', body: JSON.stringify(copy) });
          expectCleanAnswer(answer, `${method} ${path} with ${leaf}=${JSON.stringify(value).slice(0, 40)}`);
          mutated++;
        }
      }
    }
    console.info(`grew valid-looking bodies for ${evolved} routes; sent ${mutated} single-field mutations`);
    expect(evolved).toBeGreaterThan(15);
  });

  it('answers every route that takes a body with hostile bodies cleanly, as the Secretariat', async () => {
    tally.clear();
    const random = createRandom(seed);
    for (const { method, path } of routes()) {
      if (method === 'GET') continue;
      // A fresh session each time: `DELETE /api/session` signs the previous one out.
      const cookie = await sessionCookie(t.ctx, secretariatId);
      for (const body of bodies(random)) {
        const answer = await send(method, fill(path), cookie, body);
        expectCleanAnswer(answer, `${method} ${path} with ${body.what}`);
        // File imports have their own, larger limit.
        if (body.what === 'a body over the size limit' && !isEvidenceImportPath(fill(path))) {
          expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(413);
        }
      }
    }
    const summary = [...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(', ');
    console.info(`answers to hostile bodies: ${summary}`);
    // The bodies reached the handlers' validation, not only the session check.
    expect(tally.get('400 invalid_input') ?? 0).toBeGreaterThan(200);
    expect(tally.get('400 invalid_json') ?? 0).toBeGreaterThan(20);
  });
});
