import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ViewerError } from '../errors.ts';
import { tokenFromCallbackResult, type ReceivedToken } from './grant.ts';
import { TokenSession, type Clock, type TokenReason, type TokenSource } from './token-session.ts';

/** Where a load's tokens come from, decided from the element's properties when it starts. */
export interface TokenPlan {
  source: TokenSource | null;
  /** Source calls that wait for the reader get no timeout. */
  interactive?: (reason: TokenReason) => boolean;
  /** False when renewing means asking the reader. */
  proactive?: boolean;
}

export interface TokenControllerOptions {
  /** Read when a load starts, so the element's current properties apply. */
  plan: () => TokenPlan;
  timeoutMs: () => number;
  /** A token arrived from the host's source (`initial`, or a renewal). */
  onToken: (token: ReceivedToken, reason: TokenReason) => void;
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
    const plan = this.#options.plan();
    const session = new TokenSession({
      source: plan.source,
      ...(plan.interactive ? { interactive: plan.interactive } : {}),
      ...(plan.proactive === undefined ? {} : { proactive: plan.proactive }),
      timeoutMs: this.#options.timeoutMs(),
      onToken: this.#options.onToken,
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
    if (token === null) {
      this.#session.set(null);
      return;
    }
    try {
      this.#session.set(tokenFromCallbackResult(token, realClock.now(), realClock.wallNow()));
    } catch {
      // A malformed host token never reaches a header; the message does not repeat it.
      throw new ViewerError('unauthorized', { message: 'The token given to the viewer is not well-formed.' });
    }
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
