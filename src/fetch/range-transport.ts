import type { PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ViewerError, asViewerError } from '../errors.ts';
import { MAX_BATCH_BYTES } from './batch-limits.ts';
import type { ByteRange, PrefetchedRange } from './byte-ranges.ts';
import type { DocumentClient } from './document-client.ts';
import { FrontRead } from './front-read.ts';
import type { AheadReads } from './page-tree/ahead-reads.ts';
import { RangePlanner } from './range-planner.ts';

export interface RangeTransportOptions {
  /**
   * Ranges fetched at the same time. Browsers open six HTTP/1.1 connections per origin; pdf.js
   * queues a request for every page object of a flat page tree at once, so all six are used (the
   * streamed front, while it lasts, makes a seventh that the browser queues).
   */
  maxParallel?: number;
  /** pdf.js has no error channel for a transport: a range that cannot be had ends the load here. */
  onFatal: (error: ViewerError) => void;
  /** pdf.js's chunk size; requests stay aligned to it. */
  chunkSize: number;
  /** Chunk-aligned ranges fetched before pdf.js asked (the end of the file). */
  prefetched?: PrefetchedRange[];
  /** The front of the file, still streaming in right after `initial`. */
  front?: FrontRead | null;
  /** Objects read ahead of pdf.js (the page tree): used once this settles, which pdf.js does not wait for. */
  ahead?: Promise<AheadReads | null>;
  /**
   * Ask for several ranges in one request while the server answers them as such (default true).
   * Ranges pdf.js has queued then cost one round trip together, not one each.
   */
  multiRange?: boolean;
}

/**
 * When what pdf.js has queued is at least this share of the bytes between its first and last
 * range (a flat page tree of small pages), one streamed read of that stretch costs no more bytes
 * than the ranges and saves their round trips.
 */
const SPAN_READ_SHARE = 0.6;
/** …and when at least this share of the stretch is not yet here or on its way. */
const SPAN_READ_NEW_SHARE = 0.75;
/** Below this, the ranges are cheap either way. */
const SPAN_READ_MIN_BYTES = 65_536;
/**
 * pdf.js's chunks are small so that ranges read ahead (the page tree) cost little more than the
 * objects in them; what pdf.js asks for on its own is read on to this size, as an object that
 * starts in one chunk often runs into the next.
 */
const MIN_REQUEST_BYTES = 2048;
/** A row of pdf.js's requests has ended when none came for this long… */
const ROW_QUIET_MS = 4;
/** …or when it has been going on for this long. */
const ROW_MAX_WAIT_MS = 40;

type TransportBase = typeof PDFDataRangeTransport;

/** The transport class built on the loaded pdf.js. */
export type AuthorizedRangeTransportClass = new (
  client: DocumentClient,
  total: number,
  initial: Uint8Array,
  options: RangeTransportOptions,
) => PDFDataRangeTransport;

/**
 * Builds the transport class on top of the lazily loaded pdf.js base class. pdf.js asks for
 * byte ranges; we fetch them through the DocumentClient, which always sends the current token.
 */
