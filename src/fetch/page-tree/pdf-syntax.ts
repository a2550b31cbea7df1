// A PDF's cross-reference section, read from bytes the loader holds: where each object lies, and
// the trailer. pdf.js parses the document itself; this only tells the loader what pdf.js is about
// to ask for. The table itself is read as the server reads it (shared/pdf-syntax/xref.ts).
import { readXrefTable } from '../../../shared/pdf-syntax/xref.ts';

/** One classic cross-reference section and its trailer. */
export interface XrefSection {
  /** Byte offset of every object in use, by object number. */
  offsets: Map<number, number>;
  /** The trailer dictionary, as text from its `<<`. */
  trailer: string;
}

/**
 * Reads a cross-reference table (`xref`, its subsections, `trailer << … >>`) from text that starts
 * at it. 'incomplete' when the text ends before the trailer does; null when there is no table
 * there (a cross-reference stream, or not the start of a section).
 */
export function readXrefSection(text: string): XrefSection | 'incomplete' | null {
  const table = readXrefTable(text);
  if (table === null || table === 'incomplete') return table;
  // The trailer runs up to `startxref`: without it here, the text was cut short.
  const rest = text.slice(table.end);
  const trailer = /^\s*trailer\s*(<<[^]*?)startxref/.exec(rest);
  if (trailer) return { offsets: table.offsets, trailer: trailer[1]! };
  return /^\s*trailer/.test(rest) || rest.length < 32 ? 'incomplete' : null;
}
