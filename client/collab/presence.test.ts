import { describe, expect, it } from 'vitest';
import { presenceFromStates } from './presence';

const user = (id: string, name: string, role = 'drafter', color = '#0f766e') => ({
  user: { id, name, role, color },
});

describe('presence from awareness states', () => {
  it('lists a user with two tabs once, with both client ids', () => {
    const states = new Map<number, unknown>([
      [1, user('u1', 'Amina')],
      [2, user('u1', 'Amina')],
      [3, user('u2', 'Bruno', 'panel', '#1d4ed8')],
    ]);
    const presence = presenceFromStates(states, 99);
    expect(presence.map((p) => [p.userId, p.clientIds])).toEqual([
      ['u1', [1, 2]],
      ['u2', [3]],
    ]);
  });

  it('puts the local user first and marks them as self', () => {
    const states = new Map<number, unknown>([
      [1, user('u1', 'Amina')],
      [2, user('u2', 'Zoe')],
    ]);
    const presence = presenceFromStates(states, 2);
    expect(presence[0]).toMatchObject({ userId: 'u2', isSelf: true });
    expect(presence[1]).toMatchObject({ userId: 'u1', isSelf: false });
  });

  it('skips states without a valid user and ignores colours that are not hex', () => {
    const states = new Map<number, unknown>([
      [1, {}],
      [2, { user: { name: 'no id' } }],
      [3, user('u3', 'Chen', 'observer', 'red; background: url(x)')],
    ]);
    const presence = presenceFromStates(states, 0);
    expect(presence).toHaveLength(1);
    expect(presence[0]).toMatchObject({ userId: 'u3', role: 'observer', color: '#64748b' });
  });
});
