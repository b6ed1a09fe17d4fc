import { describe, expect, it } from 'vitest';
import { roles } from './roles';
import {
  canApplyWording,
  canCarryFeedback,
  canChangeVisibility,
  canDeleteComment,
  canEditComment,
  canReply,
  canResolve,
  canReadThreadsOn,
  canSeeThread,
  canStartFeedback,
  canStartThread,
  internalRoles,
} from './threads';

/** Columns: secretariat, co_chair, drafter, panel, observer, validator ("y" yes, "-" no). */
const expected = {
  'see a thread visible to everyone': 'y y y y y -',
  'see an internal thread': 'y y - - - -',
  'start a thread': 'y y y y - -',
  'start an internal thread': 'y y - - - -',
  'reply': 'y y y y - -',
  'edit their own comment': 'y y y y - -',
  "edit someone else's comment": '- - - - - -',
  'delete their own comment': 'y y y y - -',
  "delete someone else's comment": 'y - - - - -',
  'resolve their own thread': 'y y y y - -',
  "resolve someone else's thread": 'y y - - - -',
  'change who sees a thread': 'y y - - - -',
  'apply proposed wording': 'y y y - - -',
} as const;

const me = 'u-me';
const open = { visibility: 'everyone', createdBy: 'u-other', versionId: null } as const;
const mine = { ...open, createdBy: me };
const internal = { ...open, visibility: 'internal' } as const;
const myComment = { authorId: me, deleted: false };
const theirs = { authorId: 'u-other', deleted: false };

const check: Record<keyof typeof expected, (role: (typeof roles)[number]) => boolean> = {
  'see a thread visible to everyone': (r) => canSeeThread(r, open),
  'see an internal thread': (r) => canSeeThread(r, internal),
  'start a thread': (r) => canStartThread(r, 'everyone'),
  'start an internal thread': (r) => canStartThread(r, 'internal'),
  'reply': (r) => canReply(r, open),
  'edit their own comment': (r) => canEditComment(r, me, open, myComment),
  "edit someone else's comment": (r) => canEditComment(r, me, open, theirs),
  'delete their own comment': (r) => canDeleteComment(r, me, open, myComment),
  "delete someone else's comment": (r) => canDeleteComment(r, me, open, theirs),
  'resolve their own thread': (r) => canResolve(r, me, mine),
  "resolve someone else's thread": (r) => canResolve(r, me, open),
  'change who sees a thread': (r) => canChangeVisibility(r, open),
  'apply proposed wording': (r) => canApplyWording(r, open),
};

describe('thread rules', () => {
  it.each(
    Object.entries(expected).flatMap(([what, row]) =>
      roles.map((role, i) => ({ what: what as keyof typeof expected, role, allowed: row.split(' ')[i] === 'y' })),
    ),
  )('$role may $what: $allowed', ({ what, role, allowed }) => {
    expect(check[what](role)).toBe(allowed);
  });

  it('lets nobody edit or delete a comment that is already deleted', () => {
    for (const role of roles) {
      expect(canEditComment(role, me, open, { authorId: me, deleted: true })).toBe(false);
      expect(canDeleteComment(role, me, open, { authorId: me, deleted: true })).toBe(false);
    }
  });

  it('lets no one without a role do anything', () => {
    expect(canSeeThread(null, open)).toBe(false);
    expect(canStartThread(undefined, 'everyone')).toBe(false);
    expect(canResolve(null, me, mine)).toBe(false);
  });

  it('sends internal threads to Secretariat and Co-Chairs only', () => {
    expect(internalRoles).toEqual(['secretariat', 'co_chair']);
  });

  it('keeps validators out of the live draft\'s threads', () => {
    expect(canReadThreadsOn('validator', null)).toBe(false);
    expect(canReadThreadsOn('validator', null, { validator: true })).toBe(false);
    expect(canSeeThread('validator', open, { validator: true })).toBe(false);
  });
});

/**
 * Columns as above, for a thread of feedback in a validation round. "v": only when the member validates
 * that round (a validator is invited to one round; a live-draft member may be invited too and keeps
 * their role); "y": whether or not they validate it; "-": never.
 */
const feedbackExpected = {
  'see the feedback': 'y y y v v v',
  'start feedback': 'v v v v v v',
  'reply to feedback': 'y y y v v v',
  'edit their own feedback': 'y y y v v v',
  "delete someone else's feedback": 'y - - - - -',
  'resolve feedback': 'y y - - - -',
  'make feedback internal': '- - - - - -',
  'apply its wording to the live text': '- - - - - -',
  'carry it to the live draft': 'y y y - - -',
} as const;

const feedback = { visibility: 'everyone', createdBy: 'u-other', versionId: 'v-1' } as const;
const myFeedback = { ...feedback, createdBy: me };

const feedbackCheck: Record<keyof typeof feedbackExpected, (role: (typeof roles)[number], validator: boolean) => boolean> = {
  'see the feedback': (r, v) => canSeeThread(r, feedback, { validator: v }),
  'start feedback': (r, v) => canStartFeedback(r, { validator: v }),
  'reply to feedback': (r, v) => canReply(r, feedback, { validator: v }),
  'edit their own feedback': (r, v) => canEditComment(r, me, myFeedback, myComment, { validator: v }),
  "delete someone else's feedback": (r, v) => canDeleteComment(r, me, feedback, theirs, { validator: v }),
  'resolve feedback': (r, v) => canResolve(r, me, myFeedback, { validator: v }),
  'make feedback internal': (r) => canChangeVisibility(r, feedback),
  'apply its wording to the live text': (r) => canApplyWording(r, feedback),
  'carry it to the live draft': (r) => canCarryFeedback(r, feedback),
};

describe('feedback rules (threads of a validation round)', () => {
  it.each(
    Object.entries(feedbackExpected).flatMap(([what, row]) =>
      roles.map((role, i) => ({ what: what as keyof typeof feedbackExpected, role, cell: row.split(' ')[i] })),
    ),
  )('$role may $what: $cell', ({ what, role, cell }) => {
    expect(feedbackCheck[what](role, true)).toBe(cell !== '-');
    expect(feedbackCheck[what](role, false)).toBe(cell === 'y');
  });
});
