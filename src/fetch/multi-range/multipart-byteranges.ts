import { ViewerError } from '../../errors.ts';
import { parseContentRange } from '../content-range.ts';

/** One part of a `multipart/byteranges` answer: bytes [begin, end) of the file. */
export interface BytesPart {
  begin: number;
  end: number;
  bytes: Uint8Array;
}

/** The boundary of a `multipart/byteranges` Content-Type, or null for any other type. */
export function byterangesBoundary(contentType: string | null): string | null {
  const match = /^\s*multipart\/byteranges\s*;(.*)$/i.exec(contentType ?? '');
  if (!match) return null;
  const param = /(?:^|;)\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(match[1]!);
  return param ? (param[1] ?? param[2] ?? null) : null;
}

/** Longest header block (or preamble) of a part accepted before the answer is called broken. */
const MAX_HEADER_BYTES = 8192;
const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

type State = 'preamble' | 'headers' | 'body' | 'delimiter' | 'done';

/**
 * Reads a `206 multipart/byteranges` body as it streams in, handing out each part as soon as its
 * last byte arrived. Each part's length comes from its own Content-Range, so a boundary-like run
 * of bytes inside a part's body is just data. CRLF and bare LF line ends are both accepted.
 * Anything that is not a well-formed answer for a file of `total` bytes (a part without or with
 * a bad Content-Range, a part cut short, junk where a boundary belongs) is `invalid-document`.
 */
export class MultipartByteRangesReader {
  readonly #delimiter: Uint8Array;
  readonly #total: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #state: State = 'preamble';
  #part: { begin: number; end: number } | null = null;

  constructor(boundary: string, total: number) {
    this.#delimiter = new TextEncoder().encode(`--${boundary}`);
    this.#total = total;
  }

  /** True once the closing boundary was read. */
  get done(): boolean {
    return this.#state === 'done';
  }

  /** Takes the next chunk of the body; returns the parts it completed, in order. */
  push(chunk: Uint8Array): BytesPart[] {
    if (this.#state === 'done') return [];
    this.#buffer = this.#buffer.byteLength === 0 ? chunk : concat(this.#buffer, chunk);
    const parts: BytesPart[] = [];
    for (;;) {
      const progressed = this.#step(parts);
      if (!progressed) return parts;
    }
  }

  /** The body ended: it must have ended with the closing boundary. */
  finish(): void {
    if (this.#state !== 'done') throw broken();
  }

  /** One step of the state machine; false when it needs more bytes (or is done). */
  #step(parts: BytesPart[]): boolean {
    const buffer = this.#buffer;
    switch (this.#state) {
      case 'preamble': {
        // The first delimiter may open the body or follow a preamble line.
        const at = indexOf(buffer, this.#delimiter, 0);
        if (at < 0) {
          if (buffer.byteLength > MAX_HEADER_BYTES) throw broken();
          return false;
        }
        if (at > 0 && buffer[at - 1] !== LF) throw broken();
        return this.#afterDelimiter(at + this.#delimiter.byteLength);
      }
      case 'headers': {
        const end = headerEnd(buffer);
        if (end === null) {
          if (buffer.byteLength > MAX_HEADER_BYTES) throw broken();
          return false;
        }
        const range = contentRangeOf(new TextDecoder().decode(buffer.subarray(0, end.headers)));
        if (!range || range.total !== this.#total) throw broken();
        this.#part = { begin: range.start, end: range.end + 1 };
        this.#buffer = buffer.subarray(end.body);
        this.#state = 'body';
        return true;
      }
      case 'body': {
        const part = this.#part!;
        const length = part.end - part.begin;
        if (buffer.byteLength < length) return false;
        // A copy: the part outlives the chunks it was cut from.
        parts.push({ begin: part.begin, end: part.end, bytes: buffer.slice(0, length) });
        this.#part = null;
        this.#buffer = buffer.subarray(length);
        this.#state = 'delimiter';
        return true;
      }
      case 'delimiter': {
        // CRLF (or LF) and the delimiter, right after the part's last byte.
        const skip = buffer[0] === CR ? 2 : 1;
        if (buffer.byteLength < skip + this.#delimiter.byteLength) return false;
        if (buffer[skip - 1] !== LF || (skip === 2 && buffer[0] !== CR)) throw broken();
        if (!startsWith(buffer, this.#delimiter, skip)) throw broken();
        return this.#afterDelimiter(skip + this.#delimiter.byteLength);
      }
      case 'done':
        return false;
    }
  }

  /** After a delimiter: `--` closes the body, a line end opens the next part's headers. */
  #afterDelimiter(offset: number): boolean {
    const buffer = this.#buffer;
    if (buffer.byteLength < offset + 2) return false;
    if (buffer[offset] === DASH && buffer[offset + 1] === DASH) {
      this.#state = 'done';
      this.#buffer = new Uint8Array(0);
      return false;
    }
    // Transport padding (spaces, tabs) may follow a delimiter before its line end.
    let at = offset;
    while (at < buffer.byteLength && (buffer[at] === 0x20 || buffer[at] === 0x09)) at++;
    if (at >= buffer.byteLength) return false;
    if (buffer[at] === CR) {
      if (at + 1 >= buffer.byteLength) return false;
      if (buffer[at + 1] !== LF) throw broken();
      at += 2;
    } else if (buffer[at] === LF) {
      at += 1;
    } else {
      throw broken();
    }
    this.#buffer = buffer.subarray(at);
    this.#state = 'headers';
    return true;
  }
}

function broken(): ViewerError {
  return new ViewerError('invalid-document', { status: 206 });
}

/** Where a part's header block ends (an empty line), and where its body starts. */
function headerEnd(buffer: Uint8Array): { headers: number; body: number } | null {
  for (let i = 0; i < buffer.byteLength; i++) {
    if (buffer[i] !== LF) continue;
    // An empty line right at the start: a part with no headers at all.
    if (i === 0) return { headers: 0, body: 1 };
    if (i === 1 && buffer[0] === CR) return { headers: 0, body: 2 };
    if (buffer[i - 1] === LF) return { headers: i - 1, body: i + 1 };
    if (buffer[i - 1] === CR && buffer[i - 2] === LF) return { headers: i - 2, body: i + 1 };
  }
  return null;
}

function contentRangeOf(headers: string): ReturnType<typeof parseContentRange> {
  for (const line of headers.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'content-range') return parseContentRange(line.slice(colon + 1));
  }
  return null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.byteLength - needle.byteLength; i++) {
    for (let j = 0; j < needle.byteLength; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function startsWith(haystack: Uint8Array, needle: Uint8Array, at: number): boolean {
  for (let j = 0; j < needle.byteLength; j++) if (haystack[at + j] !== needle[j]) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
