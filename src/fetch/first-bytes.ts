import type { PrefetchedRange } from './byte-ranges.ts';
import { DocumentClient, type ProbeResult, type TokenAccess } from './document-client.ts';
import { FrontRead } from './front-read.ts';
import type { AheadReads } from './page-tree/ahead-reads.ts';
import { kidsInFirstBytes, mayReadPageTreeAhead } from './page-tree/page-tree-hint.ts';

/**
 * pdf.js's unit of loading, far below its default (64 KiB). Before the first page pdf.js reads
 * every page object of a flat page tree, each costing whole chunks: with 512 bytes a page object
 * of about 200 bytes costs 1 KiB on average (2.3 KiB with 2 KiB chunks). Those objects are read
 * ahead in a few multi-range requests (page-tree-ahead.ts); what pdf.js asks for on its own is
 * read on to 2 KiB (range-transport.ts).
 */
export const RANGE_CHUNK_SIZE = 512;
/** The first request and the end-of-file prefetch each take this much. */
export const OPENING_BYTES = 65_536;
/** How far from the start of the file the front is read on while pdf.js starts. */
export const FRONT_BYTES = 524_288;
/**
 * A file up to this size is read whole from the start, in parallel with pdf.js starting: about
 * what the link carries while pdf.js starts and walks its page tree, so reading it all costs
 * little more than reading what page 1 needs, and never more than fetching the file would.
 */
export const WHOLE_FILE_BYTES = 4_194_304;
/**
 * A page tree whose first bytes list this many kids costs, on a server that serves one range per
 * request, at least 64 round trips over HTTP/1.1 to walk: how the server answers several ranges
 * is asked at once, so that a stream through the file, if cheaper, sets out early.
 */
const MANY_KIDS = 256;

type RangedProbe = Extract<ProbeResult, { kind: 'ranged' }>;

/** The document's first bytes, on their way before pdf.js itself has loaded. */
export interface FirstBytes {
  client: DocumentClient;
  probe: Promise<ProbeResult>;
  /** The end of the file, where pdf.js looks first (trailer, cross-reference table); null if not worth it. */
  tail: Promise<PrefetchedRange | null>;
  /** The front of the file after the first chunk, streaming; null if the file is small or whole. */
  front: Promise<FrontRead | null>;
  /**
   * A small file (up to WHOLE_FILE_BYTES) read whole: all of it once here, for pdf.js to open
   * from memory; null for larger files or when a part could not be had (then it loads by ranges).
   */
  whole: Promise<Uint8Array | null>;
  /**
   * The page tree's objects, read ahead of pdf.js once the end of the file is here and the code
   * that reads them has loaded (page-tree-ahead.ts); null when not worth it.
   */
  ahead: Promise<AheadReads | null>;
}

export interface FirstBytesOptions {
  signal: AbortSignal;
  /** Body bytes received over every request of this document, once its size is known. */
  onProgress?: (loaded: number, total: number) => void;
}

/**
 * Starts fetching a document at once, in parallel with loading pdf.js: the first chunk (which
 * tells the size and whether ranges work), then together the last chunk or two, which pdf.js
 * always reads next, and the front of the file read on. All of it overlaps with pdf.js starting
 * instead of following it.
 */
