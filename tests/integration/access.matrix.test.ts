/**
 * The authorization matrix of the REST API (issue 8, "Access"), through `app.request()` (no sockets):
 * every principal × every endpoint × document state (live draft, frozen version), each cell declared
 * allow or deny in one table below. The collaboration socket's half: access.collab.test.ts.
 *
 * - Routes are enumerated from `app.routes`: a route with no row fails the test, so a new endpoint
 *   must be placed in the matrix before it can land.
 * - Every cell arranges fresh targets of its own (a thread, a member, a round …) as the Secretariat,
 *   so an allowed write in one cell never changes what the next cell sees.
 * - A denied cell must answer 401 (signed out) or 403/404 and make no call into the collaboration
 *   server; a denied write must also leave every table of the database as it was (its rows, hashed).
 *   The only trace a refusal may leave is an audit entry recording it.
 */
import type { Role } from '@shared/permissions';
import { bracket, clause, doc, heading, ins, objective, title } from '@tests/helpers/builders';
import { databaseFingerprint } from '@tests/helpers/dbFingerprint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProseMirrorJson } from '@server/seed/content';
import { type CreatedDialogue, createDialogueWithMembers } from '@server/seed/fixtures';
import { Members } from '@server/store/members';
import { Users } from '@server/store/users';
import { createTestApp, sessionCookie, type TestApp } from '@server/http/testHarness';
import { testStoreKind } from '@tests/helpers/testServer';

/** Who asks: every role of PRODUCT.md §1, a non-member, a signed-out visitor, a validator of another round. */
const principals = [
  'secretariat',
  'co_chair',
  'drafter',
  'panel',
  'observer',
  'validator',
  'otherValidator',
  'nonMember',
  'anonymous',
] as const;
type Who = (typeof principals)[number];

const READERS: Who[] = ['secretariat', 'co_chair', 'drafter', 'panel', 'observer'];
const CHAIRS: Who[] = ['secretariat', 'co_chair'];
const EDITORS: Who[] = ['secretariat', 'co_chair', 'drafter'];
const MEMBERS: Who[] = [...READERS, 'validator', 'otherValidator'];
const SIGNED_IN: Who[] = [...MEMBERS, 'nonMember'];
const EVERYONE: Who[] = [...principals];
/** The version of round A: its validator reads it, the validator of round B does not. */
const VERSION_READERS: Who[] = [...READERS, 'validator'];
const FEEDBACK_PROCESSORS: Who[] = ['secretariat', 'co_chair', 'drafter'];

/** A request a cell sends. */
interface Call {
  path: string;
  body?: unknown;
}

/** The world every cell acts in: one dialogue, its document, two rounds on two versions. */
interface World {
  t: TestApp;
  f: CreatedDialogue;
  dialogueId: string;
  documentId: string;
  /** Session cookies by principal (and the arranging-only `validator3`, `spare`, `invitee`). */
  cookies: Record<string, string>;
  userIds: Record<string, string>;
  versionA: string;
  roundA: string;
  versionB: string;
  /** A fresh clause id of the document's text for each call (80 exist). */
  nextClause(): string;
  /** A Secretariat request (arranging a cell); throws unless 2xx. */
  as(who: string, method: string, path: string, body?: unknown): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes, read only by the arrange code
}

/**
 * One row of the matrix: a route (exactly as Hono lists it), the document state it acts on, what it
 * does, who is allowed, and how a cell builds its request (arranging fresh targets first).
 */
interface Row {
  route: string;
  state: 'live' | 'frozen' | '-';
  does: string;
  allow: readonly Who[];
  /** Principals the row does not apply to (an "own comment" of someone who can write none). */
  only?: readonly Who[];
  /**
   * What an allowed cell answers when 2xx needs more than an API call can arrange (a change the
   * collaboration server must hold first): the status that proves the permission check was passed.
   */
  allowedStatus?: number;
  /** What a refused cell answers when it is not 401/403/404 (an invitation is its own credential). */
  deniedStatus?: number;
  call(w: World, who: Who): Promise<Call>;
}

const D = (w: World) => `/api/documents/${w.documentId}`;
const L = (w: World) => `/api/dialogues/${w.dialogueId}`;
let unique = 0;
const u = () => `${Date.now().toString(36)}${(unique++).toString(36)}`;

async function liveThread(w: World, by = 'author') {
  const res = await w.as(by, 'POST', `${D(w)}/threads`, {
    anchor: { kind: 'document' },
    body: `A thread ${u()}`,
    proposedWording: null,
  });
  return { threadId: res.thread.id as string, commentId: res.thread.comments[0].id as string };
}

