/** Limits of a fixed window: at most `max` hits per `windowMs`. */
export interface WindowLimit {
  max: number;
  windowMs: number;
}

/** The outcome of a hit: allowed, or refused with the seconds until the window resets. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Window {
  start: number;
  count: number;
}

/**
 * In-memory fixed-window counters by key. Good enough for sign-in throttling on one process (several
 * processes each count on their own, which multiplies the limit by their number at worst).
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: WindowLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit for `key` and says whether it is within the limit. */
  hit(key: string): RateDecision {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit.max) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.limit.windowMs - now) / 1000)),
    };
  }

  /** Forgets a key (after a successful sign-in, its failures no longer count). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  // Bounded memory: expired windows are dropped once the map grows, so a flood of keys cannot pile up.
  private sweep(now: number): void {
    if (this.windows.size < 10_000) return;
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.limit.windowMs) this.windows.delete(key);
    }
  }
}

/** Limits of sign-in attempts: per email and client address, and per client address alone. */
export interface SignInLimits {
  perEmailAndIp: WindowLimit;
  perIp: WindowLimit;
}

/** Default sign-in limits: 10 attempts per 5 minutes per email and address, 50 per address. */
export const defaultSignInLimits: SignInLimits = {
  perEmailAndIp: { max: 10, windowMs: 5 * 60_000 },
  perIp: { max: 50, windowMs: 5 * 60_000 },
};

/** Throttles sign-in attempts by client address and by address plus email. */
export class SignInThrottle {
  private readonly byEmail: FixedWindowLimiter;
  private readonly byIp: FixedWindowLimiter;

  constructor(limits: SignInLimits = defaultSignInLimits, now: () => number = Date.now) {
    this.byEmail = new FixedWindowLimiter(limits.perEmailAndIp, now);
    this.byIp = new FixedWindowLimiter(limits.perIp, now);
  }

  /** Counts one attempt; refused when either limit is exceeded. */
  attempt(ip: string, email: string): RateDecision {
    const ipDecision = this.byIp.hit(ip);
    const emailDecision = this.byEmail.hit(`${ip}\n${email.trim().toLowerCase()}`);
    if (!ipDecision.allowed && !emailDecision.allowed) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(ipDecision.retryAfterSeconds, emailDecision.retryAfterSeconds),
      };
    }
    if (!ipDecision.allowed) return ipDecision;
    return emailDecision;
  }

  /** Clears the per-email counter after a successful sign-in. */
  succeeded(ip: string, email: string): void {
    this.byEmail.reset(`${ip}\n${email.trim().toLowerCase()}`);
  }
}
