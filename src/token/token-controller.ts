import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ViewerError } from '../errors.ts';
import { decodeJwtClaims, permissionsFromClaims, type JwtClaims } from './jwt.ts';
import { planTokens, type PasswordReader, type TokenSettings } from './token-plan.ts';
import { tokenFromCallbackResult, type ReceivedToken } from './token-response.ts';
import { TokenSession, type Clock, type TokenReason } from './token-session.ts';

export interface TokenControllerOptions {
  /** Asks the reader for an access password (the built-in dialog). */
  askReader: PasswordReader;
  /** A token arrived from a source (`initial`, or a renewal); never called for host-set tokens. */
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
 * renewal in flight dropped, token forgotten) when the element leaves the page. Knows what the
 * current token says (claims, permissions), wherever it came from.
 */
export class TokenController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: TokenControllerOptions;
  #session: TokenSession | null = null;
  #claims: JwtClaims | null = null;
  #permissions: readonly string[] | null = null;

  /** The host's token settings; the element keeps them current. */
  settings: TokenSettings = { tokenUrl: null, passwordUrl: null, renewToken: null, exchangePassword: null, renewTimeout: 30_000 };

  constructor(host: ReactiveControllerHost, options: TokenControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The current token's claims (read, never verified: only the server can trust them). */
  get claims(): JwtClaims | null {
    return this.#claims;
  }

  /** What the current token allows, or null when it says nothing (an opaque token). */
  get permissions(): readonly string[] | null {
    return this.#permissions;
  }

  /** Starts a fresh session for a load of `src` (absolute), seeded with the host's token if there is one. */
  start(initialToken: string | null, src: string): TokenSession {
    this.stop();
    const plan = planTokens(() => this.settings, { src, hasInitialToken: initialToken !== null }, this.#options.askReader, realClock);
    const settings = () => this.settings;
    const session = new TokenSession({
      // Read when a token is needed: the host may set its sources after the load started.
      get source() {
        return plan.source;
      },
      get reader() {
        return plan.reader;
      },
      get firstFromReader() {
        return plan.firstFromReader;
      },
      get timeoutMs() {
        return settings().renewTimeout;
      },
      onToken: (token, reason) => {
        this.#read(token.token);
        this.#options.onToken(token, reason);
      },
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
    this.#read(token);
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

  #read(token: string): void {
    this.#claims = decodeJwtClaims(token);
    this.#permissions = permissionsFromClaims(this.#claims);
    this.#host.requestUpdate();
  }

  readonly #wake = (): void => {
    if (document.visibilityState === 'visible') this.#session?.checkNow();
  };
}
