import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter, SignInThrottle } from './rateLimit';

describe('FixedWindowLimiter', () => {
  it('allows max hits per window, then refuses with the seconds until the window ends', () => {
    let now = 1_000_000;
    const limiter = new FixedWindowLimiter({ max: 2, windowMs: 60_000 }, () => now);
    expect(limiter.hit('k')).toEqual({ allowed: true });
    now += 10_000;
    expect(limiter.hit('k')).toEqual({ allowed: true });
    expect(limiter.hit('k')).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(limiter.hit('other')).toEqual({ allowed: true });
  });

  it('starts a new window once the old one has passed', () => {
    let now = 0;
    const limiter = new FixedWindowLimiter({ max: 1, windowMs: 1000 }, () => now);
    limiter.hit('k');
    expect(limiter.hit('k').allowed).toBe(false);
    now = 1000;
    expect(limiter.hit('k').allowed).toBe(true);
  });
});

describe('SignInThrottle', () => {
  const limits = { perEmailAndIp: { max: 2, windowMs: 60_000 }, perIp: { max: 3, windowMs: 60_000 } };

  it('limits attempts per email and address, whatever the email case', () => {
    const throttle = new SignInThrottle(limits, () => 0);
    throttle.attempt('1.1.1.1', 'a@x.org');
    throttle.attempt('1.1.1.1', 'A@X.org');
    expect(throttle.attempt('1.1.1.1', 'a@x.org').allowed).toBe(false);
    expect(throttle.attempt('2.2.2.2', 'a@x.org').allowed).toBe(true);
  });

  it('limits attempts per address across emails', () => {
    const throttle = new SignInThrottle(limits, () => 0);
    for (const email of ['a@x', 'b@x', 'c@x']) expect(throttle.attempt('1.1.1.1', email).allowed).toBe(true);
    expect(throttle.attempt('1.1.1.1', 'd@x').allowed).toBe(false);
  });

  it('forgets the failures of an email after a successful sign-in', () => {
    const throttle = new SignInThrottle(limits, () => 0);
    throttle.attempt('1.1.1.1', 'a@x');
    throttle.attempt('1.1.1.1', 'a@x');
    throttle.succeeded('1.1.1.1', 'a@x');
    expect(throttle.attempt('1.1.1.1', 'a@x').allowed).toBe(true);
  });
});
