import { AheadReads, firstAbove } from './ahead-reads.ts';
import { MAX_BATCH_BYTES, MAX_BATCH_RANGES } from '../batch-limits.ts';
import { concat, joinTouching, type ByteRange } from '../byte-ranges.ts';
import type { DocumentClient } from '../document-client.ts';
import { FrontRead } from '../front-read.ts';
import { cheaperToStream, estimateLink, streamBeatsWalk, type Link } from '../link-estimate.ts';
import { dictEntries, objectDict, refNumber, refNumbers } from '../../../shared/pdf-syntax/pdf-dict.ts';
import { bytesToText, findStartXref } from '../../../shared/pdf-syntax/xref.ts';
import { readXrefSection, type XrefSection } from './pdf-syntax.ts';
import { XrefStreamWalk, type WalkBytes } from './xref-stream-walk.ts';

export interface PageTreeAheadOptions {
  client: DocumentClient;
  /** The document's URL: Resource Timing may tell its protocol. */
  url: string;
  total: number;
  /** pdf.js's chunk size: reads are aligned to it, as pdf.js's requests are. */
  chunkSize: number;
  /** Bytes in hand: the first chunk and the end of the file. */
  held: ReadonlyArray<{ begin: number; bytes: Uint8Array }>;
  /** The streamed front, if any: its bytes are not asked for again, and its rate measures the link. */
  front: FrontRead | null;
  /** How long the end of the file (the last of `held`) took to come: the link's rate when the front cannot tell. */
  tailMs?: number;
  /**
   * The round trip of a refused request for several ranges sent early (first-bytes.ts), once it
   * is answered; null when the server served them, or none was sent.
   */
  trial?: Promise<number | null>;
  /** Kids listed in the first bytes (a flat page tree's root): what a walk would fetch, before the table says where. */
  kids?: number;
}

/** A page object is a small dictionary; a larger one is left for pdf.js to ask for. */
const MAX_PAGE_OBJECT_BYTES = 8192;
/** What a page object costs in the walk, chunks included, before the table tells. */
const PAGE_OBJECT_COST_BYTES = 1024;
/**
 * pdf.js's parser reads one token ahead: after `endobj`, the next object's number. Reading this
 * far past an object's end spares pdf.js a request for the chunk that token starts in.
 */
const LOOKAHEAD_BYTES = 32;
/** The catalog and the root of the page tree (whose kids array lists every page of a flat tree). */
const MAX_NODE_BYTES = 262_144;
/** A cross-reference table of this size lists about 200,000 objects. */
const MAX_XREF_BYTES = 4_194_304;
const MAX_XREF_SECTIONS = 8;
/**
 * Read-ahead requests out at once: the rest of the browser's six connections stay for pdf.js's
 * own requests, which on a slow link would otherwise wait behind these (and time out).
 */
const MAX_IN_FLIGHT = 4;
/**
 * The walk through object streams reads an object in the aligned window of this size around it
 * (pdf.js's default range requests are this large): a producer writes a page's objects near each
 * other, so the next level of the walk often lies in bytes already read, and a round trip of the
 * chain is saved for a few milliseconds of bytes.
 */
const WALK_WINDOW_BYTES = 65_536;
/** Windows and waits for one read of the walk, at most. */
const MAX_WALK_STEPS = 64;
/**
 * Above this share of the file, the page objects are better read by pdf.js's requests as they
 * come on a server that serves several ranges a request (a dense stretch is then one streamed
 * read); on one that serves one range per request, the cost model picks a walk or a stream.
 */
const MAX_SHARE_OF_FILE = 0.25;
/**
 * Before the first page, pdf.js reads the page object of every kid of the root of the page tree
 * (to find the last page), one worker message and one range each. Its worker takes most of a
 * second to start, and the connection is idle meanwhile. This reads the cross-reference table
 * from the end of the file the loader already holds, finds the catalog, the page tree's root and
 * its kids, and fetches exactly those objects in a few multi-range requests, so that pdf.js's
 * requests are answered from memory. On a server that serves one range per request, they come
 * one request each, several at once, or, when that would take longer, as one streamed read from
 * the first to the last (see `cheaperToStream`). Best effort: anything it cannot read (a
 * cross-reference stream, a kids array that is not plain references) stops it, and pdf.js asks
 * for what it needs as before.
 */
export function readPageTreeAhead(options: PageTreeAheadOptions): AheadReads {
  const ahead = new AheadReads();
  void new PageTreeRead(options, ahead).run().catch(() => {});
  return ahead;
}

