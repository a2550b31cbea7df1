import type { PropertyValues, ReactiveController, ReactiveControllerHost } from 'lit';
import { ViewerError } from '../errors.ts';
import type { TokenAccess } from '../net/token-access.ts';
import { documentUrl } from '../net/document-url.ts';
import { permissionsFromClaims, type JwtClaims } from './jwt.ts';
import { permits } from './permissions.ts';
import { planTokens, type PasswordReader, type TokenSettings } from './token-plan.ts';
import { tokenFromCallbackResult, type ReceivedToken } from './token-response.ts';
import { TokenSession, type Clock, type TokenReason } from './token-session.ts';

/** The element as the token sees it: its token, the document it is for, and the host's settings. */
export interface TokenHost extends ReactiveControllerHost, HTMLElement, TokenSettings {
  token: string | null;
  src: string | null;
}

export interface TokenControllerOptions {
  /** Asks the reader for an access password (the built-in dialog). */
  askReader: PasswordReader;
  /** A renewed token arrived (`sv-token-renew` for the host); never for the first one, nor for host-set tokens. */
  onRenewed: (token: ReceivedToken, reason: Exclude<TokenReason, 'initial'>) => void;
  onFailure: (error: ViewerError) => void;
}

/** The real clock: a monotonic one for schedules and the wall clock only for display. */
export const realClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const CLOSED = (): Promise<never> => Promise.reject(new ViewerError('network', { message: 'The viewer was closed.' }));

/**
 * The host's token from the property to the request: adopts a server-rendered `token` attribute,
 * binds the token to the origin it was first used for, runs one TokenSession per load (disposed,
 * with its timers and any renewal in flight, when the element leaves the page) and hands tokens
 * to the document's requests as their TokenAccess. Settings are read from the element when a
 * token is needed, so the host may set them in any order. Knows what the current token says.
 */
export class TokenController implements ReactiveController, TokenAccess {
  readonly #host: TokenHost;
  readonly #options: TokenControllerOptions;
  #session: TokenSession | null = null;
  #claims: JwtClaims | null = null;
  #permissions: readonly string[] | null = null;
  /** What the host says the reader may do, over what the token says. */
  #permissionsOverride: readonly string[] | null = null;
  /** The origin the host's token was given for: that of the first document it opened. */
  #tokenOrigin: string | null = null;

  constructor(host: TokenHost, options: TokenControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The current token's claims (read, never verified: only the server can trust them). */
  get claims(): JwtClaims | null {
    return this.#claims;
  }

  /**
   * What the reader may do: the host's list if it set one, else the current token's, else null
   * (an opaque token says nothing).
   */
  get permissions(): readonly string[] | null {
    return this.#permissionsOverride ?? this.#permissions;
  }

  /** The host's own list of what the reader may do (null: the token's claim decides). */
  set permissions(value: readonly string[] | null) {
    this.#permissionsOverride = value === null ? null : Object.freeze([...value]);
    this.#host.requestUpdate();
  }

  /** A UI hint from the host's list or the token; the server decides what it serves. */
  allows(permission: string): boolean {
    return permits(this.permissions, permission);
  }

  /**
   * Starts a fresh session for a load of `url`, seeded with the host's token if there is one
   * (which from now on belongs to `url`'s origin). False when that token is malformed: the
   * failure has been reported.
   */
  start(url: URL): boolean {
    this.stop();
    const host = this.#host;
    const initialToken = host.token;
    if (initialToken !== null) this.#tokenOrigin ??= url.origin;
    const plan = planTokens(() => host, { src: url.href, hasInitialToken: initialToken !== null }, this.#options.askReader, realClock);
    // The plan's getters stay: the session reads them when a token is needed, and the host may
    // set its sources after the load started.
    this.#session = new TokenSession(Object.assign(plan, {
      onToken: (token: ReceivedToken, reason: TokenReason) => {
        this.#read(token);
        if (reason !== 'initial') this.#options.onRenewed(token, reason);
      },
      onFailure: this.#options.onFailure,
      clock: realClock,
    }));
    return initialToken === null || this.#setToken(initialToken);
  }

  stop(): void {
    this.#session?.dispose();
    this.#session = null;
  }

  /** A token to send now; between loads there is none. */
  token(): Promise<string> {
    return this.#session?.token() ?? CLOSED();
  }

  renewAfterRejection(rejected: string): Promise<string> {
    return this.#session?.renewAfterRejection(rejected) ?? CLOSED();
  }

  /** Moves a server-rendered `token` attribute into memory and removes it from the DOM. */
  adoptAttribute(): void {
    const value = this.#host.getAttribute('token');
    if (value === null) return;
    this.#host.removeAttribute('token');
    this.#host.token = value;
  }

  hostConnected(): void {
    this.adoptAttribute();
    // Timers may not run in background tabs: re-check when the reader comes back or goes online.
    window.addEventListener('online', this.#wake);
    document.addEventListener('visibilitychange', this.#wake);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#wake);
    document.removeEventListener('visibilitychange', this.#wake);
    this.stop();
  }

  /** The element is about to update with these changes (its `willUpdate`). */
  willUpdate(changed: PropertyValues): void {
    const host = this.#host;
    if (changed.has('token')) {
      this.#tokenOrigin = null;
    } else if (changed.has('src') && host.token !== null && this.#tokenOrigin !== null) {
      const origin = documentUrl(host.src)?.origin ?? null;
      // A token belongs to the origin it was given for: another origin never sees it, and the
      // element gets a token for it as it would with none (token-url, renewToken, password).
      if (origin !== null && origin !== this.#tokenOrigin) {
        host.token = null;
        this.#tokenOrigin = null;
      }
    }
    if (changed.has('token') && changed.get('token') !== undefined && this.#session) this.#setToken(host.token);
    // A way to renew given after the token arrived: schedule the renewal it could not have before.
    if ((changed.has('renewToken') || changed.has('tokenUrl')) && (host.renewToken || host.tokenUrl)) this.#session?.checkNow();
  }

  /** The host handed over a new token: use it from the next request on. False when it is malformed. */
  #setToken(token: string | null): boolean {
    let received: ReceivedToken | null = null;
    try {
      if (token !== null) received = tokenFromCallbackResult(token, realClock.now(), realClock.wallNow());
    } catch {
      // A malformed host token never reaches a header; the message does not repeat it.
      this.#options.onFailure(new ViewerError('unauthorized', { message: 'The token given to the viewer is not well-formed.' }));
      return false;
    }
    this.#session?.set(received);
    if (received) this.#read(received);
    return true;
  }

  #read(token: ReceivedToken): void {
    this.#claims = token.claims ?? null;
    this.#permissions = permissionsFromClaims(this.#claims);
    this.#host.requestUpdate();
  }

  readonly #wake = (): void => {
    if (document.visibilityState === 'visible') this.#session?.checkNow();
  };
}