/** A thread of feedback in round A, started by its third validator (someone else for every principal). */
async function feedbackThread(w: World) {
  const res = await w.as('validator3', 'POST', `${D(w)}/threads`, {
    roundId: w.roundA,
    anchor: { kind: 'document' },
    body: `Feedback ${u()}`,
    proposedWording: null,
  });
  return { threadId: res.thread.id as string, commentId: res.thread.comments[0].id as string };
}

async function report(w: World) {
  const res = await w.as('secretariat', 'POST', `${L(w)}/evidence/reports`, {
    country: 'Kestrania',
    kind: 'national_consultation',
    date: '2029-04-02',
    title: `Report ${u()}`,
    text: 'Water access was the first concern of every village.',
  });
  return res.report.id as string;
}

async function excerpt(w: World) {
  const reportId = await report(w);
  const res = await w.as('secretariat', 'POST', `${L(w)}/evidence/reports/${reportId}/excerpts`, {
    start: 0,
    end: 12,
    quote: 'Water access',
  });
  return res.excerpt.id as string;
}

async function link(w: World) {
  const res = await w.as('secretariat', 'POST', `${D(w)}/evidence/links`, {
    clauseId: w.nextClause(),
    excerptId: await excerpt(w),
    relation: 'supports',
  });
  return res.link.id as string;
}

/** A fresh account, member of the dialogue as an observer. */
async function member(w: World) {
  const user = await new Users(w.t.ctx.store).create({
    email: `member-${u()}@test.accord`,
    name: 'Target Member',
    passwordHash: 'scrypt$unused',
  });
  await new Members(w.t.ctx.store).add(w.dialogueId, user.id, 'observer');
  return user;
}

