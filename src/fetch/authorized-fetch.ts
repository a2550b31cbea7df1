import { ViewerError } from '../errors.ts';
import { discard, errorForStatus, parseRetryAfter } from '../net/outcome.ts';
import { withTimeout } from '../internal/timeout.ts';
import type { TokenAccess } from '../net/token-access.ts';
import { concat } from './byte-ranges.ts';

export type { TokenAccess } from '../net/token-access.ts';

export interface AuthorizedFetchOptions {
  /** Aborts every request of this document (src change, disconnect, give-up). */
  signal: AbortSignal;
  /** A request that makes no progress for this long is abandoned and retried. */
  idleTimeoutMs?: number;
  /** Retries of transient failures (network loss, timeouts, 502/503/504) per request. */
  retries?: number;
  /** Called with the number of body bytes as they arrive. */
  onBytes?: (count: number) => void;
}

const RETRY_DELAYS_MS = [300, 1200, 3000];

const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/**
 * Range requests for one document URL with the current bearer token, and their bodies read with
 * progress and a stall timeout. Every request: token only in the `Authorization` header, no
 * cookies, no redirects (a script-set Authorization must not follow one), no HTTP cache. A 401
 * renews once through the token session and is sent again once (one that says the session was
 * revoked ends it as `revoked`). What the answers must contain is
 * the document client's to check.
 */
export class AuthorizedFetch {
  readonly #url: string;
  readonly #tokens: TokenAccess;
  readonly #signal: AbortSignal;
  readonly #idleTimeoutMs: number;
  readonly #retries: number;
  readonly #onBytes: (count: number) => void;

  constructor(url: string, tokens: TokenAccess, options: AuthorizedFetchOptions) {
    this.#url = url;
    this.#tokens = tokens;
    this.#signal = options.signal;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 20_000;
    this.#retries = options.retries ?? 2;
    this.#onBytes = options.onBytes ?? (() => {});
  }

  /**
   * One logical request: retries transient failures, renews the token once on 401. `range` is
   * read for every attempt, so a retry can ask for less; empty, no `Range` is sent. A status outside `accept` is the
   * contract's error for it.
   */
  async request<T>(range: string | (() => string), accept: number[], read: (response: Response) => Promise<T>): Promise<{ response: Response; body: T }> {
    let token = await this.#tokens.token();
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      this.#throwIfAborted();
      try {
        const response = await this.#send(typeof range === 'string' ? range : range(), token);
        // The server revoked the session (its challenge says so: `error="revoked"`, or beside the
        // standard `invalid_token`, `error_description="revoked"`): a new token would not help.
        const revoked = response.headers.get('WWW-Authenticate')?.includes('revoked');
        if (response.status === 401 && !renewed && !revoked) {
          await discard(response);
          renewed = true;
          token = await this.#tokens.renewAfterRejection(token);
          attempt--; // a renewal is not a transient failure
          continue;
        }
        if (TRANSIENT_STATUSES.has(response.status) && attempt < this.#retries) {
          await discard(response);
          await this.#delay(RETRY_DELAYS_MS[attempt] ?? 3000);
          continue;
        }
        if (!accept.includes(response.status)) {
          await discard(response);
          throw revoked ? new ViewerError('revoked', { status: 401 }) : errorForStatus(response.status, parseRetryAfter(response.headers.get('Retry-After')));
        }
        const body = await read(response);
        return { response, body };
      } catch (error) {
        if (error instanceof ViewerError && error.code !== 'network') throw error;
        this.#throwIfAborted();
        if (attempt >= this.#retries) throw error instanceof ViewerError ? error : new ViewerError('network');
        await this.#delay(RETRY_DELAYS_MS[attempt] ?? 3000);
      }
    }
  }

  /** Reads a whole body. */
  async readBody(response: Response): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let length = 0;
    await this.readChunks(response, (bytes) => {
      chunks.push(bytes);
      length += bytes.byteLength;
      return true;
    });
    return concat(chunks, length);
  }

  /**
   * Reads a body chunk by chunk so progress is reported and a stalled body times out. `onChunk`
   * returning false cancels the rest of the body.
   */
  async readChunks(response: Response, onChunk: (bytes: Uint8Array) => boolean): Promise<void> {
    const reader = response.body?.getReader();
    if (!reader) return;
    const expected = Number(response.headers.get('Content-Length') ?? NaN);
    let length = 0;
    const onAbort = () => void reader.cancel().catch(() => {});
    this.#signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const { done, value } = await withTimeout(reader.read(), this.#idleTimeoutMs, () => {
          onAbort();
          return new ViewerError('network');
        });
        if (done) break;
        length += value.byteLength;
        this.#onBytes(value.byteLength);
        if (!onChunk(value)) {
          onAbort();
          return;
        }
      }
    } catch (error) {
      // What the reader of the chunks found wrong with them stays what it is; the rest is the network.
      if (error instanceof ViewerError && error.code !== 'network') {
        onAbort();
        throw error;
      }
      throw new ViewerError('network');
    } finally {
      this.#signal.removeEventListener('abort', onAbort);
    }
    this.#throwIfAborted();
    if (Number.isFinite(expected) && expected !== length) throw new ViewerError('network');
  }

  async #send(range: string, token: string): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#idleTimeoutMs);
    const onAbort = () => controller.abort();
    this.#signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await fetch(this.#url, {
        method: 'GET',
        headers: range ? { Authorization: `Bearer ${token}`, Range: range } : { Authorization: `Bearer ${token}` },
        credentials: 'omit',
        redirect: 'error',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
      });
    } catch {
      // TypeError from fetch: no response, CORS refusal, a redirect, or our own abort.
      throw new ViewerError('network');
    } finally {
      clearTimeout(timer);
      this.#signal.removeEventListener('abort', onAbort);
    }
  }

  #delay(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new ViewerError('network'));
      };
      this.#signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #throwIfAborted(): void {
    if (this.#signal.aborted) throw new ViewerError('network');
  }
}
