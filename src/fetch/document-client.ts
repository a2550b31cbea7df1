import { ViewerError } from '../errors.ts';
import { discard, errorForStatus, parseRetryAfter } from '../net/outcome.ts';
import { withTimeout } from '../internal/timeout.ts';
import { MAX_BATCH_RANGES } from './batch-limits.ts';
import { parseContentRange } from './content-range.ts';
import type { MultiRangeState } from './ranges-request.ts';

/** What the fetch layer needs from the token session. */
export interface TokenAccess {
  /** A token to send now (waits for a renewal in flight). */
  token(): Promise<string>;
  /** Called after a 401: returns a different, fresh token or rejects. */
  renewAfterRejection(rejected: string): Promise<string>;
}

export interface DocumentClientOptions {
  /** Aborts every request of this document (src change, disconnect, give-up). */
  signal: AbortSignal;
  /** A request that makes no progress for this long is abandoned and retried. */
  idleTimeoutMs?: number;
  /** Retries of transient failures (network loss, timeouts, 502/503/504) per request. */
  retries?: number;
  /** Called with the number of body bytes as they arrive. */
  onBytes?: (count: number) => void;
}

/** A byte range [begin, end) of the document. */
export type ByteRange = readonly [begin: number, end: number];

/**
 * How a server answered a request for several ranges: with the parts (`multipart`), or in a way
 * that shows it serves one range per request (`single-only`: a 200, or one part that is not what
 * was asked), in which case `missing` are the caller's to fetch one by one.
 */
export interface RangesResult {
  answer: 'multipart' | 'single-only';
  missing: ByteRange[];
}

/** The first answer for a document: either a prefix and the total size, or the whole file. */
export type ProbeResult =
  | { kind: 'ranged'; total: number; initial: Uint8Array }
  | { kind: 'whole'; data: Uint8Array };

const RETRY_DELAYS_MS = [300, 1200, 3000];

const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/**
 * Asking for several ranges and reading the answer is a chunk of its own: only documents whose
 * pages pdf.js reads from many places need it. The page tree's read ahead starts loading it
 * (`prepareRanges`); otherwise the first request for several ranges waits for it.
 */
let rangesRequest: Promise<typeof import('./ranges-request.ts') | null> | undefined;
function loadRangesRequest(): Promise<typeof import('./ranges-request.ts') | null> {
  rangesRequest ??= import('./ranges-request.ts').catch(() => {
    // Asked for again next time: the failure may have been the network's.
    rangesRequest = undefined;
    return null;
  });
  return rangesRequest;
}

/**
 * Fetches a document's bytes with the current bearer token. Every request: token only in the
 * `Authorization` header, no cookies, no redirects (a script-set Authorization must not follow one),
 * no HTTP cache. A 401 renews once through the token session and retries once.
 */
export class DocumentClient {
  readonly #url: string;
  readonly #tokens: TokenAccess;
  #disposition: string | null = null;
  readonly #signal: AbortSignal;
  readonly #idleTimeoutMs: number;
  readonly #retries: number;
  readonly #onBytes: (count: number) => void;
  #total: number | undefined;
  #etag: string | null | undefined;
  readonly #multiRange: MultiRangeState = { answer: 'untried', rangesPerRequest: MAX_BATCH_RANGES };

  constructor(url: string, tokens: TokenAccess, options: DocumentClientOptions) {
    this.#url = url;
    this.#tokens = tokens;
    this.#signal = options.signal;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 20_000;
    this.#retries = options.retries ?? 2;
    this.#onBytes = options.onBytes ?? (() => {});
  }

