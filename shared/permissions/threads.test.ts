import { describe, expect, it } from 'vitest';
import { roles } from './roles';
import {
  canApplyWording,
  canChangeVisibility,
  canDeleteComment,
  canEditComment,
  canReply,
  canResolve,
  canSeeThread,
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
});
