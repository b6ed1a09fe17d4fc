/** Options of `waitFor`. */
export interface WaitOptions {
  /** Milliseconds before giving up (default 10 s). */
  timeout?: number;
  /** Milliseconds between two checks (default 5). */
  interval?: number;
  /** Says what was awaited; included in the timeout error, with the last error thrown if any. */
  message?: string | (() => string);
}

/**
 * Resolves once `cond` returns true (or a truthy promise), checking every few milliseconds; rejects
 * after the timeout with `message`. Tests await conditions with it instead of sleeping.
 */
export async function waitFor(cond: () => boolean | Promise<boolean>, opts: WaitOptions = {}): Promise<void> {
  const { timeout = 10_000, interval = 5 } = opts;
  const deadline = Date.now() + timeout;
  let lastError: unknown = null;
  for (;;) {
    try {
      if (await cond()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const what = typeof opts.message === 'function' ? opts.message() : (opts.message ?? 'condition');
      const cause = lastError ? ` (last error: ${String(lastError)})` : '';
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
