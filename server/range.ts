// Pure Range / If-Range evaluation (RFC 9110 §13.1.5, §14.1.2, §14.2), kept free of I/O so it
// can be unit-tested exhaustively.
//
// Choices: one `bytes=` range is honoured. Several ranges, non-`bytes` units and anything
// malformed are ignored and the whole representation is sent (200), which RFC 9110 allows and
// which never produces multipart bodies. A syntactically valid range that starts at or after
// the end of the file is unsatisfiable (416).

export type RangeDecision =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const FULL: RangeDecision = { kind: 'full' };
const UNSATISFIABLE: RangeDecision = { kind: 'unsatisfiable' };
// 15 digits keeps every value a safe integer and bounds the parsing work.
const SPEC = /^(?:(\d{1,15})-(\d{0,15})|-(\d{1,15}))$/;

export function parseRange(header: string | null | undefined, size: number): RangeDecision {
  if (header === null || header === undefined) return FULL;
  const match = /^\s*bytes\s*=\s*(.*?)\s*$/i.exec(header);
  if (!match) return FULL;
  const set = match[1]!;
  if (set.includes(',')) return FULL;
  const spec = SPEC.exec(set);
  if (!spec) return FULL;
  if (spec[3] !== undefined) {
    const suffix = Number(spec[3]);
    if (suffix === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(spec[1]);
  const last = spec[2] === '' ? null : Number(spec[2]);
  if (last !== null && last < start) return FULL;
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'partial', start, end: last === null ? size - 1 : Math.min(last, size - 1) };
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
