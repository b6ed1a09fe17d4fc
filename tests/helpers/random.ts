/** A seeded pseudo-random generator, so that random tests can be replayed from their seed. */
export interface Random {
  /** The seed this generator started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** A short random word of lowercase letters. */
  word(maxLength?: number): string;
}

/** A mulberry32 generator: small, fast and good enough to drive tests. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    pick: (list) => {
      if (list.length === 0) throw new Error('pick from an empty list');
      return list[int(list.length)]!;
    },
    bytes: (n) => Uint8Array.from({ length: n }, () => int(256)),
    word: (maxLength = 6) =>
      Array.from({ length: 1 + int(maxLength) }, () => String.fromCharCode(97 + int(26))).join(''),
  };
}

/** The seed from `envVar` when set (to replay a failure), otherwise a fresh one. */
export function seedFromEnv(envVar: string): number {
  const fromEnv = process.env[envVar];
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`${envVar} must be an integer, got "${fromEnv}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