  /**
   * Asks for the first `size` bytes. A 206 gives the prefix and the total size; a 200 means the
   * server ignores ranges, so its body is the whole file. Either way the bytes must start a PDF.
   */
  async probe(size: number): Promise<ProbeResult> {
    const { response, body } = await this.#request(`bytes=0-${size - 1}`, [200, 206], (r) => this.#readBody(r));
    this.#disposition = response.headers.get('Content-Disposition');
    if (response.status === 200) {
      assertPdf(response, body);
      return { kind: 'whole', data: body };
    }
    const range = parseContentRange(response.headers.get('Content-Range'));
    if (!range || range.start !== 0 || range.end !== Math.min(size, range.total) - 1) {
      throw new ViewerError('invalid-document', { status: 206 });
    }
    assertPdf(response, body);
    if (body.byteLength !== range.end + 1) throw new ViewerError('invalid-document', { status: 206 });
    this.#total = range.total;
    this.#etag = response.headers.get('ETag');
    if (range.total === body.byteLength) return { kind: 'whole', data: body };
    return { kind: 'ranged', total: range.total, initial: body };
  }

  /**
   * Whether this server serves several ranges in one answer, as learnt from its answers to
   * `fetchRanges` so far; one refusal is enough for 'no'.
   */
  get multiRange(): 'untried' | 'yes' | 'no' {
    return this.#multiRange.answer;
  }

  /** Most ranges one request asks for: fewer once the server has refused as many with 416. */
  get rangesPerRequest(): number {
    return this.#multiRange.rangesPerRequest;
  }

  /** The server's `Content-Disposition`, if any: its file name is the download's (see download.ts). */
  get disposition(): string | null {
    return this.#disposition;
  }

