import type { Clock } from '../../src/token/token-session.ts';

/** A clock whose time only moves when the test says so. */
export class FakeClock implements Clock {
  monotonic = 1_000;
  wall = Date.UTC(2026, 0, 1);
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;

  now(): number {
    return this.monotonic;
  }

  wallNow(): number {
    return this.wall;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.monotonic + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves both clocks forward, running due timers in order, and lets promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.monotonic + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.wall += due[1].at - this.monotonic;
      this.monotonic = due[1].at;
      due[1].callback();
      await flush();
    }
    this.wall += end - this.monotonic;
    this.monotonic = end;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** An unsigned JWT-shaped token with the given claims (the element never verifies). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => {
    const bytes = new TextEncoder().encode(JSON.stringify(value));
    return btoa(String.fromCharCode(...bytes)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  };
  return `${encode({ alg: 'EdDSA', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;
}