export function defineRangeTransport(Base: TransportBase): AuthorizedRangeTransportClass {
  return class AuthorizedRangeTransport extends Base {
    readonly #client: DocumentClient;
    readonly #options: Required<Omit<RangeTransportOptions, 'prefetched' | 'front' | 'ahead'>>;
    /** Whether the server serves several ranges in one answer; learnt from its first answer. */
    #multiRange: 'untried' | 'yes' | 'no';
    /** A multi-range request is out to learn that. */
    #trying = false;
    readonly #front: FrontRead | null;
    #ahead: AheadReads | null = null;
    #prefetched: PrefetchedRange[];
    readonly #planner: RangePlanner;
    /** Stretches of the file read in one go instead of as ranges (see SPAN_READ_SHARE), newest last. */
    #spanReads: FrontRead[] = [];
    #spanBroke = false;
    #pumpTimer: ReturnType<typeof setTimeout> | undefined;
    #lastRequestAt = 0;
    /** Where the bytes pdf.js has in order from the start of the file end (the first bytes, the front). */
    #inOrder = 0;
    #active = 0;
    #closed = false;

    constructor(client: DocumentClient, total: number, initial: Uint8Array, options: RangeTransportOptions) {
      super(total, initial);
      this.#client = client;
      this.#options = { maxParallel: 6, multiRange: true, ...options };
      // The page tree read ahead may already have learnt it.
      this.#multiRange = this.#options.multiRange ? client.multiRange : 'no';
      void options.ahead?.then((reads) => {
        if (this.#closed) reads?.release();
        else this.#ahead = reads;
        if (!reads) return;
        reads.onStreamChunk = (read) => this.#readOn(read);
        reads.onRead = () => this.#answerQueuedFromAhead();
        this.#answerQueuedFromAhead();
        this.#readOnStreams();
      });
      this.#planner = new RangePlanner({ chunkSize: options.chunkSize, total, minRequestBytes: MIN_REQUEST_BYTES });
      this.#planner.markFetched(0, initial.byteLength);
      this.#inOrder = initial.byteLength;
      // Held bytes reach pdf.js only through a request that starts inside them, so the planner
      // does not count them as on their way: a request running into them from before is fetched.
      this.#prefetched = [...(options.prefetched ?? [])];
      const front = (this.#front = options.front ?? null);
      if (front) {
        // Bytes in order after `initial`: pdf.js places them itself, no request needed. The
        // planner counts them once they are here, not before: a request reaching past what has
        // arrived is fetched, and never waits on bytes that may not come.
        // (Never "progressive done": pdf.js's worker could then take the bytes so far for the
        // whole file if that message overtook the one saying ranges work.)
        front.follow(
          (bytes) => {
            this.#planner.markFetched(front.position - bytes.byteLength, front.position);
            this.#inOrder = front.position;
            if (!this.#closed) this.onDataProgressiveRead(bytes);
          },
          // The last chunk may have arrived in part: it is fetched on request like anything else.
          // So is the rest of the front once the read has dropped its copy a few seconds later
          // (until then `covers` answers from it): pdf.js has those bytes, and only a request
          // that crossed them on their way could still ask.
          () => {
            this.#planner.forget(front.begin, front.end);
            this.#readOnStreams();
          },
        );
      }
    }

    override requestDataRange(begin: number, end: number): void {
      if (this.#closed) return;
      if (this.#answerFromPrefetched(begin)) return;
      if (this.#front?.covers(begin, end)) {
        void this.#answerFrom(this.#front.slice(begin, end), begin, end);
        return;
      }
      const span = this.#spanReads.find((read) => read.covers(begin, end));
      if (span) {
        void this.#answerFrom(span.slice(begin, end), begin, end);
        return;
      }
      // A stream of the read ahead that goes to pdf.js as its bytes in order brings these too.
      const inOrder = this.#ahead?.streams.find((read) => read.begin <= this.#inOrder && read.covers(begin, end));
      if (inOrder) {
        void this.#answerInOrder(inOrder, begin, end);
        return;
      }
      const ahead = this.#ahead?.answer(begin, end);
      // pdf.js needs something the front read does not bring: that comes first. On a server that
      // serves one range per request, not when the read ahead brings it: the page objects in the
      // front would then come one request each.
      if (!ahead || this.#client.multiRange !== 'no') this.#front?.yieldTo();
      if (ahead) {
        void this.#answerFrom(ahead, begin, end);
        return;
      }
      this.#planner.request(begin, end);
      this.#schedulePump();
    }

    /**
     * A read ahead's stream that has reached past where the bytes in order end, from before there:
     * what it brought beyond goes to pdf.js as they do (pdf.js then asks for none of those chunks:
     * thousands of page objects of a flat tree cost no message each). A stream that set out while
     * the front was still coming catches up once the front has ended.
     */
    #readOn(read: FrontRead): void {
      const from = this.#inOrder;
      if (this.#closed || (this.#front && !this.#front.stopped) || read.begin > from || read.position <= from) return;
      // A copy: the read keeps its bytes for requests of pdf.js already waiting on them.
      const bytes = read.here(from, read.position);
      if (!bytes) return;
      this.#inOrder = read.position;
      this.#planner.markFetched(from, read.position);
      this.onDataProgressiveRead(bytes);
    }

    /** Every stream of the read ahead that may go on where the bytes in order end. */
    #readOnStreams(): void {
      for (const read of this.#ahead?.streams ?? []) this.#readOn(read);
    }

    override abort(): void {
      this.#closed = true;
      clearTimeout(this.#pumpTimer);
      this.#front?.release();
      this.#ahead?.release();
      for (const read of this.#spanReads) read.release();
    }

    /**
     * pdf.js's requests arrive one message each, often hundreds in a row (a page-tree walk). On an
     * idle link the first goes out at once; after that the pump waits until the row has ended, so
     * that the rest share requests instead of a few going out alone and taking every connection.
     */
    #schedulePump(): void {
      this.#lastRequestAt = performance.now();
      if (this.#pumpTimer !== undefined) return;
      if (this.#active === 0) {
        this.#pump();
        return;
      }
      const firstAt = this.#lastRequestAt;
      const check = (): void => {
        const now = performance.now();
        const quietFor = now - this.#lastRequestAt;
        if (quietFor < ROW_QUIET_MS && now - firstAt < ROW_MAX_WAIT_MS) {
          this.#pumpTimer = setTimeout(check, ROW_QUIET_MS - quietFor);
          return;
        }
        this.#pumpTimer = undefined;
        this.#pump();
      };
      this.#pumpTimer = setTimeout(check, ROW_QUIET_MS);
    }

    /**
     * When the queued ranges cover most of the stretch of file they lie in, reads that stretch as
     * one stream and answers them from it as it passes them: the ranges would cost as many bytes
     * and a round trip per batch on top. After a stream broke off, ranges only.
     */
    #readSpanIfDense(): void {
      // Called on every pump: the cheap checks come first.
      if (this.#spanBroke || this.#planner.queuedCount() < 2) return;
      // Every queued request lies inside the stretch: pdf.js takes answers at their first byte.
      const [begin, end] = this.#planner.queuedExtent()!;
      const wanted = this.#planner.queuedMissing().reduce((sum, [b, e]) => sum + (e - b), 0);
      if (wanted < SPAN_READ_MIN_BYTES) return;
      const missing = this.#planner.missingBytes(begin, end);
      // Dense, and not mostly bytes already here or on their way (those would come twice).
      if (wanted < SPAN_READ_SHARE * missing || missing < SPAN_READ_NEW_SHARE * (end - begin)) return;
      // A stretch around one still coming would fetch those bytes twice.
      this.#spanReads = this.#spanReads.filter((read) => !read.released);
      if (this.#spanReads.some((read) => !read.stopped && read.begin < end && begin < read.end)) return;
      const queue = this.#planner.takeQueue();
      const read = new FrontRead(this.#client, begin, end, { yields: false });
      this.#spanReads.push(read);
      this.#planner.markComing(begin, end);
      // Whatever the read does not bring (it broke off, or its copy is gone) is fetched on request.
      read.follow(
        () => {},
        () => {
          if (read.position < read.end && !this.#closed) this.#spanBroke = true;
          this.#planner.forget(begin, end);
        },
      );
      for (const [b, e] of queue) void this.#answerFrom(read.slice(b, e), b, e);
    }

    /**
     * pdf.js matches each answer to a request by its first byte, so bytes fetched ahead wait
     * until a request starts inside them, and then go out from that byte to their end (pdf.js
     * takes the extra chunks gladly).
     */
    #answerFromPrefetched(begin: number): boolean {
      const index = this.#prefetched.findIndex((range) => begin >= range.begin && begin < range.begin + range.bytes.byteLength);
      if (index < 0) return false;
      const [range] = this.#prefetched.splice(index, 1);
      const offset = begin - range!.begin;
      // The part before the request stays held for a later request that starts there.
      if (offset > 0) this.#prefetched.push({ begin: range!.begin, bytes: range!.bytes.subarray(0, offset) });
      const bytes = range!.bytes.subarray(offset);
      queueMicrotask(() => this.#deliver(begin, bytes));
      return true;
    }

    /**
     * Answers from bytes on their way (a streamed read, a read ahead) once they are here. If they
     * do not come (the stream broke off, the read failed), the range is fetched after all.
     */
    async #answerFrom(arriving: Promise<Uint8Array | null>, begin: number, end: number): Promise<void> {
      const bytes = await arriving;
      if (this.#closed) return;
      if (bytes) {
        this.#deliver(begin, bytes);
      } else {
        this.#planner.request(begin, end);
        this.#schedulePump();
      }
    }

    /**
     * Answers a request inside a stream that reaches pdf.js as its bytes in order, once the stream
     * has passed it: the bytes went to pdf.js that way, so the answer carries none (thousands of
     * page objects of a flat tree would otherwise cost a copy each, on the thread that reads the
     * stream). Bytes the stream brought but could not hand on in order go as a copy; a stream
     * that broke off leaves the range to be fetched.
     */
    async #answerInOrder(read: FrontRead, begin: number, end: number): Promise<void> {
      const arrived = await read.reached(end);
      if (this.#closed) return;
      const bytes = !arrived ? null : this.#inOrder >= end ? new Uint8Array(0) : read.here(begin, end);
      if (bytes) {
        this.onDataRange(begin, bytes);
      } else {
        this.#planner.request(begin, end);
        this.#schedulePump();
      }
    }

    /** Hands bytes to pdf.js; a prefetched range right behind them goes along in the same answer. */
    #deliver(begin: number, bytes: Uint8Array): void {
      if (this.#closed) return;
      const end = begin + bytes.byteLength;
      const next = this.#prefetched.findIndex((range) => range.begin === end);
      if (next >= 0) {
        const [range] = this.#prefetched.splice(next, 1);
        const joined = new Uint8Array(bytes.byteLength + range!.bytes.byteLength);
        joined.set(bytes);
        joined.set(range!.bytes, bytes.byteLength);
        bytes = joined;
      }
      this.onDataRange(begin, bytes);
    }

    #pump(): void {
      if (!this.#closed) this.#readSpanIfDense();
      while (!this.#closed && this.#active < this.#options.maxParallel) {
        const batch = this.#nextBatch();
        const first = batch[0];
        if (!first) return;
        this.#active++;
        void (batch.length === 1 ? this.#fetch(first[0], first[1]) : this.#fetchBatch(batch)).finally(() => {
          this.#active--;
          this.#pump();
        });
      }
    }

    /**
     * Requests that were queued before a read ahead (a stream through the page objects) set out
     * are answered from it as later ones are: sent, they would fetch its bytes twice.
     */
    #answerQueuedFromAhead(): void {
      const ahead = this.#ahead;
      if (this.#closed || !ahead || this.#planner.queuedCount() === 0) return;
      for (const [begin, end] of this.#planner.takeQueue()) {
        const arriving = ahead.answer(begin, end);
        if (arriving) void this.#answerFrom(arriving, begin, end);
        else this.#planner.request(begin, end);
      }
    }

    /**
     * The next ranges to ask for in one request: as many as are queued, within the caps, while
     * the server may serve them together; one otherwise. Only one request tries a server whose
     * answer is not known yet.
     */
    #nextBatch(): ByteRange[] {
      // The answer to the trial comes within a round trip and decides how the rest goes out.
      // (The page tree's read ahead may have had it meanwhile.)
      if (this.#multiRange === 'untried') this.#multiRange = this.#client.multiRange;
      if (this.#multiRange === 'untried' && this.#trying) return [];
      const first = this.#planner.next();
      if (!first) return [];
      const batch: ByteRange[] = [first];
      if (this.#multiRange === 'no') return batch;
      let bytes = first[1] - first[0];
      // As many as the server takes in one request (MAX_BATCH_RANGES, fewer after a 416).
      while (batch.length < this.#client.rangesPerRequest && bytes < MAX_BATCH_BYTES) {
        const next = this.#planner.next();
        if (!next) break;
        batch.push(next);
        bytes += next[1] - next[0];
      }
      if (batch.length > 1 && this.#multiRange === 'untried') this.#trying = true;
      return batch;
    }

    /** Ranges the server did not bring in a multi-range answer go back to be fetched one by one. */
    async #fetchBatch(batch: ByteRange[]): Promise<void> {
      try {
        const { missing } = await this.#client.fetchRanges(
          batch,
          (begin, bytes) => this.#deliver(begin, bytes),
          (answer) => this.#learn(answer),
        );
        for (const [begin, end] of missing) {
          this.#planner.forget(begin, end);
          // Asked anew: the read ahead may have sent for them while the refused request was out.
          this.requestDataRange(begin, end);
        }
      } catch (error) {
        if (this.#closed) return;
        this.abort();
        this.#options.onFatal(asViewerError(error));
      } finally {
        // The request failed before its answer was known: batching is not tried again.
        if (this.#trying) this.#learn('single-only');
      }
    }

    /**
     * The first answer to several ranges tells how this server serves them; what waited goes out.
     * Any later refusal (a 200, or one merged part far larger than asked) turns batching off for
     * good: asking again would only be refused again.
     */
    #learn(answer: 'multipart' | 'single-only'): void {
      if (answer === 'single-only') this.#multiRange = 'no';
      else if (this.#multiRange === 'untried') this.#multiRange = 'yes';
      if (!this.#trying) return;
      this.#trying = false;
      this.#pump();
    }

    async #fetch(begin: number, end: number): Promise<void> {
      try {
        const bytes = await this.#client.fetchRange(begin, end);
        this.#deliver(begin, bytes);
      } catch (error) {
        if (this.#closed) return;
        this.abort();
        this.#options.onFatal(asViewerError(error));
      }
    }
  };
}

