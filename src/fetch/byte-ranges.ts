/** A byte range [begin, end) of the document. */
export type ByteRange = readonly [begin: number, end: number];

/** Bytes of the document held or fetched ahead of pdf.js, from `begin` on. */
export interface PrefetchedRange {
  begin: number;
  bytes: Uint8Array;
}

/**
 * How a server answered a request for several ranges: with the parts (`multipart`), or in a way
 * that shows it serves one range per request (`single-only`: a 200, or one part that is not what
 * was asked), in which case `missing` are the caller's to fetch one by one.
 */
export interface RangesResult {
  answer: 'multipart' | 'single-only';
  missing: ByteRange[];
}

/** Sorted ranges with each run of touching or overlapping ones joined into one. */
export function joinTouching(sorted: readonly ByteRange[]): ByteRange[] {
  const joined: Array<[number, number]> = [];
  for (const [begin, end] of sorted) {
    const last = joined.at(-1);
    if (last && begin <= last[1]) last[1] = Math.max(last[1], end);
    else joined.push([begin, end]);
  }
  return joined;
}

/** The chunks as one array (the one chunk itself when there is only one). */
export function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