class PageTreeRead {
  readonly #options: PageTreeAheadOptions;
  readonly #ahead: AheadReads;
  readonly #held: Array<{ begin: number; bytes: Uint8Array }>;
  readonly #offsets = new Map<number, number>();
  /** Every offset where an object or a cross-reference section starts, sorted: an object ends at the next. */
  #starts: number[] = [];
  /** The page objects fetched one request each. */
  readonly #fetchedSingly: ByteRange[] = [];
  /** The walk's windows on their way: a read inside one waits for it. */
  readonly #windows: Array<{ begin: number; end: number; arrived: Promise<unknown> }> = [];
  /** The stream through the file set out before the page objects' places were known (`#streamEarly`). */
  #early: FrontRead | null = null;
  /** `#streamEarly` on its way, if it was called: `#fetchSingly` waits for its choice. */
  #earlyStream: Promise<void> | null = null;
  /** True once `#fetchSingly` chose to keep the early stream: on every other way out it stops. */
  #earlyKept = false;
  /** True once `run` is over: an early stream whose answer comes later does not set out. */
  #finished = false;

  constructor(options: PageTreeAheadOptions, ahead: AheadReads) {
    this.#options = options;
    this.#ahead = ahead;
    this.#held = [...options.held].sort((a, b) => a.begin - b.begin);
  }