async function round(w: World) {
  const res = await w.as('secretariat', 'POST', `${D(w)}/rounds`, {
    versionId: w.versionA,
    title: `Round ${u()}`,
    closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  return res.round.id as string;
}

async function invitation(w: World, email: string) {
  const res = await w.as('secretariat', 'POST', `${D(w)}/rounds/${w.roundA}/invitations`, { emails: [email] });
  return (res.invitations[0].link as string).split('/invitations/')[1] as string;
}

/** An own comment: the principal replies (live) or writes feedback (frozen) first. */
async function ownComment(w: World, who: Who, state: 'live' | 'frozen') {
  const thread = state === 'live' ? await liveThread(w) : await feedbackThread(w);
  const res = await w.as(who, 'POST', `${D(w)}/threads/${thread.threadId}/comments`, {
    body: `My reply ${u()}`,
    proposedWording: null,
  });
  const comments = res.thread.comments as { id: string }[];
  return { threadId: thread.threadId, commentId: comments[comments.length - 1]!.id };
}

function threadRows(state: 'live' | 'frozen'): Row[] {
  const live = state === 'live';
  const make = (w: World) => (live ? liveThread(w) : feedbackThread(w));
  const readers = live ? READERS : ['secretariat', 'co_chair', 'drafter', 'validator'] as Who[];
  const T = '/api/documents/:id/threads';
  return [
    {
      route: `GET ${T}`,
      state,
      does: 'list threads',
      allow: readers,
      call: async (w) => ({ path: `${D(w)}/threads${live ? '' : `?roundId=${w.roundA}`}` }),
    },
    {
      route: `GET ${T}/:threadId`,
      state,
      does: 'read a thread',
      allow: readers,
      call: async (w) => ({ path: `${D(w)}/threads/${(await make(w)).threadId}` }),
    },
    {
      route: `POST ${T}`,
      state,
      does: 'start a thread',
      allow: live ? ['secretariat', 'co_chair', 'drafter', 'panel'] : ['validator'],
      call: async (w) => ({
        path: `${D(w)}/threads`,
        body: {
          ...(live ? {} : { roundId: w.roundA }),
          anchor: { kind: 'document' },
          body: `New ${u()}`,
          proposedWording: null,
        },
      }),
    },
    {
      route: `POST ${T}/:threadId/comments`,
      state,
      does: 'reply',
      allow: live ? ['secretariat', 'co_chair', 'drafter', 'panel'] : readers,
      call: async (w) => ({
        path: `${D(w)}/threads/${(await make(w)).threadId}/comments`,
        body: { body: `Reply ${u()}`, proposedWording: null },
      }),
    },
    {
      route: `PATCH ${T}/:threadId/comments/:commentId`,
      state,
      does: "edit someone else's comment",
      allow: [],
      call: async (w) => {
        const { threadId, commentId } = await make(w);
        return { path: `${D(w)}/threads/${threadId}/comments/${commentId}`, body: { body: 'Edited', proposedWording: null } };
      },
    },
    {
      route: `PATCH ${T}/:threadId/comments/:commentId`,
      state,
      does: 'edit own comment',
      only: live ? ['secretariat', 'co_chair', 'drafter', 'panel'] : readers,
      allow: live ? ['secretariat', 'co_chair', 'drafter', 'panel'] : readers,
      call: async (w, who) => {
        const { threadId, commentId } = await ownComment(w, who, state);
        return { path: `${D(w)}/threads/${threadId}/comments/${commentId}`, body: { body: 'Edited', proposedWording: null } };
      },
    },
    {
      route: `DELETE ${T}/:threadId/comments/:commentId`,
      state,
      does: "delete someone else's comment",
      allow: ['secretariat'],
      call: async (w) => {
        const { threadId, commentId } = await make(w);
        return { path: `${D(w)}/threads/${threadId}/comments/${commentId}` };
      },
    },
    {
      route: `DELETE ${T}/:threadId/comments/:commentId`,
      state,
      does: 'delete own comment',
      only: live ? ['secretariat', 'co_chair', 'drafter', 'panel'] : readers,
      allow: live ? ['secretariat', 'co_chair', 'drafter', 'panel'] : readers,
      call: async (w, who) => {
        const { threadId, commentId } = await ownComment(w, who, state);
        return { path: `${D(w)}/threads/${threadId}/comments/${commentId}` };
      },
    },
    {
      route: `POST ${T}/:threadId/resolve`,
      state,
      does: "resolve someone else's thread",
      allow: CHAIRS,
      call: async (w) => ({ path: `${D(w)}/threads/${(await make(w)).threadId}/resolve` }),
    },
    {
      route: `POST ${T}/:threadId/reopen`,
      state,
      does: "reopen someone else's resolved thread",
      allow: CHAIRS,
      call: async (w) => {
        const { threadId } = await make(w);
        await w.as('secretariat', 'POST', `${D(w)}/threads/${threadId}/resolve`);
        return { path: `${D(w)}/threads/${threadId}/reopen` };
      },
    },
    {
      route: `PATCH ${T}/:threadId`,
      state,
      does: 'make a thread internal',
      allow: live ? CHAIRS : [],
      call: async (w) => ({ path: `${D(w)}/threads/${(await make(w)).threadId}`, body: { visibility: 'internal' } }),
    },
    {
      route: `POST ${T}/:threadId/comments/:commentId/apply`,
      state,
      does: 'start applying proposed wording',
      allow: live ? EDITORS : [],
      // The comment proposes no wording: an editor passes the permission check and is told so.
      allowedStatus: 409,
      call: async (w) => {
        const { threadId, commentId } = await make(w);
        return { path: `${D(w)}/threads/${threadId}/comments/${commentId}/apply` };
      },
    },
    {
      route: `POST ${T}/:threadId/comments/:commentId/apply/confirm`,
      state,
      does: 'confirm applied wording',
      allow: live ? EDITORS : [],
      // Confirming needs the change in the collaboration server's text; without it an editor gets 409.
      allowedStatus: 409,
      call: async (w) => {
        const { threadId, commentId } = await make(w);
        return { path: `${D(w)}/threads/${threadId}/comments/${commentId}/apply/confirm`, body: { changeId: 's-none' } };
      },
    },
    {
      route: `POST ${T}/:threadId/comments/:commentId/apply/cancel`,
      state,
      does: 'cancel applying wording',
      allow: live ? EDITORS : [],
      allowedStatus: 409,
      call: async (w) => {
        const { threadId, commentId } = await make(w);
        return {
          path: `${D(w)}/threads/${threadId}/comments/${commentId}/apply/cancel`,
          body: { changeId: 's-none', reason: 'text-gone' },
        };
      },
    },
    // Only feedback can be carried (a live thread is answered 400 whoever asks): frozen state only.
    ...(live
      ? []
      : [
          {
            route: `POST ${T}/:threadId/carry`,
            state,
            does: 'carry feedback to the live draft',
            allow: FEEDBACK_PROCESSORS,
            call: async (w: World) => ({ path: `${D(w)}/threads/${(await make(w)).threadId}/carry`, body: {} }),
          },
        ]),
  ];
}

const rows: Row[] = [
  { route: 'GET /healthz', state: '-', does: 'health', allow: EVERYONE, call: async () => ({ path: '/healthz' }) },
  {
    route: 'POST /api/session',
    state: '-',
    does: 'sign in (as a spare account)',
    allow: EVERYONE,
    call: async (w) => ({ path: '/api/session', body: { email: w.f.users.spare!.email, password: w.f.users.spare!.password } }),
  },
  { route: 'GET /api/session', state: '-', does: 'who am I', allow: SIGNED_IN, call: async () => ({ path: '/api/session' }) },
  { route: 'DELETE /api/session', state: '-', does: 'sign out', allow: EVERYONE, call: async () => ({ path: '/api/session' }) },
  { route: 'GET /api/documents', state: '-', does: 'list documents', allow: SIGNED_IN, call: async () => ({ path: '/api/documents' }) },
  { route: 'GET /api/documents/:id', state: 'live', does: 'read a document', allow: MEMBERS, call: async (w) => ({ path: D(w) }) },
  { route: 'GET /api/documents/:id/audit', state: '-', does: 'read the audit log', allow: CHAIRS, call: async (w) => ({ path: `${D(w)}/audit` }) },
  // Negotiation on the live draft.
  { route: 'GET /api/documents/:id/clauses/status', state: 'live', does: 'clause statuses', allow: READERS, call: async (w) => ({ path: `${D(w)}/clauses/status` }) },
  {
    route: 'GET /api/documents/:id/clauses/:clauseId/history',
    state: 'live',
    does: 'status history',
    allow: READERS,
    call: async (w) => ({ path: `${D(w)}/clauses/c-1/history` }),
  },
  {
    route: 'PUT /api/documents/:id/clauses/:clauseId/status',
    state: 'live',
    does: 'set a clause bracketed',
    allow: EDITORS,
    call: async (w) => ({ path: `${D(w)}/clauses/${w.nextClause()}/status`, body: { status: 'bracketed' } }),
  },
  {
    route: 'POST /api/documents/:id/clauses/:clauseId/proposal/:verdict{confirm|decline}',
    state: 'live',
    does: "confirm a drafter's proposal",
    allow: CHAIRS,
    call: async (w) => {
      const clauseId = w.nextClause();
      await w.as('drafter', 'PUT', `${D(w)}/clauses/${clauseId}/status`, { status: 'withdrawn' });
      return { path: `${D(w)}/clauses/${clauseId}/proposal/confirm`, body: {} };
    },
  },
  {
    route: 'POST /api/documents/:id/changes/decisions',
    state: 'live',
    does: 'accept a tracked change',
    allow: CHAIRS,
    call: async (w) => ({ path: `${D(w)}/changes/decisions`, body: { decision: 'accept', changeIds: ['chg-1'] } }),
  },
  {
    route: 'POST /api/documents/:id/brackets/resolutions',
    state: 'live',
    does: 'resolve a bracket group',
    allow: CHAIRS,
    call: async (w) => ({
      path: `${D(w)}/brackets/resolutions`,
      body: { clauseId: 'c-b', group: 'g-1', chosen: { alt: 1, text: 'shall' }, removed: [{ alt: 2, text: 'should' }] },
    }),
  },
  {
    route: 'PATCH /api/documents/:id/settings',
    state: 'live',
    does: 'change the document policy',
    allow: ['secretariat'],
    call: async (w) => ({ path: `${D(w)}/settings`, body: { requireSuggestingForDrafters: unique++ % 2 === 0 } }),
  },
  { route: 'GET /api/documents/:id/changes/flags', state: 'live', does: 'read change flags', allow: CHAIRS, call: async (w) => ({ path: `${D(w)}/changes/flags` }) },
  // Versions: the live draft, and the frozen version of round A.
  { route: 'GET /api/documents/:id/versions', state: 'live', does: 'list versions', allow: READERS, call: async (w) => ({ path: `${D(w)}/versions` }) },
  {
    route: 'POST /api/documents/:id/versions',
    state: 'live',
    does: 'freeze a version',
    allow: CHAIRS,
    call: async (w) => ({ path: `${D(w)}/versions`, body: { label: `Rev.${u()}` } }),
  },
  ...(['', '/content', '/state', '/verify', '/export/options'] as const).map(
    (suffix): Row => ({
      route: `GET /api/documents/:id/versions/:versionId${suffix}`,
      state: 'frozen',
      does: `read the version${suffix}`,
      allow: VERSION_READERS,
      call: async (w) => ({ path: `${D(w)}/versions/${w.versionA}${suffix}` }),
    }),
  ),
  {
    route: 'GET /api/documents/:id/versions/:versionId/export',
    state: 'frozen',
    does: 'export the version',
    allow: VERSION_READERS,
    call: async (w) => ({ path: `${D(w)}/versions/${w.versionA}/export?format=md` }),
  },
  {
    route: 'POST /api/documents/:id/versions/:versionId/restore',
    state: 'frozen',
    does: 'restore the version',
    allow: CHAIRS,
    call: async (w) => ({ path: `${D(w)}/versions/${w.versionA}/restore`, body: { confirm: true } }),
  },
  {
    route: 'GET /api/documents/:id/compare',
    state: 'frozen',
    does: 'compare the version with the live draft',
    allow: READERS,
    call: async (w) => ({ path: `${D(w)}/compare?from=${w.versionA}&to=live` }),
  },
  { route: 'GET /api/documents/:id/numbering', state: 'live', does: 'read numbering', allow: READERS, call: async (w) => ({ path: `${D(w)}/numbering` }) },
  {
    route: 'PUT /api/documents/:id/numbering',
    state: 'live',
    does: 'switch bis numbering',
    allow: ['secretariat'],
    call: async (w) => ({ path: `${D(w)}/numbering`, body: { bisNumbering: (unique++ % 2) === 0 } }),
  },
  { route: 'GET /api/documents/:id/export/options', state: 'live', does: 'export options', allow: READERS, call: async (w) => ({ path: `${D(w)}/export/options` }) },
  { route: 'GET /api/documents/:id/export', state: 'live', does: 'export the live draft', allow: READERS, call: async (w) => ({ path: `${D(w)}/export?format=md` }) },
  // Validation rounds.
  { route: 'GET /api/documents/:id/rounds', state: 'frozen', does: 'list rounds', allow: MEMBERS, call: async (w) => ({ path: `${D(w)}/rounds` }) },
  {
    route: 'POST /api/documents/:id/rounds',
    state: 'frozen',
    does: 'open a round',
    allow: ['secretariat'],
    call: async (w) => ({
      path: `${D(w)}/rounds`,
      body: { versionId: w.versionA, title: `Round ${u()}`, closesAt: new Date(Date.now() + 86_400_000).toISOString() },
    }),
  },
  { route: 'GET /api/documents/:id/rounds/:roundId', state: 'frozen', does: 'read round A', allow: VERSION_READERS, call: async (w) => ({ path: `${D(w)}/rounds/${w.roundA}` }) },
  {
    route: 'GET /api/documents/:id/rounds/:roundId/feedback',
    state: 'frozen',
    does: 'read the feedback report',
    allow: FEEDBACK_PROCESSORS,
    call: async (w) => ({ path: `${D(w)}/rounds/${w.roundA}/feedback` }),
  },
  {
    route: 'GET /api/documents/:id/rounds/:roundId/feedback/export',
    state: 'frozen',
    does: 'export the feedback report',
    allow: FEEDBACK_PROCESSORS,
    call: async (w) => ({ path: `${D(w)}/rounds/${w.roundA}/feedback/export?format=csv` }),
  },
  {
    route: 'POST /api/documents/:id/rounds/:roundId/invitations',
    state: 'frozen',
    does: 'invite validators',
    allow: ['secretariat'],
    call: async (w) => ({ path: `${D(w)}/rounds/${w.roundA}/invitations`, body: { emails: [`v-${u()}@test.accord`] } }),
  },
  {
    route: 'POST /api/documents/:id/rounds/:roundId/close',
    state: 'frozen',
    does: 'close a round',
    allow: ['secretariat'],
    call: async (w) => ({ path: `${D(w)}/rounds/${await round(w)}/close` }),
  },
  {
    route: 'GET /api/invitations/:token',
    state: 'frozen',
    does: 'read an invitation (the token is the credential)',
    allow: EVERYONE,
    call: async (w) => ({ path: `/api/invitations/${await invitation(w, `v-${u()}@test.accord`)}` }),
  },
  {
    route: 'POST /api/invitations/:token/accept',
    state: 'frozen',
    does: 'accept an invitation for a new account',
    allow: EVERYONE,
    call: async (w) => ({
      path: `/api/invitations/${await invitation(w, `v-${u()}@test.accord`)}/accept`,
      body: { name: 'New Validator', password: 'a long enough password' },
    }),
  },
  {
    route: 'POST /api/invitations/:token/accept',
    state: 'frozen',
    does: "accept an invitation addressed to someone else's account",
    allow: [],
    deniedStatus: 409,
    call: async (w) => ({ path: `/api/invitations/${await invitation(w, w.f.users.invitee!.email)}/accept`, body: {} }),
  },
  ...threadRows('live'),
  ...threadRows('frozen'),
  // Inbox and members.
  { route: 'GET /api/inbox', state: '-', does: 'read the inbox', allow: MEMBERS, call: async (w) => ({ path: `/api/inbox?dialogueId=${w.dialogueId}` }) },
  {
    route: 'POST /api/inbox/read',
    state: '-',
    does: 'mark the inbox read',
    allow: MEMBERS,
    call: async (w) => ({ path: '/api/inbox/read', body: { dialogueId: w.dialogueId, all: true } }),
  },
  { route: 'GET /api/dialogues/:id/members', state: '-', does: 'list members', allow: MEMBERS, call: async (w) => ({ path: `${L(w)}/members` }) },
  {
    route: 'POST /api/dialogues/:id/members',
    state: '-',
    does: 'add a member',
    allow: ['secretariat'],
    call: async (w) => {
      const user = await new Users(w.t.ctx.store).create({ email: `new-${u()}@test.accord`, name: 'New', passwordHash: 'scrypt$unused' });
      return { path: `${L(w)}/members`, body: { email: user.email, role: 'observer' } };
    },
  },
  {
    route: 'PATCH /api/dialogues/:id/members/:userId',
    state: '-',
    does: "change a member's role",
    allow: ['secretariat'],
    call: async (w) => ({ path: `${L(w)}/members/${(await member(w)).id}`, body: { role: 'panel' } }),
  },
  {
    route: 'DELETE /api/dialogues/:id/members/:userId',
    state: '-',
    does: 'remove a member',
    allow: ['secretariat'],
    call: async (w) => ({ path: `${L(w)}/members/${(await member(w)).id}` }),
  },
  // The evidence library of the dialogue.
  { route: 'GET /api/dialogues/:id/evidence/facets', state: '-', does: 'evidence facets', allow: READERS, call: async (w) => ({ path: `${L(w)}/evidence/facets` }) },
  { route: 'GET /api/dialogues/:id/evidence/reports', state: '-', does: 'list reports', allow: READERS, call: async (w) => ({ path: `${L(w)}/evidence/reports` }) },
  { route: 'GET /api/dialogues/:id/evidence/excerpts', state: '-', does: 'search excerpts', allow: READERS, call: async (w) => ({ path: `${L(w)}/evidence/excerpts?q=water` }) },
  {
    route: 'POST /api/dialogues/:id/evidence/reports',
    state: '-',
    does: 'add a report',
    allow: EDITORS,
    call: async (w) => ({
      path: `${L(w)}/evidence/reports`,
      body: { country: 'Orlandia', kind: 'national_consultation', date: '2029-05-01', title: `R ${u()}`, text: 'Text.' },
    }),
  },
  { route: 'GET /api/dialogues/:id/evidence/reports/:reportId', state: '-', does: 'read a report', allow: READERS, call: async (w) => ({ path: `${L(w)}/evidence/reports/${await report(w)}` }) },
  {
    route: 'PATCH /api/dialogues/:id/evidence/reports/:reportId',
    state: '-',
    does: 'edit a report',
    allow: EDITORS,
    call: async (w) => ({ path: `${L(w)}/evidence/reports/${await report(w)}`, body: { title: `Renamed ${u()}` } }),
  },
  { route: 'DELETE /api/dialogues/:id/evidence/reports/:reportId', state: '-', does: 'delete a report', allow: EDITORS, call: async (w) => ({ path: `${L(w)}/evidence/reports/${await report(w)}` }) },
  {
    route: 'POST /api/dialogues/:id/evidence/reports/:reportId/excerpts',
    state: '-',
    does: 'add an excerpt',
    allow: EDITORS,
    call: async (w) => ({ path: `${L(w)}/evidence/reports/${await report(w)}/excerpts`, body: { start: 0, end: 5, quote: 'Water' } }),
  },
  {
    route: 'PATCH /api/dialogues/:id/evidence/excerpts/:excerptId',
    state: '-',
    does: 'edit an excerpt',
    allow: EDITORS,
    call: async (w) => ({ path: `${L(w)}/evidence/excerpts/${await excerpt(w)}`, body: { note: `Note ${u()}` } }),
  },
  { route: 'DELETE /api/dialogues/:id/evidence/excerpts/:excerptId', state: '-', does: 'delete an excerpt', allow: EDITORS, call: async (w) => ({ path: `${L(w)}/evidence/excerpts/${await excerpt(w)}` }) },
  {
    route: 'GET /api/dialogues/:id/evidence/imports/:uploadId',
    state: '-',
    does: "follow an import (none running: an allowed member is told it is unknown)",
    allow: EDITORS,
    allowedStatus: 404,
    call: async (w) => ({ path: `${L(w)}/evidence/imports/no-such-upload` }),
  },
  {
    route: 'POST /api/dialogues/:id/evidence/imports',
    state: '-',
    does: 'import a report file',
    allow: EDITORS,
    call: async (w) => {
      const form = new FormData();
      form.set('country', 'Kestrania');
      form.set('kind', 'national_consultation');
      form.set('date', '2029-04-02');
      form.set('file', new Blob(['Imported consultation text.'], { type: 'text/plain' }), `r-${u()}.txt`);
      return { path: `${L(w)}/evidence/imports`, body: form };
    },
  },
  // The document's evidence.
  { route: 'GET /api/documents/:id/evidence/links', state: 'live', does: 'list evidence links', allow: READERS, call: async (w) => ({ path: `${D(w)}/evidence/links` }) },
  {
    route: 'POST /api/documents/:id/evidence/links',
    state: 'live',
    does: 'link evidence to a clause',
    allow: EDITORS,
    call: async (w) => ({ path: `${D(w)}/evidence/links`, body: { clauseId: w.nextClause(), excerptId: await excerpt(w), relation: 'supports' } }),
  },
  {
    route: 'PATCH /api/documents/:id/evidence/links/:linkId',
    state: 'live',
    does: 'edit a link',
    allow: EDITORS,
    call: async (w) => ({ path: `${D(w)}/evidence/links/${await link(w)}`, body: { relation: 'challenges' } }),
  },
  { route: 'DELETE /api/documents/:id/evidence/links/:linkId', state: 'live', does: 'delete a link', allow: EDITORS, call: async (w) => ({ path: `${D(w)}/evidence/links/${await link(w)}` }) },
  { route: 'GET /api/documents/:id/evidence/coverage', state: 'live', does: 'coverage', allow: READERS, call: async (w) => ({ path: `${D(w)}/evidence/coverage` }) },
  { route: 'GET /api/documents/:id/evidence/record', state: 'live', does: 'record of consultation', allow: READERS, call: async (w) => ({ path: `${D(w)}/evidence/record` }) },
];

/** Every table's rows, hashed; `audit_log` apart (a refusal may be recorded there, and nothing else). */
const fingerprint = (t: TestApp) => databaseFingerprint(t.ctx.store, { except: ['audit_log'] });

function collabCalls(t: TestApp): string {
  const c = t.collab;
  return [c.published.length, c.accessChanges.length, c.serverUpdates.length, c.policyChanges.length, c.grants.length].join(',');
}

// One store per run: SQLite here, PostgreSQL in `npm run test:postgres` (project integration-pg).
describe(`the authorization matrix of the REST API on ${testStoreKind}`, () => {
  let w: World;

  beforeAll(async () => {
    const t = await createTestApp({ kind: testStoreKind, signInLimits: { perEmailAndIp: { max: 1000, windowMs: 60_000 }, perIp: { max: 1000, windowMs: 60_000 } } });
    const clausesN = Array.from({ length: 80 }, (_, i) => clause({ id: `c-${i + 1}` }, `Clause ${i + 1} text.`));
    const content = doc(
      title('Framework'),
      objective(
        { id: 'o-1' },
        heading('Water'),
        clause({ id: 'c-b' }, 'Parties ', ...bracket('shall', { group: 'g-1', alt: 1 }), ...bracket('should', { group: 'g-1', alt: 2 }), ' act.'),
        clause({ id: 'c-t' }, 'Parties ', ...ins({ id: 'chg-1', authorId: 'someone', authorName: 'Someone' }, 'jointly '), 'act.'),
        ...clausesN,
      ),
    ).toJSON() as ProseMirrorJson;
    const roles: [string, Role | null][] = [
      ['secretariat', 'secretariat'],
      ['co_chair', 'co_chair'],
      ['drafter', 'drafter'],
      ['panel', 'panel'],
      ['observer', 'observer'],
      ['nonMember', null],
      // Starts the threads of the live draft: someone else for every principal.
      ['author', 'drafter'],
      ['spare', null],
      ['invitee', null],
    ];
    const f = await createDialogueWithMembers(t.ctx, {
      members: roles.map(([key, role]) => ({ key, role })),
      document: { title: 'Framework', content },
    });
    const cookies: Record<string, string> = {};
    const userIds: Record<string, string> = {};
    for (const [key, user] of Object.entries(f.users)) {
      cookies[key] = await sessionCookie(t.ctx, user.id);
      userIds[key] = user.id;
    }
    let clauseNo = 0;
    w = {
      t,
      f,
      dialogueId: f.dialogue.id,
      documentId: f.documentId!,
      cookies,
      userIds,
      versionA: '',
      roundA: '',
      versionB: '',
      nextClause: () => {
        clauseNo += 1;
        if (clauseNo > 80) throw new Error('the matrix document has run out of fresh clauses');
        return `c-${clauseNo}`;
      },
      as: async (who, method, path, body) => {
        const res = await t.app.request(path, {
          method,
          headers: { cookie: cookies[who] ?? '', 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        if (res.status >= 300) throw new Error(`arranging: ${who} ${method} ${path} answered ${res.status}: ${text}`);
        return text ? (JSON.parse(text) as unknown) : null;
      },
    };
    // Two versions, a round on each; a validator joins each round (and a third validator writes feedback).
    const version = async (label: string) => ((await w.as('secretariat', 'POST', `${D(w)}/versions`, { label })) as { version: { id: string } }).version.id;
    w.versionA = await version('Zero draft');
    w.versionB = await version('Rev.1');
    const openRound = async (versionId: string) =>
      ((await w.as('secretariat', 'POST', `${D(w)}/rounds`, {
        versionId,
        title: `Round on ${versionId}`,
        closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      })) as { round: { id: string } }).round.id;
    w.roundA = await openRound(w.versionA);
    const roundB = await openRound(w.versionB);
    const join = async (key: string, roundId: string) => {
      const inv = (await w.as('secretariat', 'POST', `${D(w)}/rounds/${roundId}/invitations`, { emails: [`${key}-${u()}@test.accord`] })) as {
        invitations: { link: string }[];
      };
      const token = inv.invitations[0]!.link.split('/invitations/')[1]!;
      const res = await t.app.request(`/api/invitations/${token}/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: key, password: 'a long enough password' }),
      });
      expect(res.status).toBe(200);
      cookies[key] = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
      const me = await t.app.request('/api/session', { headers: { cookie: cookies[key] } });
      userIds[key] = ((await me.json()) as { user: { id: string } }).user.id;
    };
    await join('validator', w.roundA);
    await join('otherValidator', roundB);
    await join('validator3', w.roundA);
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('has a row for every route of the app, so a new endpoint cannot land outside the matrix', () => {
    const listed = new Set(
      w.t.app.routes.filter((r) => r.method !== 'ALL' && r.path !== '/*').map((r) => `${r.method} ${r.path}`),
    );
    const covered = new Set(rows.map((r) => r.route));
    expect([...listed].filter((route) => !covered.has(route)), 'routes without a row in the matrix').toEqual([]);
    expect([...covered].filter((route) => !listed.has(route)), 'rows for routes that do not exist').toEqual([]);
  });

  it('answers exactly as the table says in every cell, and a refused request changes nothing', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const row of rows) {
      for (const who of principals) {
        if (row.only && !row.only.includes(who)) continue;
        cells++;
        const allowed = row.allow.includes(who);
        const { path, body } = await row.call(w, who);
        const method = row.route.split(' ')[0]!;
        // Reads are checked for calls and audit entries; the database hash (the costly part) is for writes.
        const write = method !== 'GET';
        const before = !allowed && write ? await fingerprint(w.t) : '';
        const calls = collabCalls(w.t);
        const auditBefore = (await w.t.ctx.store.db.selectFrom('audit_log').select('id').execute()).length;
        const headers: Record<string, string> = {};
        if (who !== 'anonymous') headers.cookie = w.cookies[who] ?? '';
        if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
        const res = await w.t.app.request(path, {
          method,
          headers,
          body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
        });
        const status = res.status;
        const text = await res.text();
        const cell = `${row.route} [${row.state}] ${row.does} — ${who}: ${status}`;
        if (allowed) {
          const ok = row.allowedStatus ? status === row.allowedStatus || (status >= 200 && status < 300) : status >= 200 && status < 300;
          if (!ok) mismatches.push(`${cell}, expected allowed (${text.slice(0, 160)})`);
        } else {
          const deniedOk = row.deniedStatus
            ? status === row.deniedStatus
            : who === 'anonymous'
              ? status === 401
              : status === 403 || status === 404;
          if (!deniedOk) mismatches.push(`${cell}, expected denied (${text.slice(0, 160)})`);
          if (write && (await fingerprint(w.t)) !== before) mismatches.push(`${cell}: a refused request changed the database`);
          if (collabCalls(w.t) !== calls) mismatches.push(`${cell}: a refused request reached the collaboration server`);
          const added = await w.t.ctx.store.db
            .selectFrom('audit_log')
            .select('action')
            .orderBy('id')
            .offset(auditBefore)
            .limit(100)
            .execute();
          const notRefusals = added.filter((a) => !/reject|refus|denied/.test(a.action));
          if (notRefusals.length > 0) mismatches.push(`${cell}: a refused request was audited as ${notRefusals.map((a) => a.action).join(', ')}`);
        }
        // Signing in or out ends the session the request carried: give the principal a fresh one.
        if (row.route.endsWith(' /api/session') && who !== 'anonymous') {
          w.cookies[who] = await sessionCookie(w.t.ctx, w.userIds[who]!);
        }
      }
    }
    console.info(`authorization matrix: ${cells} cells over ${rows.length} rows`);
    expect(mismatches).toEqual([]);
  }, 240_000);
});
