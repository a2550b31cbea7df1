import { firstAbove } from './ahead-reads.ts';
import { readObjectStream } from './object-stream.ts';
import { dictEntries, objectDict, refNumber, refNumbers } from '../../../shared/pdf-syntax/pdf-dict.ts';
import { bytesToText } from '../../../shared/pdf-syntax/xref.ts';
import { readStreamObject, type StreamObject } from './stream-object.ts';
import { readXrefStream, type XrefEntry } from './xref-stream.ts';

/** What the walk needs of the read ahead: bytes in hand, and bytes fetched (and held for pdf.js). */
export interface WalkBytes {
  total: number;
  /** Bytes from `begin` through every range in hand that touches the next, or null. */
  contiguous(begin: number): Uint8Array | null;
  /** Where the next bytes in hand after `offset` start (the file size if none). */
  heldAfter(offset: number): number;
  /**
   * Bytes [begin, end), from hand, from a read on its way, or fetched; null if they cannot be had.
   * `wide`: an object of the walk, fetched with the bytes around it (the next may lie there).
   */
  read(begin: number, end: number, wide?: boolean): Promise<Uint8Array | null>;
}

const MAX_XREF_SECTIONS = 8;
/** A cross-reference stream of this size lists about a million objects. */
const MAX_XREF_BYTES = 4_194_304;
/** An object stream larger than this is left for pdf.js to ask for. */
const MAX_OBJECT_STREAM_BYTES = 1_048_576;
/** Page 1 and what it draws with (fonts, their programs, contents): this many objects at most… */
const MAX_PAGE_OBJECTS = 256;
/** …each at most this large (an image larger is pdf.js's to ask for)… */
const MAX_PAGE_OBJECT_BYTES = 1_048_576;
/** …this deep from the page (page → resources → font → descriptor → font program)… */
const MAX_PAGE_DEPTH = 4;
/** …and in all at most this share of the file (the rest of the budget is the page tree's). */
const MAX_SHARE_OF_FILE = 0.25;
/** Entries that lead away from what the page draws. */
const SKIPPED_KEYS = new Set(['Parent', 'P', 'Annots', 'Dest', 'Next', 'Prev', 'First', 'Last', 'Thumb', 'B', 'Metadata', 'PieceInfo', 'StructParents']);
const REFERENCE = /(\d+)\s+\d+\s+R\b/g;

/**
 * On a file whose cross-reference data is a stream, the page tree's nodes sit in compressed
 * object streams: pdf.js finds each node only once the object stream holding the one above has
 * come and been parsed, a round trip per level, twice per level with its small chunks (the
 * stream's header, then its data). This walks the same way pdf.js will, while its worker is
 * still starting: it decodes the cross-reference stream, then reads whole object streams, one
 * request each, down to the first page and down to the last (pdf.js checks the last page before
 * the first is drawn, reading every kid on the way), and then the objects page 1 draws with. Every
 * byte it reads is held for pdf.js's requests. Best effort: anything it cannot read stops it.
 */
export class XrefStreamWalk {
  readonly #bytes: WalkBytes;
  readonly #entries = new Map<number, XrefEntry>();
  /** Every offset where an object or a cross-reference section starts, sorted: an object ends at the next. */
  #starts: number[] = [];
  readonly #objectStreams = new Map<number, Promise<Map<number, string> | null>>();
  #budget: number;

  constructor(bytes: WalkBytes) {
    this.#bytes = bytes;
    this.#budget = MAX_SHARE_OF_FILE * bytes.total;
  }

