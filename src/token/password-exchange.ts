import { parseRetryAfter } from '../errors.ts';
import { tokenFromCallbackResult, tokenFromResponseBody, type ReceivedToken, type TokenGrant } from './grant.ts';
import { postToHost } from './post-to-host.ts';
import type { Clock } from './token-session.ts';

/** Exchanges a reader's password for a token (the `exchangePassword` property). Reject with `{ status: 401 }` for a wrong password, `{ status: 429, retryAfter }` when throttled. */
export type ExchangePasswordCallback = (password: string) => Promise<string | TokenGrant>;

/** What one password attempt led to. */
export type ExchangeOutcome =
  | { kind: 'token'; token: ReceivedToken }
  | { kind: 'incorrect' }
  | { kind: 'rate-limited'; retryAfter: number }
  | { kind: 'unavailable' };

/**
 * POSTs `{"password": …}` as JSON (never in a URL) and reads a token response. Same-origin
 * credentials let the host's backend set its HttpOnly refresh cookie.
 */
export async function exchangeAtUrl(url: string, password: string, clock: Clock): Promise<ExchangeOutcome> {
  let response: Response;
  try {
    response = await postToHost(url, { password });
  } catch {
    return { kind: 'unavailable' };
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'incorrect' };
  }
  if (response.status === 429) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'rate-limited', retryAfter: parseRetryAfter(response.headers.get('Retry-After')) ?? 30 };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'unavailable' };
  }
  try {
    return { kind: 'token', token: tokenFromResponseBody(await response.json(), clock.now(), clock.wallNow()) };
  } catch {
    return { kind: 'unavailable' };
  }
}

/** Runs the host's `exchangePassword` callback and reads its answer like a server's. */
export async function exchangeWithCallback(callback: ExchangePasswordCallback, password: string, clock: Clock): Promise<ExchangeOutcome> {
  let result: unknown;
  try {
    result = await callback(password);
  } catch (error) {
    const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
    if (status === 401 || status === 403) return { kind: 'incorrect' };
    if (status === 429) {
      const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
      return { kind: 'rate-limited', retryAfter: typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : 30 };
    }
    return { kind: 'unavailable' };
  }
  if (result === null || result === undefined || result === false) return { kind: 'incorrect' };
  try {
    return { kind: 'token', token: tokenFromCallbackResult(result, clock.now(), clock.wallNow()) };
  } catch {
    return { kind: 'unavailable' };
  }
}
