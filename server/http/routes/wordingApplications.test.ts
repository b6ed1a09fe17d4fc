import { describe, expect, it } from 'vitest';
import { WordingReservations } from './wordingApplications';

describe('reservations of proposed wording being applied', () => {
  const input = { commentId: 'm-1', userId: 'u-1', userName: 'Tomas', role: 'drafter' as const, changeId: 's-1' };

  it('holds a comment for its member until it expires, and keeps it readable afterwards', () => {
    let now = 1_000;
    const reservations = new WordingReservations(60_000, () => now);
    const held = reservations.reserve(input);
    expect(held.expiresAt).toBe(61_000);
    expect(reservations.expired(held)).toBe(false);
    now = 61_000;
    expect(reservations.expired(held)).toBe(true);
    expect(reservations.get('m-1')).toEqual(held);
    reservations.release('m-1');
    expect(reservations.get('m-1')).toBeNull();
  });

  it('forgets reservations that expired long ago when a new one is made', () => {
    let now = 0;
    const reservations = new WordingReservations(1_000, () => now);
    reservations.reserve(input);
    now = 2 * 60 * 60_000;
    reservations.reserve({ ...input, commentId: 'm-2' });
    expect(reservations.get('m-1')).toBeNull();
    expect(reservations.get('m-2')).not.toBeNull();
  });
});
