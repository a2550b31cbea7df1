import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ByteRanges } from './byte-source.ts';
import { ifRangeAllowsPartial } from './range.ts';
import { DEFAULT_RANGE_HEADER_LIMITS, readRangeSet, spanOf, type ByteSpan, type RangeHeaderLimits } from './range-header.ts';

// Several byte ranges in one request (RFC 9110 §14.2), with the limits a careful server sets:
// a bound on how many ranges one request may ask for, overlapping and nearby ranges merged (so
// no byte is sent twice and no part costs more in headers than the gap it skips), and sets
// beyond the bound refused with 416, which costs nothing to send.

export type { ByteSpan } from './range-header.ts';

export type RangesDecision =
  | { kind: 'full' }
  | { kind: 'partial'; ranges: ByteSpan[] }
  | { kind: 'unsatisfiable' };

export interface RangeLimits extends RangeHeaderLimits {
  /** Ranges closer than this are merged into one part. */
  mergeGap: number;
}

export const DEFAULT_RANGE_LIMITS: RangeLimits = { ...DEFAULT_RANGE_HEADER_LIMITS, mergeGap: 256 };

/**
 * Reads a `Range` header against a representation of `size` bytes. Malformed headers, other
 * units and reversed ranges are ignored (the whole representation, 200), as RFC 9110 allows. Specs
 * past the end are dropped; none left is 416. A header longer than `maxHeaderLength` or listing
 * more than `maxRanges` is 416, decided before anything else is read. What remains is sorted and
 * merged, so the answer has at most as many parts as asked and never repeats a byte.
 */
export function parseRanges(header: string | null | undefined, size: number, given: Partial<RangeLimits> = DEFAULT_RANGE_LIMITS): RangesDecision {
  if (header === null || header === undefined) return { kind: 'full' };
  const limits = given === DEFAULT_RANGE_LIMITS ? DEFAULT_RANGE_LIMITS : { ...DEFAULT_RANGE_LIMITS, ...given };
  const set = readRangeSet(header, limits);
  if (set.kind === 'ignore') return { kind: 'full' };
  if (set.kind === 'refuse') return { kind: 'unsatisfiable' };
  const spans: ByteSpan[] = [];
  for (const spec of set.specs) {
    const span = spanOf(spec, size);
    if (span) spans.push(span);
  }
  if (spans.length === 0) return { kind: 'unsatisfiable' };
  return { kind: 'partial', ranges: mergeSpans(spans, limits.mergeGap) };
}

/** Sorts spans and merges those that overlap or lie within `gap` bytes of each other. */
export function mergeSpans(spans: readonly ByteSpan[], gap: number): ByteSpan[] {
  if (spans.length === 1) return [{ start: spans[0]!.start, end: spans[0]!.end }];
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: ByteSpan[] = [];
  for (const span of sorted) {
    const previous = merged.at(-1);
    if (previous && span.start <= previous.end + 1 + gap) previous.end = Math.max(previous.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** The head of one part of a `multipart/byteranges` body. */
export function partHead(boundary: string, contentType: string, span: ByteSpan, size: number): string {
  return `--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: bytes ${span.start}-${span.end}/${size}\r\n\r\n`;
}

/** What closes a `multipart/byteranges` body. */
export function closingDelimiter(boundary: string): string {
  return `\r\n--${boundary}--\r\n`;
}

/** The exact length of a `multipart/byteranges` body, for its Content-Length. */
export function multipartLength(boundary: string, contentType: string, spans: readonly ByteSpan[], size: number): number {
  let length = 0;
  spans.forEach((span, index) => {
    // Every part after the first starts on a new line.
    length += (index === 0 ? 0 : 2) + Buffer.byteLength(partHead(boundary, contentType, span, size)) + (span.end - span.start + 1);
  });
  return length + Buffer.byteLength(closingDelimiter(boundary));
}

/**
 * A `multipart/byteranges` body for `spans` of a source: each part's head, its bytes read from
 * the source only when the part is reached, and the closing delimiter. The source is opened
 * when the body is first read and closed when it ends, fails or is destroyed. `announce` is what
 * each part's head says it carries (the span itself but for a test server's lying fault).
 */
export function multipartBody(
  open: () => Promise<ByteRanges>,
  spans: readonly ByteSpan[],
  size: number,
  contentType: string,
  boundary: string,
  announce: (span: ByteSpan) => ByteSpan = (span) => span,
): Readable {
  async function* parts(): AsyncGenerator<Uint8Array> {
    const source = await open();
    try {
      for (const [index, span] of spans.entries()) {
        yield Buffer.from((index === 0 ? '' : '\r\n') + partHead(boundary, contentType, announce(span), size));
        yield* source.read(span.start, span.end);
      }
      yield Buffer.from(closingDelimiter(boundary));
    } finally {
      // A failure to let go of the source must not turn a body sent in full into a broken one.
      await source.close().catch(() => {});
    }
  }
  return Readable.from(parts(), { objectMode: false });
}

/** A boundary no document byte sequence can be mistaken for in practice (parts are length-delimited anyway). */
export function newBoundary(): string {
  return `sv-${randomBytes(12).toString('hex')}`;
}

/** Range and If-Range together: what to send for this request. */
export function decideRanges(
  rangeHeader: string | null | undefined,
  ifRangeHeader: string | null | undefined,
  size: number,
  etag: string,
  limits: Partial<RangeLimits> = DEFAULT_RANGE_LIMITS,
): RangesDecision {
  if (rangeHeader === null || rangeHeader === undefined) return { kind: 'full' };
  if (!ifRangeAllowsPartial(ifRangeHeader, etag)) return { kind: 'full' };
  return parseRanges(rangeHeader, size, limits);
}