  /** True when the section at `start` is a cross-reference stream (read then), false otherwise. */
  async run(start: number): Promise<boolean> {
    const trailer = await this.#readXref(start);
    if (!trailer) return false;
    // pdf.js reads the document's information dictionary as it opens, beside the catalog.
    const [catalogText] = await Promise.all([this.#object(refNumber(trailer.get('Root'))), this.#object(refNumber(trailer.get('Info')))]);
    const catalog = dictOf(catalogText);
    const pages = refNumber(catalog?.get('Pages'));
    const root = await this.#object(pages);
    if (root === null) return true;
    await Promise.all([this.#down(root, 'first'), this.#down(root, 'last')]);
    return true;
  }

  /** The newest trailer dictionary, after reading every stream section back through `/Prev`. */
  async #readXref(start: number): Promise<Map<string, string> | null> {
    let trailer: Map<string, string> | null = null;
    const sections: number[] = [];
    for (let offset: number | null = start; offset !== null && sections.length < MAX_XREF_SECTIONS; ) {
      if (sections.includes(offset) || offset >= this.#bytes.total) break;
      sections.push(offset);
      const stream = await this.#streamAt(offset, MAX_XREF_BYTES);
      const entries = stream && stream.dict.get('Type') === '/XRef' ? readXrefStream(stream) : null;
      if (!stream || !entries) return null;
      // A newer section's entry wins over an older one's.
      for (const [number, entry] of entries) if (!this.#entries.has(number)) this.#entries.set(number, entry);
      trailer ??= stream.dict;
      const prev = Number(stream.dict.get('Prev'));
      offset = Number.isSafeInteger(prev) && prev >= 0 ? prev : null;
    }
    const offsets = [...this.#entries.values()].flatMap((entry) => ('offset' in entry ? [entry.offset] : []));
    this.#starts = [...new Set([...offsets, ...sections, this.#bytes.total])].sort((a, b) => a - b);
    return trailer;
  }

  /**
   * The stream object at `offset`: read from the bytes in hand and those up to the next in hand
   * (a cross-reference stream usually runs into the end of the file, already here), else to its
   * next object.
   */
  async #streamAt(offset: number, maxBytes: number, wide = false): Promise<StreamObject | null> {
    const here = this.#bytes.contiguous(offset);
    let read = here ? await readStreamObject(here) : null;
    if (read && !('incomplete' in read)) return read;
    const next = this.#starts.length > 0 ? this.#next(offset) : this.#bytes.heldAfter(offset);
    const end = Math.max(next, read && 'incomplete' in read ? offset + read.incomplete : 0);
    if (end - offset > maxBytes) return null;
    const bytes = await this.#bytes.read(offset, Math.min(end, this.#bytes.total), wide);
    if (!bytes) return null;
    read = await readStreamObject(this.#bytes.contiguous(offset) ?? bytes);
    return read && !('incomplete' in read) ? read : null;
  }

  /** The text of object `number` (its dictionary, array or value; a stream's data left out), or null. */
  async #object(number: number | null): Promise<string | null> {
    const entry = number === null ? undefined : this.#entries.get(number);
    if (!entry) return null;
    if ('stream' in entry) return (await this.#objectStream(entry.stream))?.get(number!) ?? null;
    const end = Math.min(this.#next(entry.offset), entry.offset + MAX_PAGE_OBJECT_BYTES);
    if (!this.#spend(end - entry.offset)) return null;
    const bytes = await this.#bytes.read(entry.offset, end, true);
    if (!bytes) return null;
    // The object's own text, up to its stream's data if it has one.
    const text = bytesToText(bytes.subarray(0, Math.min(bytes.byteLength, 65_536)));
    const body = text.replace(/^\s*\d+\s+\d+\s+obj\s*/, '');
    const data = body.search(/\bstream\r?\n/);
    return data < 0 ? body : body.slice(0, data);
  }

  /** The objects of object stream `number`, read whole in one request and decoded (once). */
  #objectStream(number: number): Promise<Map<number, string> | null> {
    let objects = this.#objectStreams.get(number);
    if (!objects) {
      const entry = this.#entries.get(number);
      objects =
        entry && 'offset' in entry && this.#spend(this.#next(entry.offset) - entry.offset)
          ? this.#streamAt(entry.offset, MAX_OBJECT_STREAM_BYTES, true).then((stream) => (stream ? readObjectStream(stream) : null))
          : Promise.resolve(null);
      this.#objectStreams.set(number, objects);
    }
    return objects;
  }

  /**
   * Down the page tree to its first or its last page. Towards the last, every kid on the way is
   * read, as pdf.js reads each (its page count) to find which one holds the last page.
   */
  async #down(node: string, towards: 'first' | 'last'): Promise<void> {
    for (let depth = 0; depth < 32; depth++) {
      const kids = refNumbers(dictOf(node)?.get('Kids'));
      if (!kids || kids.length === 0) {
        if (towards === 'first') await this.#pageObjects(node);
        return;
      }
      const next = towards === 'first' ? kids[0]! : kids.at(-1)!;
      if (towards === 'last') await Promise.all(kids.map((kid) => this.#object(kid)));
      const text = await this.#object(next);
      if (text === null) return;
      node = text;
    }
  }

  /**
   * What page 1 draws with: its resources, contents and annotations, and what they refer to, level by level
   * (each level's objects fetched at once), within MAX_PAGE_DEPTH and MAX_PAGE_OBJECTS.
   */
  async #pageObjects(page: string): Promise<void> {
    const seen = new Set<number>();
    const pageDict = dictOf(page);
    // pdf.js parses the page's annotations before it draws it.
    let level = references([pageDict?.get('Resources'), pageDict?.get('Contents'), pageDict?.get('Annots')].join(' '), seen);
    for (let depth = 1; depth <= MAX_PAGE_DEPTH && level.length > 0 && seen.size <= MAX_PAGE_OBJECTS; depth++) {
      const texts = await Promise.all(level.map((number) => this.#object(number)));
      level = texts.flatMap((text) => {
        if (text === null) return [];
        const dict = dictOf(text);
        const drawn = dict ? [...dict].filter(([key]) => !SKIPPED_KEYS.has(key)).map(([, value]) => value) : [text];
        return references(drawn.join(' '), seen);
      });
    }
  }

  /** Where the object starting at `offset` ends: at the next object's offset. */
  #next(offset: number): number {
    return this.#starts[firstAbove(this.#starts, offset, (start) => start)] ?? this.#bytes.total;
  }

  /** Takes `bytes` from the budget; false when it would run out. */
  #spend(bytes: number): boolean {
    if (bytes > this.#budget) return false;
    this.#budget -= bytes;
    return true;
  }
}

/** The dictionary an object's text holds (`<< … >>`), or null for an array or a value. */
function dictOf(text: string | null): Map<string, string> | null {
  if (text === null) return null;
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('<<')) return objectDict(trimmed);
  return dictEntries(trimmed);
}

/** The object numbers referred to in `text` not yet in `seen` (added to it). */
function references(text: string, seen: Set<number>): number[] {
  const found: number[] = [];
  for (const [, number] of text.matchAll(REFERENCE)) {
    const n = Number(number);
    if (!seen.has(n) && seen.size < MAX_PAGE_OBJECTS) {
      seen.add(n);
      found.push(n);
    }
  }
  return found;
}
