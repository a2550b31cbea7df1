// The syntax of a `Range` header (RFC 9110 §14.1.2), read once for both range deciders
// (single range: range.ts, several: byte-ranges.ts). A hand-written scanner: every character is
// looked at a bounded number of times, so the work grows with the header's length and never
// more (a regex with `.*?` before `\s*$` went back over every run of spaces for each position).
// The header is bounded before it is read, and so is the number of ranges it may list.

/** A satisfiable range, both ends inclusive as in `Content-Range`. */
export interface ByteSpan {
  start: number;
  end: number;
}

/** One range as written, before it meets a representation's size. */
export type RangeSpec = { first: number; last: number | null } | { suffix: number };

/**
 * What a `Range` header asks for:
 * - `ignore`: not a `bytes` range set we read (other unit, malformed, reversed): send the whole.
 * - `refuse`: longer than the header bound or more ranges than allowed: 416, nothing read further.
 * - `specs`: the ranges listed, in the order written.
 */
export type RangeSet = { kind: 'ignore' } | { kind: 'refuse' } | { kind: 'specs'; specs: RangeSpec[] };

/** Bounds on what one `Range` header may cost. */
export interface RangeHeaderLimits {
  /** Longest header read, in characters; longer is refused (416). */
  maxHeaderLength: number;
  /** Most ranges one header may list; more is refused (416). */
  maxRanges: number;
}

export const DEFAULT_RANGE_HEADER_LIMITS: RangeHeaderLimits = { maxHeaderLength: 2048, maxRanges: 64 };

// 15 digits keeps every value a safe integer.
const MAX_DIGITS = 15;
const COMMA = 0x2c;
const IGNORE: RangeSet = { kind: 'ignore' };
const REFUSE: RangeSet = { kind: 'refuse' };

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * A position in a header and the steps of reading it. A class rather than closures over a local
 * position: one object a call instead of a context and three functions.
 */
class Scanner {
  at = 0;
  readonly end: number;

  constructor(readonly text: string) {
    this.end = text.length;
  }

  skipSpace(): void {
    while (this.at < this.end && isSpace(this.text.charCodeAt(this.at))) this.at++;
  }

  /** Digits at the position as a number, or null when there are none or too many. */
  number(): number | null {
    const from = this.at;
    while (this.at < this.end && isDigit(this.text.charCodeAt(this.at))) this.at++;
    const digits = this.at - from;
    return digits === 0 || digits > MAX_DIGITS ? null : Number(this.text.slice(from, this.at));
  }

  readSpec(): RangeSpec | null {
    if (this.text.charCodeAt(this.at) === 0x2d /* - */) {
      this.at++;
      const suffix = this.number();
      return suffix === null ? null : { suffix };
    }
    const first = this.number();
    if (first === null || this.text.charCodeAt(this.at) !== 0x2d) return null;
    this.at++;
    if (!isDigit(this.text.charCodeAt(this.at))) return { first, last: null };
    const last = this.number();
    if (last === null || last < first) return null;
    return { first, last };
  }
}

/** Reads a Range header's range set; see {@link RangeSet}. */
export function readRangeSet(header: string, limits: RangeHeaderLimits = DEFAULT_RANGE_HEADER_LIMITS): RangeSet {
  if (header.length > limits.maxHeaderLength) return REFUSE;
  const scan = new Scanner(header);
  const end = header.length;
  scan.skipSpace();
  if (header.slice(scan.at, scan.at + 5).toLowerCase() !== 'bytes') return IGNORE;
  scan.at += 5;
  scan.skipSpace();
  if (header.charCodeAt(scan.at) !== 0x3d /* = */) return IGNORE;
  scan.at++;

  const specs: RangeSpec[] = [];
  let listed = 0;
  let malformed = false;
  // Every element is counted, even after a malformed one, so a list over the bound is refused
  // whatever it holds. Empty elements are allowed by the list syntax and not counted.
  for (;;) {
    scan.skipSpace();
    if (scan.at < end && header.charCodeAt(scan.at) !== COMMA) {
      if (++listed > limits.maxRanges) return REFUSE;
      const spec = malformed ? null : scan.readSpec();
      scan.skipSpace();
      if (spec === null || (scan.at < end && header.charCodeAt(scan.at) !== COMMA)) malformed = true;
      else specs.push(spec);
      while (scan.at < end && header.charCodeAt(scan.at) !== COMMA) scan.at++;
    }
    if (scan.at >= end) break;
    scan.at++;
  }
  if (malformed || specs.length === 0) return IGNORE;
  return { kind: 'specs', specs };
}

/** The bytes a spec stands for in a representation of `size` bytes, or null when none (past the end, empty suffix). */
export function spanOf(spec: RangeSpec, size: number): ByteSpan | null {
  if ('suffix' in spec) return spec.suffix > 0 && size > 0 ? { start: Math.max(0, size - spec.suffix), end: size - 1 } : null;
  if (spec.first >= size) return null;
  return { start: spec.first, end: spec.last === null ? size - 1 : Math.min(spec.last, size - 1) };
}
