import { ViewerError } from '../errors.ts';
import { discard } from '../net/outcome.ts';
import { AuthorizedFetch, type AuthorizedFetchOptions, type TokenAccess } from './authorized-fetch.ts';
import { MAX_BATCH_RANGES } from './batch-limits.ts';
import type { ByteRange, RangesResult } from './byte-ranges.ts';
import { parseContentRange } from './content-range.ts';
import type { MultiRangeState } from './multi-range/ranges-request.ts';

export type { TokenAccess } from './authorized-fetch.ts';

/** The first answer for a document: either a prefix and the total size, or the whole file. */
export type ProbeResult =
  | { kind: 'ranged'; total: number; initial: Uint8Array }
  | { kind: 'whole'; data: Uint8Array };

/**
 * Asking for several ranges and reading the answer is a chunk of its own: only documents whose
 * pages pdf.js reads from many places need it. The page tree's read ahead starts loading it
 * (`prepareRanges`); otherwise the first request for several ranges waits for it.
 */
let rangesRequest: Promise<typeof import('./multi-range/ranges-request.ts') | null> | undefined;
function loadRangesRequest(): Promise<typeof import('./multi-range/ranges-request.ts') | null> {
  rangesRequest ??= import('./multi-range/ranges-request.ts').catch(() => {
    // Asked for again next time: the failure may have been the network's.
    rangesRequest = undefined;
    return null;
  });
  return rangesRequest;
}

/**
 * MAX_BATCH_RANGES single bytes of the first 64 KiB, which are in hand: `0-0,1024-1024,…`, far
 * enough apart that a server does not merge them into one part (the reference backend merges
 * ranges less than 256 bytes apart).
 */
const QUESTION = Array.from({ length: MAX_BATCH_RANGES }, (_, i) => `${1024 * i}-${1024 * i}`).join(',');

/**
 * The requests for one document, each checked against what the first answer showed: a PDF, its
 * size, exactly the bytes asked for (`Content-Range`), the same version (`ETag`). The requests
 * themselves, with the token, go through the authorized transport.
 */
export class DocumentClient {
  readonly #http: AuthorizedFetch;
  #disposition: string | null = null;
  #total: number | undefined;
  #etag: string | null | undefined;
  readonly #multiRange: MultiRangeState = { answer: 'untried', rangesPerRequest: MAX_BATCH_RANGES };

  constructor(url: string, tokens: TokenAccess, options: AuthorizedFetchOptions) {
    this.#http = new AuthorizedFetch(url, tokens, options);
  }

  /**
   * Asks for the first `size` bytes. A 206 gives the prefix and the total size; a 200 means the
   * server ignores ranges, so its body is the whole file. Either way the bytes must start a PDF.
   */
  async probe(size: number): Promise<ProbeResult> {
    const { response, body } = await this.#http.request(`bytes=0-${size - 1}`, [200, 206], (r) => this.#http.readBody(r));
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
    const { body } = await this.#http.request(`bytes=${begin}-${end - 1}`, [206], async (response) => {
      this.#checkRange(response, begin, end);
      return this.#http.readBody(response);
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
    const { body } = await this.#http.request(`bytes=${begin}-${end - 1}`, [206], async (response) => {
      this.#checkRange(response, begin, end);
      let delivered = 0;
      try {
        await this.#http.readChunks(response, (bytes) => {
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
   * for the ranges not yet delivered. A 416 to the first request for several ranges means one
   * range per request; a server that served several and refuses so many with 416 is asked for
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
      send: async (header, read) => (await this.#http.request(header, [200, 206, 416], read)).body,
      checkVersion: (response) => this.#checkVersion(response),
      readChunks: (response, onChunk) => this.#http.readChunks(response, onChunk),
      readBody: (response) => this.#http.readBody(response),
    });
  }

  /**
   * Asks how the server answers several ranges, with single bytes of the first bytes, and
   * none of the code that reads such answers: a 200 or a 416 (its body dropped at once) is one
   * range per request, a multipart answer several. Requests for several ranges wait for it.
   * Resolves with the round trip of a refusal in ms; null when the server served them, or when
   * it was already known or being asked.
   */
  async askSeveralRanges(): Promise<number | null> {
    const state = this.#multiRange;
    if (state.answer !== 'untried' || state.trial) return null;
    let settle = (): void => {};
    state.trial = new Promise<void>((resolve) => (settle = resolve));
    const sentAt = performance.now();
    try {
      // As many ranges as a request of the read ahead asks for: a server that takes fewer refuses
      // this one as it would refuse those.
      const { response } = await this.#http.request(`bytes=${QUESTION}`, [200, 206, 416], discard);
      if (response.status !== 206) state.answer = 'no';
      else if (/multipart\/byteranges/i.test(response.headers.get('Content-Type') ?? '')) state.answer = 'yes';
      return state.answer === 'no' ? performance.now() - sentAt : null;
    } finally {
      state.trial = null;
      settle();
    }
  }

  /** Starts loading the code that asks for several ranges, ahead of the first such request. */
  prepareRanges(): Promise<unknown> {
    return loadRangesRequest();
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
}

/**
 * HTML error pages served with 200 are the usual impostor: a text, HTML or JSON type, or no
 * `%PDF-` within the first 1024 bytes (where the PDF specification allows it), is not a PDF.
 */
function assertPdf(response: Response, body: Uint8Array): void {
  const type = (response.headers.get('Content-Type') ?? '').toLowerCase();
  if (type.startsWith('text/') || type.includes('html') || type.includes('json') || !String.fromCharCode(...body.subarray(0, 1024)).includes('%PDF-')) {
    throw new ViewerError('invalid-document', { status: response.status });
  }
}