export function fetchFirstBytes(url: string, tokens: TokenAccess, options: FirstBytesOptions): FirstBytes {
  let received = 0;
  let total = 0;
  const report = () => total > 0 && options.onProgress?.(Math.min(received, total), total);
  const client = new DocumentClient(url, tokens, {
    signal: options.signal,
    onBytes: (count) => {
      received += count;
      report();
    },
  });
  const probe = client.probe(OPENING_BYTES);
  probe.then(
    (first) => {
      total = first.kind === 'ranged' ? first.total : first.data.byteLength;
      report();
    },
    () => {},
  );
  /** How long the end of the file took to come: the link's rate when nothing else tells it. */
  let tailMs = 0;
  const tailBegin = (first: RangedProbe): number =>
    Math.max(first.initial.byteLength, Math.floor((first.total - OPENING_BYTES) / RANGE_CHUNK_SIZE) * RANGE_CHUNK_SIZE);
  const tail = probe.then(
    async (first) => {
      if (first.kind !== 'ranged') return null;
      const begin = tailBegin(first);
      if (begin >= first.total) return null;
      try {
        const sentAt = performance.now();
        const bytes = await client.fetchRange(begin, first.total);
        tailMs = performance.now() - sentAt;
        return { begin, bytes };
      } catch {
        // pdf.js asks for these bytes itself and meets the same failure there, with a typed error.
        return null;
      }
    },
    () => null,
  );
  // Second, so that the tail, which pdf.js reads first, goes out first.
  const front = probe.then(
    (first) => {
      if (first.kind !== 'ranged') return null;
      const whole = first.total <= WHOLE_FILE_BYTES;
      const end = whole ? tailBegin(first) : Math.min(FRONT_BYTES, firstPageEnd(first.initial), tailBegin(first));
      return end > first.initial.byteLength ? new FrontRead(client, first.initial.byteLength, end, { yields: !whole }) : null;
    },
    () => null,
  );
  const whole = Promise.all([probe, tail, front]).then(
    async ([first, end, middle]) => {
      if (first.kind !== 'ranged' || first.total > WHOLE_FILE_BYTES) return null;
      const middleBytes = middle ? await middle.slice(middle.begin, middle.end) : new Uint8Array(0);
      middle?.release();
      if (!middleBytes || !end) return null;
      const data = new Uint8Array(first.total);
      data.set(first.initial);
      data.set(middleBytes, first.initial.byteLength);
      data.set(end.bytes, end.begin);
      return data;
    },
    () => null,
  );
  let kids = 0;
  const trial = probe
    .then((first) => {
      if (first.kind !== 'ranged' || first.total <= WHOLE_FILE_BYTES) return null;
      kids = kidsInFirstBytes(first.initial);
      if (kids < MANY_KIDS) return null;
      // The read ahead will be wanted: its code loads while the end of the file comes.
      void import('./page-tree/page-tree-ahead.ts').catch(() => {});
      return client.askSeveralRanges();
    })
    .catch(() => null);
  // Only when the end of the file shows it may help; its code loads then.
  const ahead = Promise.all([probe, tail, front])
    .then(async ([first, end, frontRead]) => {
      if (first.kind !== 'ranged' || first.total <= WHOLE_FILE_BYTES || !end) return null;
      if (!mayReadPageTreeAhead(first.initial, end, frontRead?.end ?? first.initial.byteLength)) return null;
      // Copies, made before the code loads: pdf.js may transfer these buffers to its worker
      // meanwhile (a copy made after that would be empty).
      const held = [
        { begin: 0, bytes: first.initial.slice() },
        { begin: end.begin, bytes: end.bytes.slice() },
      ];
      // Its requests need the code for several ranges: both load at once.
      client.prepareRanges();
      const { readPageTreeAhead } = await import('./page-tree/page-tree-ahead.ts');
      return readPageTreeAhead({
        client,
        url,
        total: first.total,
        chunkSize: RANGE_CHUNK_SIZE,
        held,
        front: frontRead,
        tailMs,
        trial,
        kids,
      });
    })
    .catch(() => null);
  return { client, probe, tail, front, whole, ahead };
}

/**
 * A linearized file says where the objects of its first page end (`/E` of its linearization
 * dictionary, in its first bytes): the front read stops there (chunk-aligned), as nothing beyond
 * is needed first. Infinity for any other file.
 */
export function firstPageEnd(initial: Uint8Array): number {
  const head = new TextDecoder('latin1').decode(initial.subarray(0, 1024));
  const end = /\/Linearized\b[^>]*?\/E\s+(\d+)/.exec(head);
  return end ? Math.ceil(Number(end[1]) / RANGE_CHUNK_SIZE) * RANGE_CHUNK_SIZE : Infinity;
}

