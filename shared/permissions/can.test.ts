import { describe, expect, it } from 'vitest';
import { type Action, actions, type ClauseStatus, can, canSetStatus, clauseStatuses } from './can';
import { isRole, type Role, roleColors, roleLabels, roles } from './roles';

/**
 * PRODUCT.md §1, row by row; columns: secretariat, co_chair, drafter, panel, observer, validator.
 * "y" = yes, "-" = no. Actions the table does not name are the project's finer rules, listed last.
 */
const matrix: Record<Action, string> = {
  'document.readLive': 'y y y y y -', // the validator reads only the round's frozen version
  'document.edit': 'y y y - - -',
  'document.suggest': 'y y y - - -',
  'change.decide': 'y y - - - -',
  'clause.setStatus': 'y y y - - -', // the drafter partly: see canSetStatus
  'thread.comment': 'y y y y - y', // the validator on the round's version
  'thread.resolveAny': 'y y - - - -',
  'thread.resolveOwn': 'y y y y - -',
  'evidence.read': 'y y y y y -', // everyone who reads the live draft; the validator only their round
  'evidence.manage': 'y y y - - -',
  'version.freeze': 'y y - - - -',
  'round.manage': 'y - - - - -',
  'round.readFeedback': 'y y y - - -', // the validator reads the feedback of their own round (threads.ts)
  // Not in the table: restoring a version rewrites the live text as a forward edit; the chairs decide.
  'version.restore': 'y y - - - -',
  'member.manage': 'y - - - - -',
  // Not in the table: internal threads are for the chairs; removing another's comment and document policy are the Secretariat's.
  'thread.readInternal': 'y y - - - -',
  'thread.moderate': 'y - - - - -',
  'document.setPolicy': 'y - - - - -',
};

const cases = actions.flatMap((action) => {
  const row = matrix[action].split(' ');
  return roles.map((role, i) => ({ action, role, allowed: row[i] === 'y' }));
});

describe('can', () => {
  it('has a row for every action and a column for every role', () => {
    expect(Object.keys(matrix).sort()).toEqual([...actions].sort());
    for (const row of Object.values(matrix)) expect(row.split(' ')).toHaveLength(roles.length);
  });

  it.each(cases)('$role may $action: $allowed', ({ action, role, allowed }) => {
    expect(can(role, action)).toBe(allowed);
  });

  it('allows nothing to someone who is not a member', () => {
    for (const action of actions) {
      expect(can(null, action)).toBe(false);
      expect(can(undefined, action)).toBe(false);
    }
  });
});

describe('canSetStatus', () => {
  const expected: Record<Role, Record<ClauseStatus, 'yes' | 'propose' | 'no'>> = {
    secretariat: { draft: 'yes', proposed: 'yes', bracketed: 'yes', agreed: 'yes', withdrawn: 'yes' },
    co_chair: { draft: 'yes', proposed: 'yes', bracketed: 'yes', agreed: 'yes', withdrawn: 'yes' },
    drafter: { draft: 'yes', proposed: 'yes', bracketed: 'yes', agreed: 'propose', withdrawn: 'propose' },
    panel: { draft: 'no', proposed: 'no', bracketed: 'no', agreed: 'no', withdrawn: 'no' },
    observer: { draft: 'no', proposed: 'no', bracketed: 'no', agreed: 'no', withdrawn: 'no' },
    validator: { draft: 'no', proposed: 'no', bracketed: 'no', agreed: 'no', withdrawn: 'no' },
  };

  it.each(
    roles.flatMap((role) =>
      clauseStatuses.map((status) => ({ role, status, answer: expected[role][status] })),
    ),
  )('$role setting $status: $answer', ({ role, status, answer }) => {
    expect(canSetStatus(role, status)).toBe(answer);
  });

  // Leaving a status only a Co-Chair decides is a decision too: otherwise a drafter could set an
  // agreed clause back to draft and edit it, unflagged, in one step.
  const drafterLeaving: Record<ClauseStatus, Record<ClauseStatus, 'yes' | 'propose'>> = {
    draft: { draft: 'yes', proposed: 'yes', bracketed: 'yes', agreed: 'propose', withdrawn: 'propose' },
    proposed: { draft: 'yes', proposed: 'yes', bracketed: 'yes', agreed: 'propose', withdrawn: 'propose' },
    bracketed: { draft: 'yes', proposed: 'yes', bracketed: 'yes', agreed: 'propose', withdrawn: 'propose' },
    agreed: { draft: 'propose', proposed: 'propose', bracketed: 'propose', agreed: 'propose', withdrawn: 'propose' },
    withdrawn: { draft: 'propose', proposed: 'propose', bracketed: 'propose', agreed: 'propose', withdrawn: 'propose' },
  };

  it.each(
    clauseStatuses.flatMap((from) => clauseStatuses.map((to) => ({ from, to, answer: drafterLeaving[from][to] }))),
  )('drafter moving a clause from $from to $to: $answer', ({ from, to, answer }) => {
    expect(canSetStatus('drafter', to, from)).toBe(answer);
  });

  it('lets Co-Chairs and the Secretariat move a clause out of agreed or withdrawn, and nobody else', () => {
    for (const from of ['agreed', 'withdrawn'] as const) {
      for (const role of roles) {
        const answer = canSetStatus(role, 'draft', from);
        expect(answer, `${role} from ${from}`).toBe(role === 'secretariat' || role === 'co_chair' ? 'yes' : role === 'drafter' ? 'propose' : 'no');
      }
    }
  });

  it('refuses every status to someone who is not a member', () => {
    for (const status of clauseStatuses) expect(canSetStatus(null, status)).toBe('no');
  });

  it('agrees with can: whoever may set some status holds clause.setStatus', () => {
    for (const role of roles) {
      const some = clauseStatuses.some((status) => canSetStatus(role, status) !== 'no');
      expect(some).toBe(can(role, 'clause.setStatus'));
    }
  });
});

describe('roles', () => {
  it('recognises the six roles and nothing else', () => {
    for (const role of roles) expect(isRole(role)).toBe(true);
    for (const value of ['admin', 'Secretariat', '', null, 3]) expect(isRole(value)).toBe(false);
  });

  it('names and colours every role distinctly', () => {
    expect(new Set(roles.map((r) => roleLabels[r])).size).toBe(roles.length);
    expect(new Set(roles.map((r) => roleColors[r])).size).toBe(roles.length);
    for (const role of roles) expect(roleColors[role]).toMatch(/^#[0-9a-f]{6}$/);
  });
});
