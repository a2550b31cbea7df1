// One budget of bytes per second shared by every response it paces: each chunk reserves its slot
// on a single virtual clock, so concurrent responses take turns (by arrival) and never add up to
// more than the rate. The bandwidth fault of a test scenario is one; the benchmark paces all its
// document responses through one.

export class BandwidthLimiter {
  #nextFreeAt = 0;

  constructor(readonly bytesPerSecond: number) {}

  /** Resolves when `bytes` may be sent. */
  async take(bytes: number): Promise<void> {
    const now = performance.now();
    const start = Math.max(now, this.#nextFreeAt);
    this.#nextFreeAt = start + (bytes / this.bytesPerSecond) * 1000;
    const wait = this.#nextFreeAt - now;
    if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** Forgets the reservations made so far (a new measurement). */
  reset(): void {
    this.#nextFreeAt = 0;
  }
}
