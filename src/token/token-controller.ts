import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ViewerError } from '../errors.ts';
import { tokenFromCallbackResult, type ReceivedToken, type RenewReason } from './grant.ts';
import { TokenSession, type Clock, type TokenSource } from './token-session.ts';

export interface TokenControllerOptions {
  /** Read when a load starts, so the element's current properties apply. */
  source: () => TokenSource | null;
  timeoutMs: () => number;
  onRenewed: (token: ReceivedToken, reason: RenewReason) => void;
  onFailure: (error: ViewerError) => void;
}

/** The real clock: a monotonic one for schedules and the wall clock only for display. */
export const realClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Ties a TokenSession to the element's life: one session per load, disposed (timers stopped,
 * renewal in flight dropped, token forgotten) when the element leaves the page.
 */
export class TokenController implements ReactiveController {
  readonly #options: TokenControllerOptions;
  #session: TokenSession | null = null;

  constructor(host: ReactiveControllerHost, options: TokenControllerOptions) {
    this.#options = options;
    host.addController(this);
  }

  get session(): TokenSession | null {
    return this.#session;
  }

  /** Starts a fresh session for a new load, seeded with the host's token if there is one. */
  start(initialToken: string | null): TokenSession {
    this.stop();
    const session = new TokenSession({
      source: this.#options.source(),
      timeoutMs: this.#options.timeoutMs(),
      onRenewed: this.#options.onRenewed,
      onFailure: this.#options.onFailure,
      clock: realClock,
    });
    this.#session = session;
    if (initialToken !== null) this.setToken(initialToken);
    return session;
  }

  /** The host handed over a new token: use it from the next request on. */
  setToken(token: string | null): void {
    if (!this.#session) return;
    this.#session.set(token === null ? null : tokenFromCallbackResult(token, realClock.now(), realClock.wallNow()));
  }

  stop(): void {
    this.#session?.dispose();
    this.#session = null;
  }

  hostConnected(): void {
    // Timers may not run in background tabs: re-check when the reader comes back or goes online.
    window.addEventListener('online', this.#wake);
    document.addEventListener('visibilitychange', this.#wake);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#wake);
    document.removeEventListener('visibilitychange', this.#wake);
    this.stop();
  }

  readonly #wake = (): void => {
    if (document.visibilityState === 'visible') this.#session?.checkNow();
  };
}
