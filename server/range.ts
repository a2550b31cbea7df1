// Pure Range / If-Range evaluation (RFC 9110 §13.1.5, §14.1.2, §14.2), kept free of I/O so it
// can be unit-tested exhaustively.
//
// Choices: one `bytes=` range is honoured. Several ranges, non-`bytes` units and anything
// malformed are ignored and the whole representation is sent (200), which RFC 9110 allows and
// which never produces multipart bodies. A syntactically valid range that starts at or after
// the end of the file is unsatisfiable (416), and so is a header longer than 2 KiB (read by the
// same bounded scanner as several ranges: range-header.ts).
import { DEFAULT_RANGE_HEADER_LIMITS, readRangeSet, spanOf } from './range-header.ts';

export type RangeDecision =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const FULL: RangeDecision = { kind: 'full' };
const UNSATISFIABLE: RangeDecision = { kind: 'unsatisfiable' };
// Several ranges are answered with the whole, however many: only the header's length is bounded.
const LIMITS = { ...DEFAULT_RANGE_HEADER_LIMITS, maxRanges: Number.POSITIVE_INFINITY };

export function parseRange(header: string | null | undefined, size: number): RangeDecision {
  if (header === null || header === undefined) return FULL;
  const set = readRangeSet(header, LIMITS);
  if (set.kind === 'refuse') return UNSATISFIABLE;
  if (set.kind === 'ignore' || set.specs.length !== 1 || header.includes(',')) return FULL;
  const span = spanOf(set.specs[0]!, size);
  return span ? { kind: 'partial', ...span } : UNSATISFIABLE;
}

/**
 * Whether a Range may be honoured given If-Range: only a strong validator equal to the current
 * strong ETag passes. Weak tags and dates (we publish no Last-Modified) fall back to 200.
 */
export function ifRangeAllowsPartial(ifRange: string | null | undefined, etag: string): boolean {
  if (ifRange === null || ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('W/') || etag.startsWith('W/')) return false;
  return value === etag;
}

/** Combines both headers: what to send for this request. */
export function decideRange(
  rangeHeader: string | null | undefined,
  ifRangeHeader: string | null | undefined,
  size: number,
  etag: string,
): RangeDecision {
  if (rangeHeader === null || rangeHeader === undefined) return FULL;
  if (!ifRangeAllowsPartial(ifRangeHeader, etag)) return FULL;
  return parseRange(rangeHeader, size);
}

export function contentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end}/${size}`;
}
