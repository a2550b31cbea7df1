import type { DocumentClient } from './document-client.ts';

/** Bytes a front read still finishes when pdf.js starts asking for other parts of the file. */
const YIELD_UNLESS_WITHIN = 131_072;

/**
 * How long the copy is kept after every byte went on to pdf.js: a request pdf.js sent before the
 * bytes reached its worker is answered from it rather than fetched again.
 */
const KEEP_AFTER_HANDOVER_MS = 5_000;

export interface FrontReadOptions {
  /** How long the copy is kept once every byte went on (default 5 s). */
  keepMs?: number;
  /**
   * False for a read that pdf.js needs whole anyway (a small file, a dense stretch): it goes on
   * when pdf.js asks for other parts of the file. Default true.
   */
  yields?: boolean;
}

/**
 * The bytes right after the first chunk, read on as one streamed request while pdf.js's worker
 * is still starting. Most files keep what the first page needs near the front (linearized files
 * by definition), and the worker's start-up leaves the connection idle otherwise. The bytes go
 * to pdf.js in order as they arrive; a request of pdf.js that falls inside waits for them
 * instead of being fetched twice.
 */
export class FrontRead {
  readonly begin: number;
  readonly end: number;
  #bytes: Uint8Array;
  #received = 0;
  /** When the read was sent and when its latest chunk came: the link's rate. */
  readonly #sentAt = performance.now();
  #lastAt = 0;
  #stopped = false;
  #released = false;
  #releaseTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #keepMs: number;
  #yields: boolean;
  #yielding = false;
  #onChunk: ((bytes: Uint8Array) => void) | null = null;
  #onEnd: (() => void) | null = null;
  readonly #waiters = new Set<{ end: number; settle: (arrived: boolean) => void }>();

  constructor(client: DocumentClient, begin: number, end: number, options: FrontReadOptions = {}) {
    this.begin = begin;
    this.end = end;
    this.#keepMs = options.keepMs ?? KEEP_AFTER_HANDOVER_MS;
    this.#yields = options.yields ?? true;
    this.#bytes = new Uint8Array(end - begin);
    client
      .streamRange(begin, end, (bytes) => this.#receive(bytes))
      .catch(() => 0)
      .then(() => this.#stop());
  }

  /**
   * pdf.js needs bytes elsewhere: a front still far from complete would only slow those down on a
   * slow link, so it stops at its next chunk. Nearly complete, it finishes.
   */
  yieldTo(): void {
    if (this.#yields && !this.#stopped && this.end - this.position > YIELD_UNLESS_WITHIN) this.#yielding = true;
  }

  /**
   * Another stream goes on from this read's end: this one no longer yields, or the bytes between
   * where it stopped and that stream's start would come with neither.
   */
  goOn(): void {
    this.#yields = false;
    this.#yielding = false;
  }

  /** True once the copy is dropped. */
  get released(): boolean {
    return this.#released;
  }

  /** True once no more bytes will come (complete, broken off or released). */
  get stopped(): boolean {
    return this.#stopped || this.#released;
  }

  /** Where the bytes received so far end (absolute offset). */
  get position(): number {
    return this.begin + this.#received;
  }

  /**
   * Bytes a millisecond this read brought, from sending it to its latest chunk: a round trip and
   * any wait for the page's main thread included, so never more than the link gives. 0 while
   * that is too little to tell (less than 64 KiB).
   */
  get rate(): number {
    return this.#received < 65_536 ? 0 : this.#received / (this.#lastAt - this.#sentAt);
  }

  /** True while [begin, end) lies within what this read has or will still bring (and still holds). */
  covers(begin: number, end: number): boolean {
    return !this.#released && begin >= this.begin && end <= this.end && (!this.#stopped || end <= this.position);
  }

  /** Bytes [begin, end) once they are here, or null if the read stopped short of them. */
  async slice(begin: number, end: number): Promise<Uint8Array | null> {
    return (await this.reached(end)) ? this.here(begin, end) : null;
  }

  /** True once the bytes up to `end` are here (and still held), false if they will not come. */
  async reached(end: number): Promise<boolean> {
    if (end > this.position) {
      const arrived = await new Promise<boolean>((settle) => {
        if (this.#stopped || this.#released) settle(false);
        else this.#waiters.add({ end, settle });
      });
      if (!arrived) return false;
    }
    return !this.#released;
  }

  /** A copy of bytes [begin, end) if they are here now, else null. */
  here(begin: number, end: number): Uint8Array | null {
    if (this.#released || begin < this.begin || end > this.position) return null;
    // A copy: pdf.js may transfer what it is given to its worker, which would empty this buffer.
    return this.#bytes.slice(begin - this.begin, end - this.begin);
  }

  /**
   * Hands every chunk to `onChunk` in order, starting with those already here, and calls `onEnd`
   * once no more will come (complete, broken off or aborted). A while after that the copy is
   * dropped and `covers` answers false.
   */
  follow(onChunk: (bytes: Uint8Array) => void, onEnd: () => void): void {
    if (this.#received > 0) onChunk(this.#bytes.slice(0, this.#received));
    this.#onChunk = onChunk;
    this.#onEnd = onEnd;
    if (this.#stopped) this.#handOverEnd();
  }

  /** The document closed: the download stops at its next chunk and the copy goes now. */
  release(): void {
    clearTimeout(this.#releaseTimer);
    this.#released = true;
    this.#bytes = new Uint8Array(0);
    for (const waiter of this.#waiters) waiter.settle(false);
    this.#waiters.clear();
    this.#onChunk = null;
    this.#onEnd = null;
  }

  /** Takes a chunk; false stops the download. */
  #receive(bytes: Uint8Array): boolean {
    if (this.#stopped || this.#released) return false;
    this.#bytes.set(bytes, this.#received);
    this.#received += bytes.byteLength;
    this.#lastAt = performance.now();
    // Kept above; the consumer may hand this buffer on to the worker.
    this.#onChunk?.(bytes);
    for (const waiter of this.#waiters) {
      if (waiter.end <= this.position) {
        this.#waiters.delete(waiter);
        waiter.settle(true);
      }
    }
    return !this.#yielding;
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const waiter of this.#waiters) waiter.settle(waiter.end <= this.position);
    this.#waiters.clear();
    this.#handOverEnd();
  }

  /**
   * Tells the follower, if there is one, that no more comes. Everything went on to it, so the
   * copy is only a fallback from now on and is dropped a while later.
   */
  #handOverEnd(): void {
    const onEnd = this.#onEnd;
    this.#onChunk = null;
    this.#onEnd = null;
    if (!onEnd) return;
    onEnd();
    this.#releaseTimer = setTimeout(() => this.release(), this.#keepMs);
  }
}
