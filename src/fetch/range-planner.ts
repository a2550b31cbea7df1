import type { ByteRange } from './byte-ranges.ts';

export interface RangePlannerOptions {
  /** pdf.js's chunk size: every request starts on a chunk and ends on one (or at the file end). */
  chunkSize: number;
  /** File size. */
  total: number;
  /** Queued ranges this close after a request are fetched with it: cheaper than another round trip. */
  mergeGap?: number;
  /** Largest single request. */
  maxRequestBytes?: number;
  /** Read-ahead when pdf.js reads on sequentially; doubles per sequential request up to this. */
  maxReadAhead?: number;
  /**
   * Smallest request: a request for less reads on to this many bytes (stopping at bytes already
   * here or coming). pdf.js asks for the chunk where an object starts and, if the object runs on,
   * for the next one a round trip later.
   */
  minRequestBytes?: number;
}

/**
 * Decides what to fetch for the ranges pdf.js asks for. pdf.js asks for one group of neighbouring
 * chunks at a time; on files whose page objects are scattered it asks for hundreds of them before the first
 * page, and each costs a round trip. The planner
 * - merges queued ranges that lie close together into one request,
 * - reads ahead, growing each time, while pdf.js keeps asking for the bytes right after the last
 *   request, and
 * - never fetches a chunk twice, except where pdf.js asks for chunks around one already on its
 *   way: its answer must start at the first byte it asked for.
 * Ranges asked for far apart stay separate requests, so well-laid-out files still load on demand.
 */
export class RangePlanner {
  readonly #chunk: number;
  readonly #total: number;
  readonly #mergeGap: number;
  readonly #maxRequest: number;
  readonly #maxReadAhead: number;
  readonly #minRequest: number;
  readonly #queue: Array<[number, number]> = [];
  /** Chunks fetched or being fetched. */
  readonly #covered = new Set<number>();
  #lastEnd = -1;
  #readAhead = 0;

  constructor(options: RangePlannerOptions) {
    this.#chunk = options.chunkSize;
    this.#total = options.total;
    this.#mergeGap = options.mergeGap ?? 2 * options.chunkSize;
    this.#maxRequest = options.maxRequestBytes ?? 4 * 1024 * 1024;
    this.#maxReadAhead = options.maxReadAhead ?? 2 * 1024 * 1024;
    this.#minRequest = options.minRequestBytes ?? 0;
  }

