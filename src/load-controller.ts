import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface LoadOptions<A extends readonly unknown[]> {
  /** What a load depends on, read at every update; a change starts a new load. */
  args: () => A;
  /** One load. Its signal aborts when a newer load starts or the element leaves the page. */
  task: (args: A, signal: AbortSignal) => Promise<void>;
}

/**
 * Runs the element's load the way `@lit/task` runs a task: once per update in which its arguments
 * changed (however many of them did), again on `rerun()` and when the element is put back on the
 * page. Each run has its own abort signal, aborted when a newer run starts or on disconnect, so a
 * stale run stops at its next check instead of overwriting the current one.
 */
export class LoadController<A extends readonly unknown[]> implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: LoadOptions<A>;
  #args: A | undefined;
  #queued = false;
  #abort: AbortController | null = null;
  #connectedBefore = false;

  constructor(host: ReactiveControllerHost, options: LoadOptions<A>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Loads again with the current arguments (after the pending update). */
  rerun(): void {
    if (this.#queued) return;
    this.#queued = true;
    void this.#host.updateComplete.then(() => {
      this.#queued = false;
      this.#start();
    });
  }

  hostConnected(): void {
    // The other controllers stop everything on removal; a viewer put back on the page loads again.
    if (this.#connectedBefore) this.rerun();
    this.#connectedBefore = true;
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    this.#abort = null;
  }

  hostUpdate(): void {
    const args = this.#options.args();
    const previous = this.#args;
    if (previous && previous.length === args.length && args.every((value, i) => Object.is(value, previous[i]))) return;
    this.#args = args;
    this.rerun();
  }

  #start(): void {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    void this.#options.task(this.#args ?? this.#options.args(), abort.signal);
  }
}
