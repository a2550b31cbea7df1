import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFArray, PDFDocument, PDFName, PDFNumber, PDFRef, PDFStreamWriter, PDFWriter, type PDFContext, type PDFDict } from 'pdf-lib';
import { page1Bytes } from './pdf-layout.ts';

const run = promisify(execFile);

/**
 * - packed:    every page object and content stream first, the big images after them all.
 * - scattered: a flat page tree, each page object right before its own content and images.
 */
export type Layout = 'packed' | 'scattered';

/** Which first-page targets a document is held to (bench/report.ts). */
export type DocumentKind = 'packed' | 'scattered' | 'linearized' | 'object-streams' | 'real';

interface CommonSpec {
  /** File name in bench/.cache. Bump the version suffix when the generator changes. */
  name: string;
  /** Short name in the summary. */
  label: string;
  kind: DocumentKind;
  pages: number;
  /** Also bench a `qpdf --linearize` copy (skipped with a message without qpdf). */
  linearize?: boolean;
}

/** One image per page with a line of title and a few lines of text. */
export interface ImageDocumentSpec extends CommonSpec {
  content: 'images';
  layout: Layout;
  imageWidth: number;
  imageHeight: number;
  /**
   * rgb-noise: raw RGB random bytes, so nothing compresses it.
   * gray-scan: 8-bit gray Flate, a page of paper grain and dark word blocks, like a scanned book.
   */
  image?: 'rgb-noise' | 'gray-scan';
  /** Non-stream objects (page dictionaries among them) in compressed object streams, with a cross-reference stream. */
  objectStreams?: boolean;
}

/** Text only, written scattered: each page object followed by its font, header form and content streams. */
export interface TextDocumentSpec extends CommonSpec {
  content: 'text';
  linesPerPage: number;
  /** Page content split over this many streams; every other one is Flate-compressed. */
  contentStreams: number;
}

export type DocumentSpec = ImageDocumentSpec | TextDocumentSpec;

export interface GeneratedDocument {
  name: string;
  label: string;
  kind: DocumentKind;
  file: string;
  size: number;
  pages: number;
  /**
   * Bytes a reader must have to draw page 1: header, cross-reference sections and trailers,
   * catalog, page-tree nodes down to page 1, page 1 and what it uses (whole object streams
   * where its objects are compressed).
   */
  page1Bytes: number;
}

const QPDF = '/usr/bin/qpdf';
const GENERATOR_VERSION = 'v1';
/**
 * v2: the streams are kept as they are (qpdf would otherwise compress every uncompressed one, and
 * the copy would differ from its source in more than its layout), and /ID is computed from the
 * content, so every copy is the same file.
 */
const LINEARIZED_VERSION = 'v2';

export const firstPageDocuments: DocumentSpec[] = [
  { name: `packed-200p-${GENERATOR_VERSION}.pdf`, label: 'packed', kind: 'packed', content: 'images', layout: 'packed', pages: 200, imageWidth: 256, imageHeight: 136 },
  {
    name: `scattered-200p-${GENERATOR_VERSION}.pdf`,
    label: 'scattered',
    kind: 'scattered',
    content: 'images',
    layout: 'scattered',
    pages: 200,
    imageWidth: 256,
    imageHeight: 136,
    linearize: true,
  },
  // 160 × 128 RGB: 61,440 bytes a page, 24.7 MB in all.
  {
    name: 'scattered-400p-img60k-v1.pdf',
    label: 'scattered 400p',
    kind: 'scattered',
    content: 'images',
    layout: 'scattered',
    pages: 400,
    imageWidth: 160,
    imageHeight: 128,
    linearize: true,
  },
  { name: 'text-1500p-v1.pdf', label: 'text 1500p', kind: 'scattered', content: 'text', pages: 1500, linesPerPage: 52, contentStreams: 4, linearize: true },
  // pdf-lib puts the object streams after every stream object: page 1's content and image lie at
  // the front, its page dictionary at the end next to the cross-reference stream.
  {
    name: 'objstm-300p-img60k-v1.pdf',
    label: 'object streams 300p',
    kind: 'object-streams',
    content: 'images',
    layout: 'scattered',
    pages: 300,
    imageWidth: 160,
    imageHeight: 128,
    objectStreams: true,
  },
  // 1240 × 1754 gray (A4 at 150 dpi), about 0.43 MB a page compressed.
  {
    name: 'scanned-60p-v1.pdf',
    label: 'scanned 60p',
    kind: 'scattered',
    content: 'images',
    layout: 'scattered',
    pages: 60,
    imageWidth: 1240,
    imageHeight: 1754,
    image: 'gray-scan',
    linearize: true,
  },
];