  async run(): Promise<void> {
    try {
      await this.#run();
    } finally {
      this.#finished = true;
      // Only the page objects' stream is worth its bytes: on any other way out (a cross-reference
      // stream, a damaged table, too few kids, an error) it would fetch the file's middle for
      // nothing and hold pdf.js's requests inside it until it got there.
      if (!this.#earlyKept) this.#stopEarly();
    }
  }

  async #run(): Promise<void> {
    const tail = this.#held.at(-1);
    if (!tail || tail.begin + tail.bytes.byteLength !== this.#options.total) return;
    const start = findStartXref(bytesToText(tail.bytes.subarray(-1024)));
    if (start === null || start >= this.#options.total) return;
    if (/^\s*xref/.test(bytesToText(this.#contiguous(start)?.subarray(0, 16) ?? new Uint8Array()))) {
      // A table in hand: the page objects' places are a read from memory away.
      this.#earlyStream = this.#streamEarly(start);
    } else if (await new XrefStreamWalk(this.#walkBytes()).run(start)) {
      // A cross-reference stream, read by its own walk.
      return;
    }
    const trailer = await this.#readXref(start);
    if (!trailer) return;
    // A table that was not in hand is one now.
    this.#earlyStream ??= this.#streamEarly(start);
    const catalog = await this.#object(refNumber(trailer.get('Root')), MAX_NODE_BYTES);
    const root = await this.#object(refNumber(catalog?.get('Pages')), MAX_NODE_BYTES);
    const kids = refNumbers(root?.get('Kids'));
    if (!kids || kids.length < 2) return;
    await this.#fetchAll(this.#objectRanges(kids));
  }

  /**
   * On a server that serves one range per request (the early trial's answer), when walking the
   * kids listed in the first bytes would cost more than streaming the file up to its
   * cross-reference table: that stream sets out now, alongside the table's read, rather than once
   * the table has told where the page objects lie. `#fetchSingly` keeps it or stops it then.
   */
  async #streamEarly(xrefStart: number): Promise<void> {
    const { trial, kids = 0, front, chunkSize, client } = this.#options;
    const refusedMs = await trial;
    if (!refusedMs || client.multiRange !== 'no' || this.#ahead.released || this.#finished) return;
    const begin = front ? (front.stopped ? front.position : front.end) : this.#held[0]!.bytes.byteLength;
    // Up to the table, whose read starts at a chunk boundary at or before it, or the bytes in
    // hand after the front if they begin sooner: no byte comes twice.
    const end = Math.min(Math.floor(xrefStart / chunkSize) * chunkSize, this.#held.find((range) => range.begin >= begin)?.begin ?? Infinity);
    const link = this.#link(refusedMs);
    if (!link || end <= begin || !streamBeatsWalk(kids, kids * PAGE_OBJECT_COST_BYTES, end - begin, link)) return;
    // Going on from the front's end: the front brings every byte up to there.
    if (front && !front.stopped) front.goOn();
    this.#early = new FrontRead(client, begin, end, { yields: false });
    this.#ahead.stream(this.#early, chunkSize);
  }

  /** The early stream's bytes are not needed: it stops, and pdf.js's requests inside it go out. */
  #stopEarly(): void {
    this.#early?.release();
    this.#early = null;
  }

  /**
   * The link as measured: `rttMs` given, the rate the front read's (or, when it brought too
   * little to tell, the end of the file's read less one round trip).
   */
  #link(rttMs: number): Link | null {
    const { url, front } = this.#options;
    const tail = this.#options.held.at(-1)!.bytes.byteLength;
    const tailMs = this.#options.tailMs ?? 0;
    return estimateLink(url, rttMs, front?.rate || (tailMs > 0 ? tail / Math.max(tailMs - rttMs, tailMs / 4) : 0));
  }

  /**
   * The bytes as the cross-reference stream's walk reads them: from hand, from the streamed front
   * when it brings them, else fetched (held for pdf.js), MAX_IN_FLIGHT requests at most at once.
   */
  #walkBytes(): WalkBytes {
    const { total, front } = this.#options;
    let inFlight = 0;
    const waiting: Array<() => void> = [];
    return {
      total,
      contiguous: (begin) => this.#contiguous(begin),
      heldAfter: (offset) => this.#held.find((range) => range.begin > offset)?.begin ?? total,
      read: async (begin, end, wide) => {
        const here = this.#contiguous(begin, end);
        if (here) return here;
        if (front?.covers(begin, end)) {
          const coming = await front.slice(begin, end);
          if (coming) return coming;
        }
        // Window by window: each brings the first bytes not in hand, after any window on its way there.
        for (let step = 0; step < MAX_WALK_STEPS; step++) {
          const missing = this.#firstMissing(begin, end);
          if (missing === null) break;
          const coming = this.#windows.find((window) => window.begin <= missing && missing < window.end);
          if (coming) {
            if (!(await coming.arrived)) return null;
            continue;
          }
          if (inFlight >= MAX_IN_FLIGHT) {
            await new Promise<void>((resume) => waiting.push(resume));
            continue;
          }
          inFlight++;
          const [from, to] = wide ? this.#window(missing, end) : [missing, end];
          const window = { begin: from, end: to, arrived: this.#read(from, to) };
          this.#windows.push(window);
          try {
            if (!(await window.arrived)) return null;
          } finally {
            this.#windows.splice(this.#windows.indexOf(window), 1);
            inFlight--;
            waiting.shift()?.();
          }
        }
        return this.#contiguous(begin, end);
      },
    };
  }

  /**
   * The aligned window around [begin, end) (WALK_WINDOW_BYTES a side), cut where bytes in hand or
   * on their way begin or end (no byte is fetched twice).
   */
  #window(begin: number, end: number): ByteRange {
    let from = Math.floor(begin / WALK_WINDOW_BYTES) * WALK_WINDOW_BYTES;
    let to = Math.min(this.#options.total, Math.ceil(end / WALK_WINDOW_BYTES) * WALK_WINDOW_BYTES);
    const { front } = this.#options;
    const taken = [...this.#held.map((range) => [range.begin, range.begin + range.bytes.byteLength] as const), ...this.#windows.map((w) => [w.begin, w.end] as const)];
    if (front) taken.push([front.begin, front.end]);
    for (const [b, e] of taken) {
      if (e <= begin) from = Math.max(from, e);
      else if (b > begin) to = Math.min(to, b);
      else return [begin, end];
    }
    return [from, to];
  }

  /** The first byte of [begin, end) not in hand, or null when all of it is. */
  #firstMissing(begin: number, end: number): number | null {
    let at = begin;
    for (const range of this.#held) if (range.begin <= at && at < range.begin + range.bytes.byteLength) at = range.begin + range.bytes.byteLength;
    return at < end ? at : null;
  }

  /** Reads the cross-reference sections from the newest back; the newest trailer, or null. */
  async #readXref(start: number | null): Promise<Map<string, string> | null> {
    let trailer: Map<string, string> | null = null;
    const sections: number[] = [];
    for (let offset = start; offset !== null && sections.length < MAX_XREF_SECTIONS; ) {
      if (sections.includes(offset) || offset >= this.#options.total) break;
      sections.push(offset);
      const section = await this.#xrefSection(offset);
      if (!section) return null;
      // A newer section's entry wins over an older one's.
      for (const [number, at] of section.offsets) if (!this.#offsets.has(number)) this.#offsets.set(number, at);
      const entries = dictEntries(section.trailer);
      trailer ??= entries;
      const prev = Number(entries.get('Prev'));
      offset = Number.isSafeInteger(prev) && prev >= 0 ? prev : null;
    }
    this.#starts = [...new Set([...this.#offsets.values(), ...sections, this.#options.total])].sort((a, b) => a - b);
    return trailer;
  }

  async #xrefSection(offset: number): Promise<XrefSection | null> {
    const here = this.#contiguous(offset);
    const section = here ? readXrefSection(bytesToText(here)) : 'incomplete';
    if (section !== 'incomplete') return section;
    // Up to the next bytes in hand: a table reads on into the trailer, usually already here.
    const next = this.#held.find((range) => range.begin > offset)?.begin ?? this.#options.total;
    if (next - offset > MAX_XREF_BYTES) return null;
    await this.#read(offset, next);
    const all = this.#contiguous(offset);
    const retried = all ? readXrefSection(bytesToText(all)) : null;
    return retried === 'incomplete' ? null : retried;
  }

  /** The dictionary of object `number`, read from the bytes in hand or fetched (and held for pdf.js). */
  async #object(number: number | null, maxBytes: number): Promise<Map<string, string> | null> {
    const extent = number === null ? null : this.#extent(number, maxBytes);
    if (!extent) return null;
    const bytes = await this.#read(extent[0], extent[1]);
    return bytes ? objectDict(bytesToText(bytes)) : null;
  }

  /**
   * Where object `number` lies, with the token after it that pdf.js reads: from its offset to the
   * next object's, at most `maxBytes`.
   */
  #extent(number: number, maxBytes: number): ByteRange | null {
    const begin = this.#offsets.get(number);
    // A damaged table may place an object beyond the end of the file.
    if (begin === undefined || begin >= this.#options.total) return null;
    const next = this.#starts[firstAbove(this.#starts, begin, (start) => start)] ?? this.#options.total;
    return [begin, Math.min(next + LOOKAHEAD_BYTES, begin + maxBytes, this.#options.total)];
  }

  /** The chunk-aligned ranges that hold the kids' objects and are not in hand or coming, merged. */
  #objectRanges(kids: number[]): ByteRange[] {
    const { chunkSize, total, front } = this.#options;
    const aligned = kids
      .map((kid) => this.#extent(kid, MAX_PAGE_OBJECT_BYTES))
      .filter((extent): extent is ByteRange => extent !== null)
      .map(([begin, end]) => [Math.floor(begin / chunkSize) * chunkSize, Math.min(total, Math.ceil(end / chunkSize) * chunkSize)] as const)
      .filter(([begin, end]) => end > begin && !this.#contiguous(begin, end) && !(front && begin >= front.begin && end <= front.end))
      .sort((a, b) => a[0] - b[0]);
    return joinTouching(aligned);
  }

  /**
   * Fetches the ranges in multi-range requests, up to MAX_IN_FLIGHT at once, each finished one
   * sending the next. While the server's answer to several ranges is not known, the first goes
   * alone until its answer starts. On a server that serves one range per request, the ranges not
   * yet here go on one per request (`#fetchSingly`).
   */
  async #fetchAll(ranges: ByteRange[]): Promise<void> {
    const bytes = ranges.reduce((sum, [begin, end]) => sum + end - begin, 0);
    if (ranges.length === 0) return;
    // Dense page objects: on a server that serves several ranges, pdf.js's own rows of requests
    // read them as well. On one that serves one range per request, they are a walk or a stream.
    const dense = bytes > MAX_SHARE_OF_FILE * this.#options.total;
    const batches: ByteRange[][] = [];
    for (const range of ranges) {
      const batch = batches.at(-1);
      const size = (batch ?? []).reduce((sum, [begin, end]) => sum + end - begin, 0);
      if (batch && batch.length < MAX_BATCH_RANGES && size + range[1] - range[0] <= MAX_BATCH_BYTES) batch.push(range);
      else batches.push([range]);
    }
    // All of them on their way from now: pdf.js's requests for them wait rather than go out twice.
    const settle = new Map(ranges.map(([begin, end]) => [begin, this.#ahead.expect(begin, end)]));
    const { client } = this.#options;
    const sendOn = async (): Promise<void> => {
      for (let batch = batches.shift(); batch && client.multiRange !== 'no'; batch = batches.shift()) await this.#fetchBatch(batch, settle);
    };
    const sendAll = () => Promise.all(Array.from({ length: MAX_IN_FLIGHT }, sendOn));
    let trialMs: number | undefined;
    try {
      if (client.multiRange === 'yes') {
        if (!dense) await sendAll();
      } else if (client.multiRange === 'untried') {
        let rest: Promise<unknown> | undefined;
        const sentAt = performance.now();
        await this.#fetchBatch(batches.shift()!, settle, (answer) => {
          // A retry of this request (after a 401, or a body that broke off) answers again.
          if (answer === 'multipart' && !dense) rest ??= sendAll();
          // A refusal comes a round trip after the request: what one request costs now.
          trialMs ??= performance.now() - sentAt;
        });
        await rest;
      }
      // The early question's refusal measured a round trip; a request for several ranges sent
      // while it was out was answered with it, and measured only the wait.
      trialMs = (await this.#options.trial) ?? trialMs;
      if (client.multiRange === 'no') await this.#fetchSingly(ranges.filter(([begin]) => settle.has(begin)), settle, trialMs);
    } finally {
      // What did not come is pdf.js's to ask for.
      for (const done of settle.values()) done(null);
    }
  }

  /**
   * One multi-range request. Ranges the server did not bring stay unsettled: they are read one
   * per request next, or left to pdf.js.
   */
  async #fetchBatch(
    batch: ByteRange[],
    settle: Map<number, (bytes: Uint8Array | null) => void>,
    onAnswer?: (answer: 'multipart' | 'single-only') => void,
  ): Promise<void> {
    try {
      await this.#options.client.fetchRanges(batch, (begin, bytes) => this.#settle(settle, begin, bytes), onAnswer);
    } catch {
      // What did not come is read singly, or pdf.js's to ask for.
    }
  }

  /**
   * The ranges on a server that serves one range per request: one streamed read from the first
   * to the last when that comes sooner (see `cheaperToStream`), else one request each, as many
   * at once as the link takes. The first range's request measures what one request costs now
   * (its round trip, and its wait behind what else the link carries); the front read, what a
   * stream brings.
   */
  async #fetchSingly(ranges: ByteRange[], settle: Map<number, (bytes: Uint8Array | null) => void>, trialMs?: number): Promise<void> {
    // The refused request for several ranges already measured a round trip: the stream, when it
    // is cheaper, starts at once.
    const trialLink = trialMs === undefined ? null : this.#link(trialMs);
    // Whether the early stream set out is known once its answer came, whatever came first.
    await this.#earlyStream;
    const early = this.#early;
    let broughtEarly: Promise<unknown> = Promise.resolve();
    if (early && !early.released) {
      if (trialLink && cheaperToStream(ranges, trialLink)) {
        // The stream on its way brings the ranges within it; any others go on as below.
        const within = ranges.filter(([from, to]) => from >= early.begin && to <= early.end);
        // Held only until they settle, as `#streamThrough`'s: pdf.js's requests go to the stream,
        // and copies kept for a document's life would add up to megabytes on a large flat tree.
        broughtEarly = Promise.all(
          within.map(async ([from, to]) => {
            this.#settle(settle, from, await early.slice(from, to));
            this.#ahead.forget(from, to);
          }),
        );
        ranges = ranges.filter((range) => !within.includes(range));
        this.#earlyKept = true;
      } else {
        // The page objects lie where a walk costs less: the bytes between are not needed.
        this.#stopEarly();
      }
    }
    try {
      await this.#fetchOthers(ranges, settle, trialLink);
    } finally {
      await broughtEarly;
    }
  }

  /** `#fetchSingly` for the ranges no early stream brings. */
  async #fetchOthers(ranges: ByteRange[], settle: Map<number, (bytes: Uint8Array | null) => void>, trialLink: Link | null): Promise<void> {
    const { front } = this.#options;
    if (trialLink && cheaperToStream(ranges, trialLink)) {
      await this.#streamThrough(ranges, settle);
      return;
    }
    const pending = [...ranges];
    const first = pending.shift();
    if (!first) return;
    const sentAt = performance.now();
    await this.#fetchOne(first, settle);
    const link = this.#link(performance.now() - sentAt);
    if (link && cheaperToStream(pending, link)) {
      await this.#streamThrough(pending, settle);
      return;
    }
    // The walk measures itself: once a few rounds are done with the link to itself (the front read
    // no longer streaming), what each request really cost (round trips, the link, and the page's
    // own work for every request) tells whether streaming through the rest comes sooner after all.
    const parallel = link?.parallel ?? MAX_IN_FLIGHT;
    let walkFrom = 0;
    let done = 0;
    let rest: ByteRange[] | null = null;
    const sendOn = async (): Promise<void> => {
      for (let range = pending.shift(); range && !this.#ahead.released && !rest; range = pending.shift()) {
        await this.#fetchOne(range, settle);
        if (front && !front.stopped) continue;
        // The first request done with the link to itself starts the clock.
        walkFrom ||= performance.now();
        if (++done <= 2 * parallel || !link) continue;
        const costMs = (performance.now() - walkFrom) / (done - 1);
        if (cheaperToStream(pending, { ...link, rttMs: costMs * parallel })) rest = pending.splice(0);
      }
    };
    await Promise.all(Array.from({ length: parallel }, sendOn));
    if (rest) await this.#streamThrough(rest, settle);
  }


  async #fetchOne([begin, end]: ByteRange, settle: Map<number, (bytes: Uint8Array | null) => void>): Promise<void> {
    this.#fetchedSingly.push([begin, end]);
    try {
      this.#settle(settle, begin, await this.#options.client.fetchRange(begin, end));
    } catch {
      // pdf.js asks for it itself.
    }
  }

  /**
   * One streamed read from the first range's start to the last one's end. Each range is handed
   * over as soon as the read has passed it, and any request of pdf.js inside the read is answered
   * from it (page 1's objects among the page objects come no second time).
   */
  async #streamThrough(ranges: ByteRange[], settle: Map<number, (bytes: Uint8Array | null) => void>): Promise<void> {
    const { front, held } = this.#options;
    const end = ranges.at(-1)![1];
    // Going on from where the front ended, the stream reaches pdf.js as the bytes in order do (see
    // AuthorizedRangeTransport), for a few bytes more when the first range lies a little further;
    // not when the page objects already fetched there would come twice for more bytes than the
    // stream leaves out before the end of the file in hand (never more bytes than the file).
    const first = ranges[0]![0];
    const position = front?.stopped ? front.position : -1;
    const twice = this.#fetchedSingly.filter(([b]) => b >= position && b < first).reduce((sum, [b, e]) => sum + e - b, 0);
    const chained = position >= 0 && position <= first && first - position <= 0.1 * (end - first) && twice <= held.at(-1)!.begin - end;
    const begin = chained ? position : first;
    const read = new FrontRead(this.#options.client, begin, end, { yields: false });
    this.#ahead.stream(read, this.#options.chunkSize);
    // Requests already waiting for one of these get it as the stream passes; later ones go to the stream.
    await Promise.all(ranges.map(async ([from, to]) => this.#settle(settle, from, await read.slice(from, to))));
    this.#ahead.forget(begin, end);
  }

  #settle(settle: Map<number, (bytes: Uint8Array | null) => void>, begin: number, bytes: Uint8Array | null): void {
    settle.get(begin)?.(bytes);
    settle.delete(begin);
  }

  /**
   * Bytes [begin, end) from what is in hand, fetching them (chunk-aligned, and held for pdf.js)
   * when they are not; null if they cannot be had.
   */
  async #read(begin: number, end: number): Promise<Uint8Array | null> {
    const here = this.#contiguous(begin, end);
    if (here) return here;
    // An older table or a node the early stream brings: not fetched a second time.
    const early = this.#early;
    if (early?.covers(begin, end)) {
      const coming = await early.slice(begin, end);
      if (coming) return coming;
    }
    const { chunkSize, total, client } = this.#options;
    const from = Math.floor(begin / chunkSize) * chunkSize;
    const to = Math.min(total, Math.ceil(end / chunkSize) * chunkSize);
    const settle = this.#ahead.expect(from, to);
    try {
      const bytes = await client.fetchRange(from, to);
      settle(bytes);
      this.#held.push({ begin: from, bytes });
      this.#held.sort((a, b) => a.begin - b.begin);
      return bytes.subarray(begin - from, end - from);
    } catch {
      settle(null);
      return null;
    }
  }

  /**
   * Bytes from `begin` through every range in hand that touches the next (to `end` if given, and
   * then only if all of [begin, end) is here), or null.
   */
  #contiguous(begin: number, end?: number): Uint8Array | null {
    const parts: Uint8Array[] = [];
    let at = begin;
    for (const range of this.#held) {
      const rangeEnd = range.begin + range.bytes.byteLength;
      if (range.begin > at || rangeEnd <= at) continue;
      parts.push(range.bytes.subarray(at - range.begin, end === undefined ? undefined : Math.min(end, rangeEnd) - range.begin));
      at = rangeEnd;
      if (end !== undefined && at >= end) break;
    }
    if (parts.length === 0 || (end !== undefined && at < end)) return null;
    return concat(parts, parts.reduce((sum, part) => sum + part.byteLength, 0));
  }
}