  /** Fetches bytes [begin, end) of the document found by `probe`, checking that they are exactly those. */
  async fetchRange(begin: number, end: number): Promise<Uint8Array> {
    const { body } = await this.#request(`bytes=${begin}-${end - 1}`, [206], async (response) => {
      this.#checkRange(response, begin, end);
      return this.#readBody(response);
    });
    if (body.byteLength !== end - begin) throw new ViewerError('invalid-document', { status: 206 });
    return body;
  }

  /**
   * Streams bytes [begin, end) to `onChunk` as they arrive; `onChunk` returning false stops the
   * download. Resolves with the number of bytes delivered: fewer than asked when stopped or when
   * the body broke off, which is not retried (the bytes already delivered would come twice).
   */
  async streamRange(begin: number, end: number, onChunk: (bytes: Uint8Array) => boolean): Promise<number> {
    const { body } = await this.#request(`bytes=${begin}-${end - 1}`, [206], async (response) => {
      this.#checkRange(response, begin, end);
      let delivered = 0;
      try {
        await this.#readChunks(response, (bytes) => {
          const wanted = bytes.subarray(0, end - begin - delivered);
          delivered += wanted.byteLength;
          return wanted.byteLength === 0 || onChunk(wanted);
        });
      } catch {
        // Broken off: the caller fetches what is missing on its own.
      }
      return delivered;
    });
    return body;
  }

  /**
   * Fetches several ranges in one request (`Range: bytes=a-b,c-d,…`) and hands each to `onRange`
   * as soon as its bytes are in. A `206 multipart/byteranges` is read as it streams; each part
   * must be one of the ranges asked, or one range the server merged them into. A single part
   * that covers them all, without much more, is taken too. A server that answers 200 (or one
   * part that is not what was asked) serves one range at a time: its body is dropped at once and
   * the ranges are left to the caller. A retry (after a 401, or a body that broke off) asks only
   * for the ranges not yet delivered. A server that refuses so many ranges with 416 is asked for
   * half as many a request from then on (the ranges then go in several requests, one after the
   * other). While no answer has shown how a server serves several ranges, one request tries it
   * and the others wait for its answer.
   */
  async fetchRanges(
    ranges: readonly ByteRange[],
    onRange: (begin: number, bytes: Uint8Array) => void,
    onAnswer: (answer: RangesResult['answer']) => void = () => {},
  ): Promise<RangesResult> {
    const pending = [...ranges].sort((a, b) => a[0] - b[0]);
    const code = await loadRangesRequest();
    if (!code) {
      // Its code could not be loaded: the ranges go one by one, which needs none.
      this.#multiRange.answer = 'no';
      onAnswer('single-only');
      return { answer: 'single-only', missing: pending };
    }
    return code.fetchRanges(pending, onRange, onAnswer, {
      total: this.#total ?? 0,
      state: this.#multiRange,
      send: async (header, read) => (await this.#request(header, [200, 206, 416], read)).body,
      checkVersion: (response) => this.#checkVersion(response),
      readChunks: (response, onChunk) => this.#readChunks(response, onChunk),
      readBody: (response) => this.#readBody(response),
    });
  }

  /** Starts loading the code that asks for several ranges, ahead of the first such request. */
  prepareRanges(): void {
    void loadRangesRequest();
  }

  /** A 206 must be exactly the bytes asked for, of the same version of the document. */
  #checkRange(response: Response, begin: number, end: number): void {
    const range = parseContentRange(response.headers.get('Content-Range'));
    if (!range || range.start !== begin || range.end !== end - 1 || range.total !== this.#total) {
      throw new ViewerError('invalid-document', { status: 206 });
    }
    this.#checkVersion(response);
  }

  /** Every answer must come from the same version of the document as the first one. */
  #checkVersion(response: Response): void {
    if (this.#etag && response.headers.get('ETag') !== this.#etag) {
      throw new ViewerError('invalid-document', {
        status: 206,
        message: 'The document changed on the server while it was loading. Reload to see the new version.',
      });
    }
  }

  /**
   * One logical request: retries transient failures, renews the token once on 401. `range` is
   * read for every attempt, so a retry can ask for less.
   */
  async #request<T>(range: string | (() => string), accept: number[], read: (response: Response) => Promise<T>): Promise<{ response: Response; body: T }> {
    let token = await this.#tokens.token();
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      this.#throwIfAborted();
      try {
        const response = await this.#send(typeof range === 'string' ? range : range(), token);
        if (response.status === 401 && !renewed) {
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
          throw errorForStatus(response.status, parseRetryAfter(response.headers.get('Retry-After')));
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

  async #send(range: string, token: string): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#idleTimeoutMs);
    const onAbort = () => controller.abort();
    this.#signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await fetch(this.#url, {
        method: 'GET',
        headers: { Authorization: `Bearer ${token}`, Range: range },
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

  /** Reads a whole body. */
  async #readBody(response: Response): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let length = 0;
    await this.#readChunks(response, (bytes) => {
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
  async #readChunks(response: Response, onChunk: (bytes: Uint8Array) => boolean): Promise<void> {
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

/** Sorted ranges with each run of touching or overlapping ones joined into one. */
export function joinTouching(sorted: readonly ByteRange[]): ByteRange[] {
  const joined: Array<[number, number]> = [];
  for (const [begin, end] of sorted) {
    const last = joined.at(-1);
    if (last && begin <= last[1]) last[1] = Math.max(last[1], end);
    else joined.push([begin, end]);
  }
  return joined;
}

/** HTML error pages served with 200 are the usual impostor: check the magic bytes before pdf.js. */
function assertPdf(response: Response, body: Uint8Array): void {
  const type = (response.headers.get('Content-Type') ?? '').toLowerCase();
  if (type.startsWith('text/') || type.includes('html') || type.includes('json')) {
    throw new ViewerError('invalid-document', { status: response.status });
  }
  if (!startsWithPdfHeader(body)) throw new ViewerError('invalid-document', { status: response.status });
}

/** True when `%PDF-` appears within the first 1024 bytes, as the PDF specification allows. */
export function startsWithPdfHeader(bytes: Uint8Array): boolean {
  const limit = Math.min(bytes.byteLength, 1024) - 5;
  for (let i = 0; i <= limit; i++) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d) {
      return true;
    }
  }
  return false;
}

/** The chunks as one array (the one chunk itself when there is only one). */
export function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