export const jumpDocument: DocumentSpec = {
  name: `jump-400p-${GENERATOR_VERSION}.pdf`,
  label: 'jump',
  kind: 'packed',
  content: 'images',
  layout: 'packed',
  pages: 400,
  imageWidth: 128,
  imageHeight: 64,
};

export function scrollDocument(quick: boolean): DocumentSpec {
  const pages = quick ? 300 : 1000;
  return {
    name: `scroll-${pages}p-${GENERATOR_VERSION}.pdf`,
    label: 'scroll',
    kind: 'packed',
    content: 'images',
    layout: 'packed',
    pages,
    imageWidth: 64,
    imageHeight: 43,
  };
}

export function qpdfAvailable(): boolean {
  return existsSync(QPDF);
}

/** What is cached beside each file: measured once, as reading page 1's objects parses the whole file. */
interface CachedFacts {
  size: number;
  pages: number;
  page1Bytes: number;
}

/** Generates (or reuses) a document; the output depends only on the spec, so runs are repeatable. */
export async function ensureDocument(dir: string, spec: DocumentSpec): Promise<GeneratedDocument> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, spec.name);
  const facts = await cachedFacts(file, async () => (spec.content === 'text' ? buildTextDocument(spec) : buildImageDocument(spec)), spec.pages);
  return { name: spec.name, label: spec.label, kind: spec.kind, file, ...facts };
}

export function linearizedName(name: string): string {
  return name.replace(/\.pdf$/, `-linearized-${LINEARIZED_VERSION}.pdf`);
}

/** `qpdf --linearize` of a generated document: the same objects and streams, laid out for the first page. */
export async function ensureLinearized(dir: string, source: GeneratedDocument): Promise<GeneratedDocument> {
  const name = linearizedName(source.name);
  const file = path.join(dir, name);
  const facts = await cachedFacts(
    file,
    async () => {
      await run(QPDF, ['--linearize', '--deterministic-id', '--stream-data=preserve', source.file, `${file}.qpdf`]);
      const bytes = new Uint8Array(await readFile(`${file}.qpdf`));
      await rm(`${file}.qpdf`);
      return bytes;
    },
    source.pages,
  );
  return { name, label: `${source.label} + qpdf --linearize`, kind: 'linearized', file, ...facts };
}

