// A PDF's classic cross-reference table, read from its text: where each object lies. The element's
// page tree read-ahead and the server's page map both read it; what follows the table (the
// trailer) each reads as it needs.

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

/** The entries of one cross-reference table. */
export interface XrefTable {
  /** Byte offset of every object in use, by object number. */
  offsets: Map<number, number>;
  /** Where the table ends in the text: its trailer follows. */
  end: number;
}

const SUBSECTION = /\s*(\d+)\s+(\d+)\s*/y;
const ENTRY = /(\d{10})\s(\d{5})\s([nf])\s*/y;

/**
 * Reads a cross-reference table (`xref` and its subsections) from text that starts at it.
 * 'incomplete' when the text ends inside the entries; null when there is no table there (a
 * cross-reference stream, or not the start of a section).
 */
export function readXrefTable(text: string): XrefTable | 'incomplete' | null {
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
  return { offsets, end: at };
}
