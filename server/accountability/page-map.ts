// Which pages a byte range belongs to. The cross-reference table says where every object starts;
// an object runs to the next one's start. Walking the page tree from the trailer's catalog gives
// each page's content streams (`/Contents`): a served range that touches one of them carried that
// page's content. Shared objects (fonts, images used on several pages) belong to no page.
import { dictEntries, dictEnd, objectDict, refNumber, refNumbers } from '../../shared/pdf-syntax/pdf-dict.ts';
import { bytesToText, findStartXref, readXrefTable } from '../../shared/pdf-syntax/xref.ts';

/** Reads bytes `start` to `end` (inclusive) of the document. */
export type ReadBytes = (start: number, end: number) => Promise<Uint8Array>;

/** A byte span [start, end] (inclusive) holding one of a page's content streams. */
export interface PageSpan {
  start: number;
  end: number;
  /** 1-based page number. */
  page: number;
}

/** Where each page's content lies in one document. */
export interface PageMap {
  numPages: number;
  /** Sorted by start; a stream shared by pages has a span for each. */
  spans: readonly PageSpan[];
}

/** How much of the file's end is read to find `startxref`. */
const TAIL_BYTES = 1024;
/** A cross-reference section is read in steps of this size until its trailer is complete. */
const XREF_STEP = 64 * 1024;
/** Bounds the work a damaged or hostile file can cause. */
const MAX_SECTIONS = 32;
const MAX_PAGES = 100_000;
const MAX_OBJECT_BYTES = 64 * 1024;

/**
 * Reads the page map of a document with classic cross-reference tables (following `/Prev`).
 * Null when the file has none (a cross-reference stream), or its page tree cannot be read: the
 * served bytes are then recorded without pages.
 */
export async function readPageMap(read: ReadBytes, size: number): Promise<PageMap | null> {
  if (size < 16) return null;
  const tailStart = Math.max(0, size - TAIL_BYTES);
  const startXref = findStartXref(bytesToText(await read(tailStart, size - 1)));
  if (startXref === null) return null;

  const offsets = new Map<number, number>();
  const sectionStarts: number[] = [];
  let trailer: Map<string, string> | null = null;
  const seen = new Set<number>();
  for (let at: number | null = startXref; at !== null && sectionStarts.length < MAX_SECTIONS; ) {
    if (at < 0 || at >= size || seen.has(at)) return null;
    seen.add(at);
    const section = await readSectionAt(read, at, size);
    if (!section) return null;
    sectionStarts.push(at);
    // Newer sections come first and win.
    for (const [number, offset] of section.offsets) if (!offsets.has(number)) offsets.set(number, offset);
    trailer ??= section.trailer;
    const prev = section.trailer.get('Prev');
    at = prev !== undefined && /^\d+$/.test(prev.trim()) ? Number(prev) : null;
  }
  if (!trailer) return null;

  const ends = objectEnds(offsets, sectionStarts, size);
  const readObject = async (number: number): Promise<Map<string, string> | null> => {
    const start = offsets.get(number);
    const end = ends.get(number);
    if (start === undefined || end === undefined) return null;
    const dictOnly = Math.min(end, start + MAX_OBJECT_BYTES - 1);
    return objectDict(bytesToText(await read(start, dictOnly)));
  };

  const catalog = await readObjectRef(readObject, trailer.get('Root'));
  const root = refNumber(catalog?.get('Pages'));
  if (root === null) return null;

  const spans: PageSpan[] = [];
  let page = 0;
  // Depth first, kids in order: the page tree's order is the document's page order.
  const stack: number[] = [root];
  const visited = new Set<number>();
  while (stack.length > 0) {
    const number = stack.pop()!;
    if (visited.has(number)) return null;
    visited.add(number);
    const node = await readObject(number);
    if (!node) return null;
    const type = node.get('Type')?.trim();
    if (type === '/Pages') {
      const kids = refNumbers(node.get('Kids'));
      if (!kids) return null;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
      continue;
    }
    if (type !== '/Page') return null;
    if (++page > MAX_PAGES) return null;
    for (const content of contentRefs(node.get('Contents'))) {
      const start = offsets.get(content);
      const end = ends.get(content);
      if (start !== undefined && end !== undefined) spans.push({ start, end, page });
    }
  }
  // Objects never overlap: spans are equal (a stream two pages share) or apart, so sorted by
  // start their ends are sorted too.
  spans.sort((a, b) => a.start - b.start || a.page - b.page);
  return { numPages: page, spans };
}

/** The pages whose content any of `ranges` (inclusive, any order) touches, ascending. */
export function pagesTouched(map: PageMap, ranges: ReadonlyArray<{ start: number; end: number }>): number[] {
  const pages = new Set<number>();
  const { spans } = map;
  for (const range of ranges) {
    // The first span that ends at or after the range's start.
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (spans[mid]!.end < range.start) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < spans.length && spans[i]!.start <= range.end; i++) pages.add(spans[i]!.page);
  }
  return [...pages].sort((a, b) => a - b);
}

interface XrefSection {
  offsets: Map<number, number>;
  trailer: Map<string, string>;
}

/** One classic section and its trailer; reads on while the text ends before the trailer does. */
async function readSectionAt(read: ReadBytes, at: number, size: number): Promise<XrefSection | null> {
  for (let length = XREF_STEP; ; length *= 2) {
    const end = Math.min(size - 1, at + length - 1);
    const section = parseXrefSection(bytesToText(await read(at, end)));
    if (section !== 'incomplete') return section;
    if (end === size - 1) return null;
  }
}

/**
 * A cross-reference table (`xref`, its subsections, `trailer << … >>`) from text that starts at
 * it: 'incomplete' when the text ends first, null when there is no table there.
 */
export function parseXrefSection(text: string): XrefSection | 'incomplete' | null {
  const table = readXrefTable(text);
  if (table === null || table === 'incomplete') return table;
  const { offsets } = table;
  const rest = text.slice(table.end);
  const trailerAt = /^\s*trailer\s*/.exec(rest);
  if (!trailerAt) return rest.length < 32 ? 'incomplete' : null;
  const open = trailerAt[0].length;
  const close = dictEnd(rest, open);
  if (close < 0) return 'incomplete';
  return { offsets, trailer: dictEntries(rest.slice(open, close)) };
}

/** Each object's last byte: just before the next object or cross-reference section starts. */
function objectEnds(offsets: Map<number, number>, sectionStarts: number[], size: number): Map<number, number> {
  const starts = [...new Set([...offsets.values(), ...sectionStarts, size])].sort((a, b) => a - b);
  const ends = new Map<number, number>();
  for (const [number, offset] of offsets) {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (starts[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    ends.set(number, (starts[low] ?? size) - 1);
  }
  return ends;
}

async function readObjectRef(
  readObject: (number: number) => Promise<Map<string, string> | null>,
  value: string | undefined,
): Promise<Map<string, string> | null> {
  const number = refNumber(value);
  return number === null ? null : readObject(number);
}

/** `/Contents 12 0 R` or `/Contents [12 0 R 13 0 R]`; anything else names no stream. */
function contentRefs(value: string | undefined): number[] {
  const single = refNumber(value);
  if (single !== null) return [single];
  return refNumbers(value) ?? [];
}