/** A document made by `build` the first time, with its facts measured once and kept beside it. */
export async function cachedFacts(file: string, build: () => Promise<Uint8Array>, pages: number): Promise<CachedFacts> {
  const metaFile = `${file}.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    const cached = JSON.parse(await readFile(metaFile, 'utf8')) as Partial<CachedFacts>;
    if (typeof cached.size === 'number' && typeof cached.page1Bytes === 'number' && cached.pages === pages) {
      return { size: cached.size, pages, page1Bytes: cached.page1Bytes };
    }
  }
  const bytes = existsSync(file) ? new Uint8Array(await readFile(file)) : await build();
  const facts: CachedFacts = { size: bytes.byteLength, pages, page1Bytes: await page1Bytes(bytes) };
  if (!existsSync(file)) await writeAtomically(file, bytes);
  await writeFile(metaFile, `${JSON.stringify(facts, null, 2)}\n`);
  return facts;
}

function newDocument(): Promise<PDFDocument> {
  return PDFDocument.create({ updateMetadata: false });
}

function setKids(context: PDFContext, pagesRef: PDFRef, pageRefs: readonly PDFRef[]): void {
  const pageTree = context.lookup(pagesRef) as PDFDict;
  const kids = PDFArray.withContext(context);
  for (const ref of pageRefs) kids.push(ref);
  pageTree.set(PDFName.of('Kids'), kids);
  pageTree.set(PDFName.of('Count'), PDFNumber.of(pageRefs.length));
}

async function buildImageDocument(spec: ImageDocumentSpec): Promise<Uint8Array> {
  const pdf = await newDocument();
  const context = pdf.context;
  const pagesRef = pdf.catalog.get(PDFName.of('Pages')) as PDFRef;
  const font = context.register(
    context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }),
  );

  // pdf-lib writes objects in object-number order, so the order refs are taken decides the layout.
  const pageRefs: PDFRef[] = [];
  const contentRefs: PDFRef[] = [];
  const imageRefs: PDFRef[] = [];
  if (spec.layout === 'packed') {
    for (let i = 0; i < spec.pages; i++) {
      pageRefs.push(context.nextRef());
      contentRefs.push(context.nextRef());
    }
    for (let i = 0; i < spec.pages; i++) imageRefs.push(context.nextRef());
  } else {
    for (let i = 0; i < spec.pages; i++) {
      pageRefs.push(context.nextRef());
      contentRefs.push(context.nextRef());
      imageRefs.push(context.nextRef());
    }
  }

  const [width, height] = [612, 792];
  const scan = spec.image === 'gray-scan';
  // A scan fills the page; otherwise the image sits above a few lines of text.
  const drawnHeight = scan ? height : Math.round((468 * spec.imageHeight) / spec.imageWidth);
  for (let i = 0; i < spec.pages; i++) {
    const text = `Page ${i + 1} of ${spec.pages}`;
    const content = scan
      ? `q ${width} 0 0 ${height} 0 0 cm /Im1 Do Q`
      : [
          `q 468 0 0 ${drawnHeight} 72 ${680 - drawnHeight} cm /Im1 Do Q`,
          `BT /F1 28 Tf 72 720 Td (${text}) Tj ET`,
          `BT /F1 11 Tf 72 ${650 - drawnHeight} Td 14 TL`,
          ...Array.from({ length: 12 }, (_, line) => `(Line ${line + 1} on page ${i + 1}: the quick brown fox jumps over the lazy dog.) '`),
          'ET',
        ].join('\n');
    context.assign(contentRefs[i]!, context.stream(content));
    context.assign(
      imageRefs[i]!,
      scan
        ? context.flateStream(scannedPage(spec.imageWidth, spec.imageHeight, i + 1), {
            Type: 'XObject',
            Subtype: 'Image',
            Width: spec.imageWidth,
            Height: spec.imageHeight,
            ColorSpace: 'DeviceGray',
            BitsPerComponent: 8,
          })
        : context.stream(noise(spec.imageWidth * spec.imageHeight * 3, i + 1), {
            Type: 'XObject',
            Subtype: 'Image',
            Width: spec.imageWidth,
            Height: spec.imageHeight,
            ColorSpace: 'DeviceRGB',
            BitsPerComponent: 8,
          }),
    );
    context.assign(
      pageRefs[i]!,
      context.obj({
        Type: 'Page',
        Parent: pagesRef,
        MediaBox: [0, 0, width, height],
        Resources: scan ? { XObject: { Im1: imageRefs[i]! } } : { Font: { F1: font }, XObject: { Im1: imageRefs[i]! } },
        Contents: contentRefs[i]!,
      }),
    );
  }
  setKids(context, pagesRef, pageRefs);
  // pdf-lib's defaults: 50 objects per object stream, streams Flate-compressed.
  const writer = spec.objectStreams ? PDFStreamWriter.forContext(context, 200, true, 50) : PDFWriter.forContext(context, 200);
  return writer.serializeToBuffer();
}

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her ' +
  'she there been one all we their has would when if so no will more can who out about up into them some could other time ' +
  'than its only new very after two first any these may such like then over also our made did many before must through back ' +
  'years where much your way well down should because each just those people how too little state good very make world still'
).split(' ');

