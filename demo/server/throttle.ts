// Failure throttling for password attempts (B-13). Attempts are reserved before hashing, so
// parallel guesses cannot exceed a limit, and the check happens before any scrypt work.

export interface ThrottleRule {
  /** Failures allowed inside the window. */
  limit: number;
  windowMs: number;
}

export type Reservation =
  | { allowed: true; settle(success: boolean): void }
  | { allowed: false; retryAfterSeconds: number };

class Window {
  readonly failures: number[] = [];
  pending = 0;
}

export class FailureThrottle {
  readonly #windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Reserves one attempt against every (key, rule) pair. Pending attempts count as failures until
   * settled. A success clears the failures of the keys marked `resetOnSuccess` only, so one
   * known password cannot be used to wipe the cross-document counters.
   */
  reserve(keys: Array<{ key: string; rule: ThrottleRule; resetOnSuccess?: boolean }>): Reservation {
    const now = this.now();
    let retryAfterMs = 0;
    for (const { key, rule } of keys) {
      const window = this.#window(key, rule, now);
      if (window.failures.length + window.pending >= rule.limit) {
        const oldest = window.failures[0] ?? now;
        retryAfterMs = Math.max(retryAfterMs, oldest + rule.windowMs - now, 1000);
      }
    }
    if (retryAfterMs > 0) return { allowed: false, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
    const windows = keys.map(({ key, rule, resetOnSuccess }) => ({ window: this.#window(key, rule, now), resetOnSuccess }));
    for (const { window } of windows) window.pending++;
    let settled = false;
    return {
      allowed: true,
      settle: (success: boolean) => {
        if (settled) return;
        settled = true;
        const at = this.now();
        for (const { window, resetOnSuccess } of windows) {
          window.pending--;
          if (!success) window.failures.push(at);
          else if (resetOnSuccess) window.failures.length = 0;
        }
      },
    };
  }

  #window(key: string, rule: ThrottleRule, now: number): Window {
    let window = this.#windows.get(key);
    if (!window) {
      window = new Window();
      this.#windows.set(key, window);
    }
    while (window.failures.length > 0 && window.failures[0]! <= now - rule.windowMs) window.failures.shift();
    return window;
  }
}

/** Per (document, client): the limit a reader meets first. */
export const PER_DOCUMENT_AND_CLIENT: ThrottleRule = { limit: 5, windowMs: 60_000 };
/** Per client across documents: stops spraying one guess at many ids. */
export const PER_CLIENT: ThrottleRule = { limit: 50, windowMs: 15 * 60_000 };
/** Per document across clients: distributed guessing; below NIST's 100 consecutive failures. */
export const PER_DOCUMENT: ThrottleRule = { limit: 100, windowMs: 15 * 60_000 };
