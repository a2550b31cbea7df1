/** The timer functions a deadline needs; tests pass a fake clock's. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Settles like `promise`, or rejects with `onTimeout()`'s error once `ms` have passed (the place
 * to abort the work that is late); the timer never outlives the race.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error, timers: Timers = realTimers): Promise<T> {
  let timer: unknown = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = timers.setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => timers.clearTimeout(timer));
}
