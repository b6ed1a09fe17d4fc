/**
 * HTTP helpers for tests against a running server: sign in, list documents, read JSON. Responses
 * are checked with zod, so a contract break fails with the body that broke it.
 */
import { z } from 'zod';

/** The demo accounts' shared password. */
export const DEMO_PASSWORD = 'accord-demo';

/** The demo accounts, by role. */
export const demoUsers = {
  secretariat: 'secretariat@demo.accord',
  cochair: 'cochair@demo.accord',
  drafter: 'drafter@demo.accord',
  panel: 'panel@demo.accord',
  observer: 'observer@demo.accord',
} as const;

const sessionUser = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
});

const documentList = z.array(z.object({ id: z.string(), title: z.string(), role: z.string() }));

const documentDetail = z.object({ id: z.string(), dialogueId: z.string(), role: z.string() });

/** Signs in and returns the `Cookie` header value (`accord_session=…`) for later requests. */
export async function signIn(url: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) {
    throw new Error(`Sign-in as ${email} answered ${res.status}: ${await res.text()}`);
  }
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('accord_session='));
  if (!cookie) throw new Error(`Sign-in as ${email} set no accord_session cookie`);
  return cookie;
}

/** GETs a JSON resource with the session cookie; throws with the body unless the status is 200. */
export async function getJson(url: string, path: string, cookie: string): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { headers: { cookie } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** The signed-in user, as `GET /api/session` reports it. */
export async function currentUser(url: string, cookie: string): Promise<z.infer<typeof sessionUser>['user']> {
  return sessionUser.parse(await getJson(url, '/api/session', cookie)).user;
}

/** The id of the first document the user may read (the demo framework in a seeded server). */
export async function firstDocumentId(url: string, cookie: string): Promise<string> {
  const list = documentList.parse(await getJson(url, '/api/documents', cookie));
  const first = list[0];
  if (!first) throw new Error('The user may read no document: was the demo seeded?');
  return first.id;
}

/** A document's dialogue and the user's role on it. */
export async function documentAccess(
  url: string,
  documentId: string,
  cookie: string,
): Promise<z.infer<typeof documentDetail>> {
  return documentDetail.parse(await getJson(url, `/api/documents/${documentId}`, cookie));
}

/** Whether the server answers `GET /healthz` with `{"ok":true}`. */
export async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`);
    const body = (await res.json()) as unknown;
    return res.status === 200 && z.object({ ok: z.literal(true) }).safeParse(body).success;
  } catch {
    return false;
  }
}
