// A PDF's cross-reference table, read from bytes the loader holds: where each object lies.
// pdf.js parses the document itself; this only tells the loader what pdf.js is about to ask for.

const latin1 = new TextDecoder('latin1');

/** Bytes as text, one character per byte (PDF's structure is ASCII). */
export function bytesToText(bytes: Uint8Array): string {
  return latin1.decode(bytes);
}

/** Where the last cross-reference section starts: the number after the last `startxref`. */
export function findStartXref(tail: string): number | null {
  const at = tail.lastIndexOf('startxref');
  if (at < 0) return null;
  const match = /^startxref\s+(\d+)/.exec(tail.slice(at));
  return match ? Number(match[1]) : null;
}

/** One classic cross-reference section and its trailer. */
export interface XrefSection {
  /** Byte offset of every object in use, by object number. */
  offsets: Map<number, number>;
  /** The trailer dictionary, as text from its `<<`. */
  trailer: string;
}

const SUBSECTION = /\s*(\d+)\s+(\d+)\s*/y;
const ENTRY = /(\d{10})\s(\d{5})\s([nf])\s*/y;

/**
 * Reads a cross-reference table (`xref`, its subsections, `trailer << … >>`) from text that starts
 * at it. 'incomplete' when the text ends before the trailer does; null when there is no table
 * there (a cross-reference stream, or not the start of a section).
 */
export function readXrefSection(text: string): XrefSection | 'incomplete' | null {
  const start = /^\s*xref/.exec(text);
  if (!start) return null;
  const offsets = new Map<number, number>();
  let at = start[0].length;
  for (;;) {
    SUBSECTION.lastIndex = at;
    const head = SUBSECTION.exec(text);
    if (!head) break;
    const first = Number(head[1]);
    const count = Number(head[2]);
    at = SUBSECTION.lastIndex;
    for (let i = 0; i < count; i++) {
      ENTRY.lastIndex = at;
      const entry = ENTRY.exec(text);
      if (!entry) return at >= text.length - 20 ? 'incomplete' : null;
      at = ENTRY.lastIndex;
      // The first entry of a section wins: a later one with the same number is not in use.
      if (entry[3] === 'n' && !offsets.has(first + i)) offsets.set(first + i, Number(entry[1]));
    }
  }
  // The trailer runs up to `startxref`: without it here, the text was cut short.
  const rest = text.slice(at);
  const trailer = /^\s*trailer\s*(<<[^]*?)startxref/.exec(rest);
  if (trailer) return { offsets, trailer: trailer[1]! };
  return /^\s*trailer/.test(rest) || rest.length < 32 ? 'incomplete' : null;
}