  /** Ranges already in hand, where pdf.js reads on from (the first bytes, the streamed front). */
  markFetched(begin: number, end: number): void {
    for (let c = this.#chunkOf(begin); c < this.#chunkCeil(end); c++) this.#covered.add(c);
    this.#lastEnd = end;
  }

  /** Ranges another read is bringing: not fetched again, but not a place pdf.js reads on from either. */
  markComing(begin: number, end: number): void {
    for (let c = this.#chunkOf(begin); c < this.#chunkCeil(end); c++) this.#covered.add(c);
  }

  /** Chunks in [begin, end) that were expected but will not come after all. */
  forget(begin: number, end: number): void {
    for (let c = this.#chunkOf(begin); c < this.#chunkCeil(end); c++) this.#covered.delete(c);
  }

  /** pdf.js asked for [begin, end). */
  request(begin: number, end: number): void {
    this.#queue.push([begin, end]);
  }

  /** The parts of every queued request not fetched or on their way, merged, in file order. */
  queuedMissing(): Array<[number, number]> {
    const parts = this.#queue.flatMap(([begin, end]) => this.#uncovered(begin, end)).sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [begin, end] of parts) {
      const last = merged[merged.length - 1];
      if (last && begin <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([begin, end]);
    }
    return merged;
  }

  /** How many requests are queued. */
  queuedCount(): number {
    return this.#queue.length;
  }

  /** From the first byte of the queued requests to the last, or null when none is queued. */
  queuedExtent(): ByteRange | null {
    if (this.#queue.length === 0) return null;
    let begin = Infinity;
    let end = 0;
    for (const [b, e] of this.#queue) {
      begin = Math.min(begin, b);
      end = Math.max(end, e);
    }
    return [begin, end];
  }

  /** Bytes of [begin, end) not fetched or on their way. */
  missingBytes(begin: number, end: number): number {
    return this.#uncovered(begin, end).reduce((sum, [b, e]) => sum + (e - b), 0);
  }

  /** Removes every queued request and returns them, for another way of answering them. */
  takeQueue(): Array<[number, number]> {
    return this.#queue.splice(0);
  }

  /** The next request to send, or null when nothing is left to fetch. */
  next(): ByteRange | null {
    while (this.#queue.length > 0) {
      const [begin, asked] = this.#queue.shift()!;
      // Parts may have been covered by a merged or read-ahead request meanwhile.
      const live = this.#uncovered(begin, asked);
      if (live.length === 0) continue;
      // pdf.js takes an answer only at the first byte of one of its requests, so the answer
      // starts there even when that means fetching a chunk already on its way.
      let end = live[live.length - 1]![1];
      end = this.#mergeQueued(begin, end);
      end = this.#readAheadFrom(begin, end);
      if (end - begin < this.#minRequest) end = this.#coveredStop(end, this.#align(begin + this.#minRequest));
      this.markFetched(begin, end);
      return [begin, end];
    }
    return null;
  }

  /** Swallows queued ranges that start within the merge gap of `end`, in file order. */
  #mergeQueued(begin: number, end: number): number {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.#queue.length; i++) {
        const [b] = this.#queue[i]!;
        if (b >= begin && b <= end + this.#mergeGap && (best < 0 || b < this.#queue[best]![0])) best = i;
      }
      if (best < 0) return end;
      const [, e] = this.#queue[best]!;
      const merged = Math.max(end, e);
      if (merged - begin > this.#maxRequest) return end;
      // Something in between is already on its way: the queued range gets its own request.
      if (this.#coveredStop(end, merged) < merged) return end;
      this.#queue.splice(best, 1);
      end = merged;
    }
  }

  /**
   * Reading on (the request starts where the previous one ended, or just after it) earns a
   * growing read-ahead.
   */
  #readAheadFrom(begin: number, end: number): number {
    if (begin >= this.#lastEnd && begin - this.#lastEnd <= this.#mergeGap && this.#lastEnd >= 0) {
      this.#readAhead = Math.min(Math.max(this.#readAhead * 2, 2 * this.#chunk), this.#maxReadAhead);
    } else {
      this.#readAhead = 0;
      return end;
    }
    const wanted = Math.min(this.#total, end + this.#readAhead, begin + this.#maxRequest);
    return this.#coveredStop(end, this.#align(wanted));
  }

  /** Extends from `end` towards `limit`, stopping at the first chunk already covered. */
  #coveredStop(end: number, limit: number): number {
    let stop = end;
    while (stop < limit) {
      const chunk = this.#chunkOf(stop);
      if (this.#covered.has(chunk)) break;
      stop = Math.min(this.#total, (chunk + 1) * this.#chunk);
    }
    return Math.max(end, Math.min(stop, limit));
  }

  /** The parts of [begin, end) not yet covered, as chunk-aligned ranges. */
  #uncovered(begin: number, end: number): Array<[number, number]> {
    const ranges: Array<[number, number]> = [];
    let start = -1;
    for (let c = this.#chunkOf(begin); c < this.#chunkCeil(end); c++) {
      if (this.#covered.has(c)) {
        if (start >= 0) ranges.push([start * this.#chunk, Math.min(this.#total, c * this.#chunk)]);
        start = -1;
      } else if (start < 0) {
        start = c;
      }
    }
    if (start >= 0) ranges.push([start * this.#chunk, Math.min(this.#total, this.#chunkCeil(end) * this.#chunk)]);
    return ranges;
  }

  #align(offset: number): number {
    return offset >= this.#total ? this.#total : Math.ceil(offset / this.#chunk) * this.#chunk;
  }

  #chunkOf(offset: number): number {
    return Math.floor(offset / this.#chunk);
  }

  #chunkCeil(offset: number): number {
    return Math.ceil(offset / this.#chunk);
  }
}
