import { ViewerError } from '../errors.ts';
import type { Attempt } from '../net/outcome.ts';
import { hostTokenSource, type RenewTokenCallback } from './host-source.ts';
import type { ExchangePasswordCallback } from './password-exchange.ts';
import type { ReceivedToken } from './token-response.ts';
import type { Clock, TokenSessionOptions, TokenSource } from './token-session.ts';

/** The element's token settings, as the host last set them. */
export interface TokenSettings {
  tokenUrl: string | null;
  passwordUrl: string | null;
  renewToken: RenewTokenCallback | null;
  exchangePassword: ExchangePasswordCallback | null;
  /** Milliseconds the host may take to give a token. */
  renewTimeout: number;
}

/** What the reader is asked for an access password; each one is tried with `attempt`. */
export interface AccessPasswordRequest {
  /** Asking again because the session ran out, not for the first time. */
  expired: boolean;
  attempt: (password: string) => Promise<Attempt<ReceivedToken>>;
  signal: AbortSignal;
}

/** Asks the reader until a password is accepted (its token) or they cancel (null). */
export type PasswordReader = (request: AccessPasswordRequest) => Promise<ReceivedToken | null>;

/** The load a plan serves. */
export interface TokenLoad {
  /** The absolute URL of the document the tokens are for. */
  src: string;
  /** The host gave a token for it. */
  hasInitialToken: boolean;
}

export type TokenPlan = Pick<TokenSessionOptions, 'source' | 'reader' | 'firstFromReader' | 'timeoutMs'>;

/**
 * Token sources in the contract's order: the host's token, `token-url` (or `renewToken`), then the
 * reader's password. With a password available, the host is tried first whenever it can give a
 * token, and the reader is asked when it cannot; the first token comes from the reader when the
 * host gave neither a token nor a `token-url`. The plan is live: each field reads the settings
 * when a token is needed, so a callback or URL the host sets after `src` and `token` (frameworks
 * set properties in any order) is the one used.
 */
export function planTokens(settings: () => TokenSettings, load: TokenLoad, askReader: PasswordReader, clock: Clock): TokenPlan {
  const { src, hasInitialToken } = load;
  const source = hostTokenSource(settings, src, clock);
  // The exchange's code comes with the first password: most documents never ask for one.
  const exchange = (password: string): Promise<Attempt<ReceivedToken>> =>
    import('./password-exchange.ts').then(
      (code) => code.exchangePassword(settings(), password, clock),
      (): Attempt<ReceivedToken> => ({ kind: 'unavailable' }),
    );
  const reader: TokenSource = async (reason, signal) => {
    const token = await askReader({ expired: reason !== 'initial', attempt: exchange, signal });
    if (!token) throw new ViewerError('password-cancelled');
    return token;
  };
  const hasPassword = () => settings().passwordUrl !== null || settings().exchangePassword !== null;
  return {
    get source() {
      const { renewToken, tokenUrl } = settings();
      return renewToken || tokenUrl ? source : null;
    },
    get reader() {
      return hasPassword() ? reader : undefined;
    },
    get firstFromReader() {
      return hasPassword() ? !hasInitialToken && !settings().tokenUrl : undefined;
    },
    get timeoutMs() {
      return settings().renewTimeout;
    },
  };
}
