import { discard, parseRetryAfter, refusalForStatus, type Attempt } from '../net/outcome.ts';
import { postToHost } from '../net/post-to-host.ts';
import { tokenFromCallbackResult, tokenFromResponseBody, type ReceivedToken, type TokenGrant } from './token-response.ts';
import type { Clock } from './token-session.ts';

/** Exchanges a reader's password for a token (the `exchangePassword` property). Reject with `{ status: 401 }` for a wrong password, `{ status: 429, retryAfter }` when throttled. */
export type ExchangePasswordCallback = (password: string) => Promise<string | TokenGrant>;

/**
 * POSTs `{"password": …}` as JSON (never in a URL) and reads a token response. Same-origin
 * credentials let the host's backend set its HttpOnly refresh cookie.
 */
export async function exchangeAtUrl(url: string, password: string, clock: Clock): Promise<Attempt<ReceivedToken>> {
  let response: Response;
  try {
    response = await postToHost(url, { password });
  } catch {
    return refusalForStatus(undefined);
  }
  if (!response.ok) {
    await discard(response);
    return refusalForStatus(response.status, parseRetryAfter(response.headers.get('Retry-After')));
  }
  try {
    return { kind: 'accepted', value: tokenFromResponseBody(await response.json(), clock.now(), clock.wallNow()) };
  } catch {
    return refusalForStatus(undefined);
  }
}

/** Runs the host's `exchangePassword` callback and reads its answer like a server's. */
export async function exchangeWithCallback(callback: ExchangePasswordCallback, password: string, clock: Clock): Promise<Attempt<ReceivedToken>> {
  let result: unknown;
  try {
    result = await callback(password);
  } catch (error) {
    const { status, retryAfter } = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; retryAfter?: unknown };
    return refusalForStatus(typeof status === 'number' ? status : undefined, typeof retryAfter === 'number' ? retryAfter : undefined);
  }
  if (result === null || result === undefined || result === false) return { kind: 'incorrect' };
  try {
    return { kind: 'accepted', value: tokenFromCallbackResult(result, clock.now(), clock.wallNow()) };
  } catch {
    return refusalForStatus(undefined);
  }
}

/** Exchanges a reader's password the way the host set up: its `exchangePassword` callback, else a POST to `password-url`. */
export function exchangePassword(
  settings: { exchangePassword: ExchangePasswordCallback | null; passwordUrl: string | null },
  password: string,
  clock: Clock,
): Promise<Attempt<ReceivedToken>> {
  const { exchangePassword: callback, passwordUrl } = settings;
  if (callback) return exchangeWithCallback(callback, password, clock);
  return exchangeAtUrl(new URL(passwordUrl ?? '', document.baseURI).href, password, clock);
}
