import { ViewerError } from '../errors.ts';
import type { ReceivedToken, RenewReason } from './grant.ts';
import { RenewalBudget } from './renewal-budget.ts';
import { renewalDelay } from './schedule.ts';
import { SingleFlight } from './single-flight.ts';

/** Time as the session sees it; injected so schedules can be tested without waiting. */
export interface Clock {
  /** Monotonic milliseconds, for schedules. */
  now(): number;
  /** Epoch milliseconds, only for absolute expiry hints. */
  wallNow(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** `initial`: the first token of a load, when the host gave none. */
export type TokenReason = 'initial' | RenewReason;

/** Fetches a token from the host; must honour the signal. */
export type TokenSource = (reason: TokenReason, signal: AbortSignal) => Promise<ReceivedToken>;

export interface TokenSessionOptions {
  /** Where new tokens come from; null when the host gave no way to renew. */
  source: TokenSource | null;
  /** A token arrived from the source (not called for tokens handed in with `set`). */
  onToken: (token: ReceivedToken, reason: TokenReason) => void;
  /** Renewal failed for good; the session refuses every request from now on. */
  onFailure: (error: ViewerError) => void;
  /** How long one call to the source may take. */
  timeoutMs: number;
  /** Calls that wait for the reader (a password dialog) get no timeout. */
  interactive?: (reason: TokenReason) => boolean;
  /** False when renewing means asking the reader: then only a 401 renews, never a timer. */
  proactive?: boolean;
  clock: Clock;
  /** Renewals after a 401: a server that keeps refusing fresh tokens ends here (default 4 a minute). */
  budget?: RenewalBudget;
  /** Scheduled renewals: a host handing out absurdly short tokens is slowed here (default 30 a minute). */
  scheduleBudget?: RenewalBudget;
}

/**
 * The token of one document load: hands it to requests, renews it before it expires and after a
 * 401 (one renewal shared by every waiting request), and gives up cleanly instead of looping.
 */
export class TokenSession {
  readonly #options: TokenSessionOptions;
  readonly #budget: RenewalBudget;
  readonly #scheduleBudget: RenewalBudget;
  readonly #flight = new SingleFlight<string>();
  #current: ReceivedToken | null = null;
  #failure: ViewerError | null = null;
  #timer: unknown = null;
  #abort: AbortController | null = null;
  #disposed = false;

  constructor(options: TokenSessionOptions) {
    this.#options = options;
    this.#budget = options.budget ?? new RenewalBudget(4, 60_000);
    this.#scheduleBudget = options.scheduleBudget ?? new RenewalBudget(30, 60_000);
  }

  get current(): ReceivedToken | null {
    return this.#current;
  }

  /** True once renewal failed or the session was disposed. */
  get closed(): boolean {
    return this.#failure !== null || this.#disposed;
  }

  /** The host handed over a token: use it from the next request on. */
  set(token: ReceivedToken | null): void {
    if (this.#disposed) return;
    this.#current = token;
    this.#schedule();
  }

  /** The token to send now; waits for a renewal in flight, fetches the first one if needed. */
  token(): Promise<string> {
    if (this.#disposed) return Promise.reject(new ViewerError('network', { message: 'The viewer was closed.' }));
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#flight.busy) return this.#renew('initial');
    if (this.#current) return Promise.resolve(this.#current.token);
    if (!this.#options.source) {
      return Promise.reject(new ViewerError('unauthorized', { message: 'No token was given to open this document.' }));
    }
    return this.#renew('initial');
  }

  /**
   * A request was refused with 401 while carrying `rejected`. Returns a newer token: the one a
   * concurrent renewal already brought, or a fresh one from a single shared renewal.
   */
  renewAfterRejection(rejected: string): Promise<string> {
    if (this.#disposed) return Promise.reject(new ViewerError('network', { message: 'The viewer was closed.' }));
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#flight.busy) return this.#renew('unauthorized');
    if (this.#current && this.#current.token !== rejected) return Promise.resolve(this.#current.token);
    if (!this.#options.source) return Promise.reject(new ViewerError('unauthorized', { status: 401 }));
    if (this.#budget.waitTime(this.#options.clock.now()) > 0) {
      // Fresh tokens keep being refused: stop here rather than hammer the host and the server.
      return Promise.reject(new ViewerError('unauthorized', { status: 401 }));
    }
    return this.#renew('unauthorized');
  }

  /** Renews at once if the token is due (timers may not have run in a background tab). */
  checkNow(): void {
    const current = this.#current;
    if (this.closed || !current || current.lifetimeMs === null || !this.#options.source || this.#options.proactive === false) return;
    const age = this.#options.clock.now() - current.receivedAt;
    if (age >= renewalDelay(current.lifetimeMs)) this.#renewInBackground();
    else this.#schedule();
  }

  /** Stops timers, drops a renewal in flight and forgets the token. */
  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
    this.#abort?.abort();
    this.#abort = null;
    this.#current = null;
  }

  #renew(reason: TokenReason): Promise<string> {
    return this.#flight.run(() => this.#fetchToken(reason));
  }

  async #fetchToken(reason: TokenReason): Promise<string> {
    const { clock, source, timeoutMs } = this.#options;
    if (!source) throw new ViewerError('unauthorized');
    (reason === 'expiring' ? this.#scheduleBudget : this.#budget).take(clock.now());
    this.#clearTimer();
    const abort = new AbortController();
    this.#abort = abort;
    let timer: unknown = null;
    try {
      const timeout = new Promise<never>((_, reject) => {
        if (this.#options.interactive?.(reason)) return;
        timer = clock.setTimeout(() => {
          abort.abort();
          reject(new ViewerError('renewal-failed', { message: 'Renewing your session took too long.' }));
        }, timeoutMs);
      });
      const received = await Promise.race([source(reason, abort.signal), timeout]);
      // An answer for a closed session (removed element, new document) is dropped.
      if (this.#disposed || abort.signal.aborted) throw new ViewerError('network', { message: 'The viewer was closed.' });
      this.#current = received;
      this.#schedule();
      this.#options.onToken(received, reason);
      return received.token;
    } catch (error) {
      if (this.#disposed) throw error instanceof ViewerError ? error : new ViewerError('network');
      const failure =
        error instanceof ViewerError && (error.code === 'renewal-failed' || error.code === 'password-cancelled')
          ? error
          : new ViewerError('renewal-failed', error instanceof ViewerError && error.status !== undefined ? { status: error.status } : {});
      this.#failure = failure;
      this.#current = null;
      this.#clearTimer();
      this.#options.onFailure(failure);
      throw failure;
    } finally {
      if (timer !== null) clock.clearTimeout(timer);
      if (this.#abort === abort) this.#abort = null;
    }
  }

  #renewInBackground(): void {
    // Failures are reported through onFailure; nobody awaits a proactive renewal.
    this.#renew('expiring').catch(() => {});
  }

  #schedule(): void {
    this.#clearTimer();
    const current = this.#current;
    if (this.closed || !current || current.lifetimeMs === null || !this.#options.source || this.#options.proactive === false) return;
    const { clock } = this.#options;
    const due = current.receivedAt + renewalDelay(current.lifetimeMs);
    const wait = Math.max(due - clock.now(), this.#scheduleBudget.waitTime(clock.now()), 0);
    this.#timer = clock.setTimeout(() => {
      this.#timer = null;
      if (this.#scheduleBudget.waitTime(clock.now()) > 0) this.#schedule();
      else this.#renewInBackground();
    }, wait);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
