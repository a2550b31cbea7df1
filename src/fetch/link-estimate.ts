import type { ByteRange } from './byte-ranges.ts';

/** What the link to the document's server was seen to do. */
export interface Link {
  /** A request's round trip: from sending it to the first byte of its answer. */
  rttMs: number;
  /** Bytes an answer brings a millisecond once it flows. */
  bytesPerMs: number;
  /** Requests that go out at once: the browser's six connections over HTTP/1.1, streams over HTTP/2 and 3. */
  parallel: number;
}

/**
 * Requests at once over HTTP/1.1: four of the browser's six connections per origin, the rest
 * staying free for pdf.js's own requests.
 */
const HTTP1_PARALLEL = 4;
/** Over HTTP/2 or 3 every request shares one connection; servers take 100 streams or more at once. */
const MULTIPLEXED_PARALLEL = 24;

/**
 * The link from what was measured: `rttMs` on an answer that carried next to no body, the
 * bandwidth on a streamed read (FrontRead.rate). The protocol is Resource Timing's for `url`
 * where it tells (HTTP/1.1 where it does not: a full buffer, or a server that hides it).
 */
export function estimateLink(url: string, rttMs: number, bytesPerMs: number): Link | null {
  if (!(bytesPerMs > 0 && rttMs > 0)) return null;
  const entries = globalThis.performance?.getEntriesByName?.(url, 'resource') ?? [];
  const protocol = (entries.at(-1) as PerformanceResourceTiming | undefined)?.nextHopProtocol;
  return { rttMs, bytesPerMs, parallel: protocol === 'h2' || protocol === 'h3' ? MULTIPLEXED_PARALLEL : HTTP1_PARALLEL };
}

/**
 * Whether the sorted `ranges` come sooner as one streamed read from the first to the last than
 * one request each on a server that serves one range per request: the requests cost a round
 * trip per `parallel` of them and their bytes, the stream a round trip and every byte between.
 */
export function cheaperToStream(ranges: readonly ByteRange[], link: Link): boolean {
  const first = ranges[0];
  const last = ranges.at(-1);
  if (!first || !last || ranges.length < 2) return false;
  const bytes = ranges.reduce((sum, [begin, end]) => sum + end - begin, 0);
  return streamBeatsWalk(ranges.length, bytes, last[1] - first[0], link);
}

/**
 * The same choice before the objects' places are known: `count` objects of `bytes` in all, one
 * request each, against one stream through `span` bytes.
 */
export function streamBeatsWalk(count: number, bytes: number, span: number, link: Link): boolean {
  if (count < 2) return false;
  const walkMs = Math.ceil(count / link.parallel) * link.rttMs + bytes / link.bytesPerMs;
  const streamMs = link.rttMs + span / link.bytesPerMs;
  return streamMs < walkMs;
}
