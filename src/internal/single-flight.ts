/**
 * Runs at most one task at a time: callers arriving while it runs share its promise. The next
 * call after it settles starts a new task.
 */
export class SingleFlight<T> {
  #current: Promise<T> | null = null;

  get busy(): boolean {
    return this.#current !== null;
  }

  run(task: () => Promise<T>): Promise<T> {
    if (this.#current) return this.#current;
    const flight = (async () => {
      try {
        return await task();
      } finally {
        this.#current = null;
      }
    })();
    this.#current = flight;
    return flight;
  }
}
