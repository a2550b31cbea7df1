/**
 * A sliding-window limit on renewals, so a server that keeps refusing fresh tokens (or a host
 * that hands out already-expired ones) ends in an error instead of a request storm.
 */
export class RenewalBudget {
  readonly #limit: number;
  readonly #windowMs: number;
  #spent: number[] = [];

  constructor(limit = 4, windowMs = 60_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Milliseconds until a renewal may start (0 = now). */
  waitTime(now: number): number {
    this.#spent = this.#spent.filter((at) => now - at < this.#windowMs);
    if (this.#spent.length < this.#limit) return 0;
    return this.#spent[0]! + this.#windowMs - now;
  }

  /** Takes one renewal; false when none is left in the window. */
  take(now: number): boolean {
    if (this.waitTime(now) > 0) return false;
    this.#spent.push(now);
    return true;
  }
}
