import { ViewerError } from '../errors.ts';
import { postToHost } from '../net/post-to-host.ts';
import { discard } from '../net/outcome.ts';
import { tokenFromCallbackResult, tokenFromResponseBody, type ReceivedToken, type RenewReason, type TokenGrant } from './token-response.ts';
import type { Clock, TokenSource } from './token-session.ts';

/** The host's renewal callback (`renewToken` property). */
export type RenewTokenCallback = (context: {
  /** `expiring` before the token runs out (also for a first token), `unauthorized` after a 401. */
  reason: RenewReason;
  /**
   * The absolute URL of the document the token will be sent to. A host whose `src` can come from
   * untrusted input checks it before minting a token, so that no token goes to an origin it did
   * not mean.
   */
  src: string;
}) => Promise<string | TokenGrant> | string | TokenGrant;

/** Where new tokens come from, read at the moment one is needed. */
export interface HostTokenConfig {
  renewToken: RenewTokenCallback | null;
  tokenUrl: string | null;
}

/**
 * The host's token source, reading its settings at each call: the `renewToken` callback first,
 * then a POST to `token-url` with same-origin credentials (the host's session cookie, never
 * ours). `src` is the document the token is for. Fails with `renewal-failed` when the host has
 * neither at that moment.
 */
export function hostTokenSource(config: () => HostTokenConfig, src: string, clock: Clock): TokenSource {
  return async (reason, signal) => {
    const { renewToken: callback, tokenUrl: url } = config();
    const hostReason: RenewReason = reason === 'initial' ? 'expiring' : reason;
    if (callback) {
      const result = await callback({ reason: hostReason, src });
      return tokenFromCallbackResult(result, clock.now(), clock.wallNow());
    }
    if (url) return fetchTokenResponse(url, signal, clock);
    throw new ViewerError('renewal-failed');
  };
}

/**
 * POSTs to a token endpoint and reads a token response (`token`/`access_token`/`jwt`/`access`).
 * Failures carry the status; the session decides what they mean.
 */
export async function fetchTokenResponse(url: string, signal: AbortSignal, clock: Clock): Promise<ReceivedToken> {
  let response: Response;
  try {
    response = await postToHost(url, undefined, signal);
  } catch {
    throw new ViewerError('renewal-failed');
  }
  if (!response.ok) {
    await discard(response);
    throw new ViewerError('renewal-failed', { status: response.status });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ViewerError('renewal-failed', { status: response.status });
  }
  return tokenFromResponseBody(body, clock.now(), clock.wallNow());
}