/**
 * Pages as many producers write them: each word placed on its own (a text matrix and a string
 * per word), in a per-page font object, with a per-page header and footer form XObject. About
 * 30 kB of content a page before compression.
 */
async function buildTextDocument(spec: TextDocumentSpec): Promise<Uint8Array> {
  const pdf = await newDocument();
  const context = pdf.context;
  const pagesRef = pdf.catalog.get(PDFName.of('Pages')) as PDFRef;
  const [width, height] = [612, 792];
  const random = xorshift(7);
  const pageRefs: PDFRef[] = [];
  const linesPerStream = Math.ceil(spec.linesPerPage / spec.contentStreams);
  for (let i = 0; i < spec.pages; i++) {
    // Taken in this order, so each page object is followed by everything it uses.
    const pageRef = context.nextRef();
    const fontRef = context.nextRef();
    const formRef = context.nextRef();
    const contentRefs = Array.from({ length: spec.contentStreams }, () => context.nextRef());
    pageRefs.push(pageRef);
    context.assign(
      fontRef,
      context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: i % 2 === 0 ? 'Times-Roman' : 'Helvetica', Encoding: 'WinAnsiEncoding' }),
    );
    const form = [
      '0.4 w 0.3 G 72 748 m 540 748 l S 72 60 m 540 60 l S',
      `BT /F1 9 Tf 72 754 Td (Chapter ${1 + Math.floor(i / 20)}: generated text for the bench) Tj ET`,
      `BT /F1 9 Tf 290 46 Td (${i + 1}) Tj ET`,
    ].join('\n');
    context.assign(
      formRef,
      context.stream(form, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, width, height], Resources: { Font: { F1: fontRef } } }),
    );
    for (let s = 0; s < spec.contentStreams; s++) {
      const lines: string[] = s === 0 ? ['q /Hd Do Q'] : [];
      lines.push('BT /F1 10 Tf');
      for (let l = s * linesPerStream; l < Math.min(spec.linesPerPage, (s + 1) * linesPerStream); l++) {
        const y = 730 - l * 12.8;
        let x = 72;
        while (x < 520) {
          const word = WORDS[random() % WORDS.length]!;
          lines.push(`1 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)} Tm (${word}) Tj`);
          x += word.length * 5.1 + 3.2;
        }
      }
      lines.push('ET');
      const text = lines.join('\n');
      context.assign(contentRefs[s]!, s % 2 === 1 ? context.flateStream(text) : context.stream(text));
    }
    context.assign(
      pageRef,
      context.obj({
        Type: 'Page',
        Parent: pagesRef,
        MediaBox: [0, 0, width, height],
        Resources: { Font: { F1: fontRef }, XObject: { Hd: formRef } },
        Contents: contentRefs,
      }),
    );
  }
  setKids(context, pagesRef, pageRefs);
  return PDFWriter.forContext(context, 200).serializeToBuffer();
}

/** A gray page: paper at 246 with sparse grain, and lines of dark word blocks with a little noise. */
function scannedPage(width: number, height: number, seed: number): Uint8Array {
  const random = xorshift(seed);
  const pixels = new Uint8Array(width * height);
  const margin = Math.round(width / 10);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const value = random();
      pixels[row + x] = value % 16 === 0 ? 230 + ((value >>> 8) & 15) : 246;
    }
    const line = (y - 150) % 36;
    if (y <= 150 || y >= height - 150 || line >= 20) continue;
    for (let x = margin; x < width - margin; ) {
      const word = 20 + (random() % 80);
      for (let i = x; i < Math.min(x + word, width - margin); i++) pixels[row + i] = 40 + (random() & 3) * 8;
      x += word + 12;
    }
  }
  return pixels;
}

/** Deterministic pseudo-random 32-bit numbers (xorshift32). */
function xorshift(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** Deterministic incompressible bytes. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  const random = xorshift(seed);
  for (let i = 0; i < length; i++) out[i] = random() & 0xff;
  return out;
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await writeFile(`${file}.tmp`, bytes);
  await rename(`${file}.tmp`, file);
}
