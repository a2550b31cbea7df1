import type { FrontRead } from '../front-read.ts';

/** Bytes a streamed read hands out beyond what pdf.js asked for, at most. */
const MAX_EXTRA_BYTES = 262_144;

/**
 * Bytes fetched before pdf.js asked for them, held until it does. Each read is a chunk-aligned
 * range, here or on its way; pdf.js's request that falls inside one is answered from it (from
 * the byte pdf.js asked for to the end of the read: it takes the extra chunks gladly) instead of
 * being fetched. A read that fails answers null, and the request goes out after all.
 */
export class AheadReads {
  /** Sorted by `begin`; reads do not overlap. */
  #reads: AheadRead[] = [];
  /** Streamed reads through many of them, with pdf.js's chunk size: any request inside one waits for it. */
  #streams: Array<{ read: FrontRead; chunk: number }> = [];
  #released = false;

  /**
   * A streamed read: every request inside it is answered from it once it has passed there, with
   * every whole chunk it has brought beyond (pdf.js keeps them, and asks for none of them again:
   * a flat page tree's thousands of page objects then cost a few answers, not one each). The copy
   * goes a while after the read has ended (see FrontRead), or when the document closes.
   */
  stream(read: FrontRead, chunkSize: number): void {
    if (this.#released) return read.release();
    this.#streams.push({ read, chunk: chunkSize });
    read.follow(
      (bytes) => this.onStreamChunk?.(read, bytes),
      () => {},
    );
    this.onRead?.();
  }

  /** The streamed reads still holding their bytes. */
  get streams(): FrontRead[] {
    return this.#streams.map(({ read }) => read).filter((read) => !read.released);
  }

  /**
   * Every chunk of a streamed read as it arrives (the loader hands a stream that goes on from
   * where the file's bytes in order end to pdf.js as such: no request for them at all).
   */
  onStreamChunk: ((read: FrontRead, bytes: Uint8Array) => void) | null = null;

  /** A read or a stream set out: requests of pdf.js already waiting to be sent may be answered from it. */
  onRead: (() => void) | null = null;

  /** Drops what is held in [begin, end): a stream brings it from now on. */
  forget(begin: number, end: number): void {
    this.#reads = this.#reads.filter((read) => read.end <= begin || read.begin >= end);
  }

  /** A read going out now; the returned function settles it with its bytes, or null if they will not come. */
  expect(begin: number, end: number): (bytes: Uint8Array | null) => void {
    let settle!: (bytes: Uint8Array | null) => void;
    const read: AheadRead = { begin, end, arrived: new Promise((resolve) => (settle = resolve)) };
    if (!this.#released) this.#reads.splice(firstAbove(this.#reads, begin, (r) => r.begin), 0, read);
    this.onRead?.();
    return (bytes) => {
      if (bytes?.byteLength !== end - begin || this.#released) bytes = null;
      if (!bytes) this.#reads = this.#reads.filter((other) => other !== read);
      settle(bytes);
    };
  }

  /**
   * Answers pdf.js's request for [begin, end) if one read holds it: a promise of the bytes from
   * `begin` to that read's end (null if the read failed), or null when no read covers it. The
   * bytes handed out are no longer held; those before `begin` stay for a later request.
   */
  answer(begin: number, end: number): Promise<Uint8Array | null> | null {
    const stream = this.#streams.find((s) => s.read.covers(begin, end));
    if (stream) {
      const { read: from, chunk } = stream;
      return from.slice(begin, end).then((bytes) => {
        // Up to the last whole chunk here, or the read's end (pdf.js takes answers that end so),
        // within MAX_EXTRA_BYTES: every answer is a copy, and a long stream would copy megabytes
        // for each of thousands of requests.
        const reach = Math.min(from.position, end + MAX_EXTRA_BYTES);
        const here = reach >= from.end ? from.end : begin + Math.floor((reach - begin) / chunk) * chunk;
        return bytes && here > end ? from.slice(begin, here) : bytes;
      });
    }
    const index = firstAbove(this.#reads, begin, (r) => r.begin) - 1;
    const read = this.#reads[index];
    if (!read || end > read.end) return null;
    if (begin > read.begin) {
      const arrived = read.arrived.then((bytes) => bytes?.subarray(0, begin - read.begin) ?? null);
      this.#reads.splice(index, 1, { begin: read.begin, end: begin, arrived });
    } else {
      this.#reads.splice(index, 1);
    }
    // A copy: pdf.js may transfer what it is given to its worker.
    return read.arrived.then((bytes) => (bytes && !this.#released ? bytes.slice(begin - read.begin) : null));
  }

  /** True once the document closed. */
  get released(): boolean {
    return this.#released;
  }

  /** The document closed: nothing more is held. */
  release(): void {
    this.#released = true;
    this.#reads = [];
    for (const { read } of this.#streams) read.release();
    this.#streams = [];
  }
}

interface AheadRead {
  begin: number;
  end: number;
  arrived: Promise<Uint8Array | null>;
}

/** The index of the first of `items`, sorted by `key`, whose key is above `value`. */
export function firstAbove<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (key(items[middle]!) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
