// The bandwidth fault: one budget of bytes per second for all responses of a scenario.
import { sleep } from '../http.ts';

/** One bucket per scenario, so parallel range requests share the configured bandwidth. */
export class BandwidthLimiter {
  #nextFree = 0;

  constructor(readonly bytesPerSecond: number) {}

  /** Resolves when `bytes` may be sent. */
  async take(bytes: number): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.#nextFree);
    this.#nextFree = start + (bytes / this.bytesPerSecond) * 1000;
    const wait = this.#nextFree - now;
    if (wait > 1) await sleep(wait);
  }
}
