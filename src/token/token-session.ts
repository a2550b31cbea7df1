import { ViewerError } from '../errors.ts';
import { tokenFailure } from '../net/outcome.ts';
import { withTimeout } from '../internal/timeout.ts';
import type { ReceivedToken, RenewReason } from './token-response.ts';
import { RenewalBudget } from './renewal-budget.ts';
import { renewalDelay } from './schedule.ts';
import { SingleFlight } from '../internal/single-flight.ts';

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

/** Fetches a token; must honour the signal. */
export type TokenSource = (reason: TokenReason, signal: AbortSignal) => Promise<ReceivedToken>;

/** Sources and timeout are read at each use, so they may be getters over settings that change. */
export interface TokenSessionOptions {
  /**
   * The host's way to give tokens (`renewToken`, `token-url`): timed, and the only source that
   * renews before expiry. Null when the host gave none.
   */
  source: TokenSource | null;
  /**
   * The reader, asked for a password: never timed (they take their time), asked when the host
   * cannot help, and only for a first token or after a 401, never on a timer.
   */
  reader?: TokenSource | null;
  /** The first token comes from the reader even when the host has a source (it renews later ones). */
  firstFromReader?: boolean;
  /** A token arrived from the source (not called for tokens handed in with `set`). */
  onToken: (token: ReceivedToken, reason: TokenReason) => void;
  /** Renewal failed for good; the session refuses every request from now on. */
  onFailure: (error: ViewerError) => void;
  /** How long one call to the host's source may take. */
  timeoutMs: number;
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
    if (!this.#canRenew) {
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
    if (!this.#canRenew) return Promise.reject(new ViewerError('unauthorized', { status: 401 }));
    if (this.#budget.waitTime(this.#options.clock.now()) > 0) {
      // Fresh tokens keep being refused: stop here rather than hammer the host and the server.
      return Promise.reject(new ViewerError('unauthorized', { status: 401 }));
    }
    return this.#renew('unauthorized');
  }

  /** Renews at once if the token is due (timers may not have run in a background tab). */
  checkNow(): void {
    const current = this.#current;
    if (this.closed || !current || current.lifetimeMs === null || !this.#options.source) return;
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

  get #canRenew(): boolean {
    return this.#options.source !== null || Boolean(this.#options.reader);
  }

  async #fetchToken(reason: TokenReason): Promise<string> {
    const { clock } = this.#options;
    (reason === 'expiring' ? this.#scheduleBudget : this.#budget).take(clock.now());
    this.#clearTimer();
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const received = await this.#ask(reason, abort.signal);
      // An answer for a closed session (removed element, new document) is dropped.
      if (this.#disposed || abort.signal.aborted) throw new ViewerError('network', { message: 'The viewer was closed.' });
      this.#current = received;
      this.#schedule();
      this.#options.onToken(received, reason);
      return received.token;
    } catch (error) {
      if (this.#disposed) throw error instanceof ViewerError ? error : new ViewerError('network');
      const failure = tokenFailure(error, reason === 'initial');
      this.#failure = failure;
      this.#current = null;
      this.#clearTimer();
      this.#options.onFailure(failure);
      throw failure;
    } finally {
      if (this.#abort === abort) this.#abort = null;
    }
  }

  /** The host first, within the renewal timeout; the reader when the host has no answer. */
  async #ask(reason: TokenReason, signal: AbortSignal): Promise<ReceivedToken> {
    const { source, reader, firstFromReader, timeoutMs, clock } = this.#options;
    const hostFirst = source !== null && !(reason === 'initial' && firstFromReader && reader);
    if (hostFirst) {
      // Its own abort, so that a late host is stopped without stopping the reader after it.
      const host = new AbortController();
      const stop = () => host.abort();
      signal.addEventListener('abort', stop, { once: true });
      try {
        return await withTimeout(
          source(reason, host.signal),
          timeoutMs,
          () => {
            host.abort();
            return new ViewerError('renewal-failed', { message: 'Renewing your session took too long.' });
          },
          clock,
        );
      } catch (error) {
        if (!reader || signal.aborted) throw error;
      } finally {
        signal.removeEventListener('abort', stop);
      }
    }
    if (!reader) throw new ViewerError('unauthorized');
    return reader(reason, signal);
  }

  #renewInBackground(): void {
    // Failures are reported through onFailure; nobody awaits a proactive renewal.
    this.#renew('expiring').catch(() => {});
  }

  #schedule(): void {
    this.#clearTimer();
    const current = this.#current;
    if (this.closed || !current || current.lifetimeMs === null || !this.#options.source) return;
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
