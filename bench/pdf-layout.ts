// Where a PDF's objects sit, read from its cross-reference data (classic tables, cross-reference
// streams, linearized files with two sections): how many bytes a reader must have to draw page 1.
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';

type Location = { kind: 'offset'; offset: number } | { kind: 'compressed'; stream: number };

interface CrossReference {
  /** Newest entry of each in-use object: its offset, or the object stream holding it. */
  locations: Map<number, Location>;
  /** Offsets of every cross-reference section (table or stream) the reader follows. */
  sections: number[];
  root: number;
  info: number | null;
}

const latin1 = (bytes: Uint8Array, start: number, end: number): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, Math.min(end, bytes.byteLength) - start)).toString('latin1');

const refIn = (dict: string, key: string): number | null => {
  const match = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(dict);
  return match ? Number(match[1]) : null;
};
const numberIn = (dict: string, key: string): number | null => {
  const match = new RegExp(`/${key}\\s+(\\d+)(?![\\d\\s]*R)`).exec(dict);
  return match ? Number(match[1]) : null;
};
const arrayIn = (dict: string, key: string): number[] | null => {
  const match = new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`).exec(dict);
  return match ? match[1]!.trim().split(/\s+/).filter(Boolean).map(Number) : null;
};

/** Follows startxref and every /Prev (and /XRefStm) the way a reader does; the first entry seen for an object wins. */
export function readCrossReference(bytes: Uint8Array): CrossReference {
  const tail = latin1(bytes, Math.max(0, bytes.byteLength - 1024), bytes.byteLength);
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!startxref) throw new Error('no startxref at the end of the file');
  const locations = new Map<number, Location>();
  const sections: number[] = [];
  let root: number | null = null;
  let info: number | null = null;
  const pending = [Number(startxref[1])];
  const set = (n: number, location: Location) => {
    if (!locations.has(n)) locations.set(n, location);
  };
  while (pending.length > 0) {
    const at = pending.shift()!;
    if (sections.includes(at)) continue;
    sections.push(at);
    const head = latin1(bytes, at, at + 64);
    let dict: string;
    if (head.startsWith('xref')) {
      const end = findFrom(bytes, 'startxref', at);
      const text = latin1(bytes, at, end);
      const trailerAt = text.indexOf('trailer');
      const table = text.slice(4, trailerAt);
      const subsection = /\s*(\d+)\s+(\d+)\s*?[\r\n]+/y;
      const entry = /(\d{10}) (\d{5}) ([nf])[ \r\n]{1,2}/y;
      let position = 0;
      for (;;) {
        subsection.lastIndex = position;
        const header = subsection.exec(table);
        if (!header) break;
        position = subsection.lastIndex;
        const first = Number(header[1]);
        for (let i = 0; i < Number(header[2]); i++) {
          entry.lastIndex = position;
          const row = entry.exec(table);
          if (!row) throw new Error(`bad xref entry at ${at + 4 + position}`);
          position = entry.lastIndex;
          if (row[3] === 'n') set(first + i, { kind: 'offset', offset: Number(row[1]) });
        }
      }
      dict = text.slice(trailerAt);
      const stream = numberIn(dict, 'XRefStm');
      if (stream !== null) pending.push(stream);
    } else {
      const stream = readStream(bytes, at);
      dict = stream.dict;
      readStreamEntries(stream, set);
    }
    root ??= refIn(dict, 'Root');
    info ??= refIn(dict, 'Info');
    const previous = numberIn(dict, 'Prev');
    if (previous !== null) pending.push(previous);
  }
  if (root === null) throw new Error('no /Root in the trailer');
  return { locations, sections, root, info };
}

function findFrom(bytes: Uint8Array, needle: string, from: number): number {
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, from, 'latin1');
  return at < 0 ? bytes.byteLength : at;
}

/** An uncompressed indirect stream object at `at`: its dictionary as text and its decoded data. */
function readStream(bytes: Uint8Array, at: number): { dict: string; data: Uint8Array } {
  const keyword = findFrom(bytes, 'stream', at);
  const dict = latin1(bytes, at, keyword);
  let start = keyword + 'stream'.length;
  if (bytes[start] === 0x0d) start++;
  if (bytes[start] === 0x0a) start++;
  const length = numberIn(dict, 'Length');
  if (length === null) throw new Error(`stream at ${at} has no direct /Length`);
  let data: Uint8Array = bytes.subarray(start, start + length);
  if (/\/Filter\s*\/FlateDecode/.test(dict)) data = inflateSync(data);
  else if (/\/Filter/.test(dict)) throw new Error(`stream at ${at} has a filter other than FlateDecode`);
  const predictor = numberIn(dict, 'Predictor') ?? 1;
  if (predictor >= 10) data = unpredictPng(data, numberIn(dict, 'Columns') ?? 1);
  else if (predictor !== 1) throw new Error(`stream at ${at} uses TIFF prediction`);
  return { dict, data };
}

/** Reverses PNG row filters (one byte per sample, as cross-reference and object streams use). */
function unpredictPng(data: Uint8Array, columns: number): Uint8Array {
  const rows = Math.floor(data.byteLength / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const filter = data[r * (columns + 1)]!;
    const row = data.subarray(r * (columns + 1) + 1, (r + 1) * (columns + 1));
    const o = r * columns;
    for (let c = 0; c < columns; c++) {
      const left = c > 0 ? out[o + c - 1]! : 0;
      const up = r > 0 ? out[o - columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[o - columns + c - 1]! : 0;
      let base = 0;
      if (filter === 1) base = left;
      else if (filter === 2) base = up;
      else if (filter === 3) base = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        base = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out[o + c] = (row[c]! + base) & 0xff;
    }
  }
  return out;
}

function readStreamEntries(stream: { dict: string; data: Uint8Array }, set: (n: number, location: Location) => void): void {
  const widths = arrayIn(stream.dict, 'W');
  if (!widths || widths.length !== 3) throw new Error('cross-reference stream without /W');
  const size = numberIn(stream.dict, 'Size') ?? 0;
  const index = arrayIn(stream.dict, 'Index') ?? [0, size];
  const rowLength = widths[0]! + widths[1]! + widths[2]!;
  const field = (row: number, skip: number, width: number, fallback: number): number => {
    if (width === 0) return fallback;
    let value = 0;
    for (let i = 0; i < width; i++) value = value * 256 + stream.data[row * rowLength + skip + i]!;
    return value;
  };
  let row = 0;
  for (let s = 0; s + 1 < index.length; s += 2) {
    for (let i = 0; i < index[s + 1]!; i++, row++) {
      const type = field(row, 0, widths[0]!, 1);
      const second = field(row, widths[0]!, widths[1]!, 0);
      if (type === 1) set(index[s]! + i, { kind: 'offset', offset: second });
      else if (type === 2) set(index[s]! + i, { kind: 'compressed', stream: second });
    }
  }
}

/**
 * Objects a reader needs for page 1: the catalog (not the pages it lists), the page-tree nodes
 * from the root down to page 1, page 1 and everything it refers to except other pages, the
 * document information, and a linearization dictionary if there is one.
 */
async function page1Objects(bytes: Uint8Array, xref: CrossReference): Promise<Set<number>> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const context = pdf.context;
  const needed = new Set<number>();
  const isPageNode = (object: PDFObject | undefined): boolean => {
    const type = object instanceof PDFDict ? object.get(PDFName.of('Type')) : undefined;
    return type === PDFName.of('Page') || type === PDFName.of('Pages');
  };
  const walk = (object: PDFObject | undefined, skip: readonly string[] = []): void => {
    if (object instanceof PDFRef) {
      if (needed.has(object.objectNumber)) return;
      const target = context.lookup(object);
      if (isPageNode(target)) return;
      needed.add(object.objectNumber);
      walk(target);
    } else if (object instanceof PDFStream) {
      walk(object.dict);
    } else if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) if (!skip.includes(key.decodeText())) walk(value);
    } else if (object instanceof PDFArray) {
      for (const item of object.asArray()) walk(item);
    }
  };

  needed.add(xref.root);
  const catalog = context.lookup(PDFRef.of(xref.root));
  if (!(catalog instanceof PDFDict)) throw new Error('catalog is not a dictionary');
  walk(catalog, ['Pages']);
  if (xref.info !== null) walk(PDFRef.of(xref.info));
  let node = catalog.get(PDFName.of('Pages'));
  while (node instanceof PDFRef) {
    needed.add(node.objectNumber);
    const dict = context.lookup(node);
    if (!(dict instanceof PDFDict)) throw new Error(`page-tree node ${node.objectNumber} is not a dictionary`);
    walk(dict, ['Parent', 'Kids']);
    if (dict.get(PDFName.of('Type')) === PDFName.of('Page')) break;
    const kids = dict.get(PDFName.of('Kids'));
    node = kids instanceof PDFArray ? kids.get(0) : undefined;
  }
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.has(PDFName.of('Linearized'))) needed.add(ref.objectNumber);
  }
  return needed;
}

/** One stretch of the file page 1 needs. */
export interface Extent {
  start: number;
  length: number;
  what: string;
}

/**
 * What page 1 needs: the header, every cross-reference section with its trailer, and each
 * needed object, or the whole object stream it is compressed in (each stream once). An object's
 * extent runs to the next object or section, so whitespace between them counts.
 */
export async function page1Extents(bytes: Uint8Array): Promise<Extent[]> {
  const xref = readCrossReference(bytes);
  const needed = await page1Objects(bytes, xref);
  const starts = new Set<number>([...xref.sections, bytes.byteLength]);
  for (const location of xref.locations.values()) if (location.kind === 'offset') starts.add(location.offset);
  const sorted = [...starts].sort((a, b) => a - b);
  const extents = new Map<number, Extent>([[0, { start: 0, length: sorted[0]!, what: 'header' }]]);
  const add = (start: number, what: string) => {
    const next = sorted.find((offset) => offset > start);
    if (next === undefined) throw new Error(`nothing after offset ${start}`);
    if (!extents.has(start)) extents.set(start, { start, length: next - start, what });
  };
  for (const section of xref.sections) add(section, 'cross-reference section');
  for (const n of [...needed].sort((a, b) => a - b)) {
    const location = xref.locations.get(n);
    if (!location) throw new Error(`object ${n} is not in the cross-reference data`);
    if (location.kind === 'offset') {
      add(location.offset, `object ${n}`);
      continue;
    }
    const stream = xref.locations.get(location.stream);
    if (stream?.kind !== 'offset') throw new Error(`object stream ${location.stream} has no offset`);
    add(stream.offset, `object stream ${location.stream}`);
  }
  return [...extents.values()].sort((a, b) => a.start - b.start);
}

export async function page1Bytes(bytes: Uint8Array): Promise<number> {
  return (await page1Extents(bytes)).reduce((sum, extent) => sum + extent.length, 0);
}
