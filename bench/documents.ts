import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFArray, PDFDocument, PDFName, PDFNumber, PDFRef, PDFWriter, type PDFDict } from 'pdf-lib';

const run = promisify(execFile);

/**
 * - packed:    every page object and content stream first, the big images after them all.
 * - scattered: a flat page tree, each page object right before its own big image.
 */
export type Layout = 'packed' | 'scattered';

export interface DocumentSpec {
  /** File name in bench/.cache. Bump the version suffix when the generator changes. */
  name: string;
  layout: Layout;
  pages: number;
  /** Raw RGB image per page, in pixels; random bytes, so nothing compresses it. */
  imageWidth: number;
  imageHeight: number;
}

export interface GeneratedDocument {
  name: string;
  label: string;
  file: string;
  size: number;
  pages: number;
  /** Bytes a reader must have to draw page 1: header, xref and trailer, catalog, page tree, page 1 and what it uses. */
  page1Bytes: number;
}

const QPDF = '/usr/bin/qpdf';
const GENERATOR_VERSION = 'v1';

export const firstPageDocuments: DocumentSpec[] = [
  { name: `packed-200p-${GENERATOR_VERSION}.pdf`, layout: 'packed', pages: 200, imageWidth: 256, imageHeight: 136 },
  { name: `scattered-200p-${GENERATOR_VERSION}.pdf`, layout: 'scattered', pages: 200, imageWidth: 256, imageHeight: 136 },
];

export const jumpDocument: DocumentSpec = {
  name: `jump-400p-${GENERATOR_VERSION}.pdf`,
  layout: 'packed',
  pages: 400,
  imageWidth: 128,
  imageHeight: 64,
};

export function scrollDocument(quick: boolean): DocumentSpec {
  const pages = quick ? 300 : 1000;
  return { name: `scroll-${pages}p-${GENERATOR_VERSION}.pdf`, layout: 'packed', pages, imageWidth: 64, imageHeight: 43 };
}

export function qpdfAvailable(): boolean {
  return existsSync(QPDF);
}

/** Generates (or reuses) a document; the output depends only on the spec, so runs are repeatable. */
export async function ensureDocument(dir: string, spec: DocumentSpec): Promise<GeneratedDocument> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, spec.name);
  const metaFile = `${file}.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    return JSON.parse(await readFile(metaFile, 'utf8')) as GeneratedDocument;
  }
  const { bytes, page1Objects } = await buildDocument(spec);
  await writeAtomically(file, bytes);
  const doc: GeneratedDocument = {
    name: spec.name,
    label: spec.layout,
    file,
    size: bytes.byteLength,
    pages: spec.pages,
    page1Bytes: neededBytes(bytes, page1Objects),
  };
  await writeFile(metaFile, JSON.stringify(doc, null, 2));
  return doc;
}

/** `qpdf --linearize` of a generated document. Page 1 needs the same objects, so the floor is kept. */
export async function ensureLinearized(dir: string, source: GeneratedDocument): Promise<GeneratedDocument> {
  const name = source.name.replace(/\.pdf$/, '-linearized.pdf');
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    await run(QPDF, ['--linearize', source.file, `${file}.tmp`]);
    await rename(`${file}.tmp`, file);
  }
  return { ...source, name, label: `${source.label} + qpdf --linearize`, file, size: (await stat(file)).size };
}

async function buildDocument(spec: DocumentSpec): Promise<{ bytes: Uint8Array; page1Objects: number[] }> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
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
  const drawnHeight = Math.round((468 * spec.imageHeight) / spec.imageWidth);
  for (let i = 0; i < spec.pages; i++) {
    const text = `Page ${i + 1} of ${spec.pages}`;
    const content = [
      `q 468 0 0 ${drawnHeight} 72 ${680 - drawnHeight} cm /Im1 Do Q`,
      `BT /F1 28 Tf 72 720 Td (${text}) Tj ET`,
      `BT /F1 11 Tf 72 ${650 - drawnHeight} Td 14 TL`,
      ...Array.from({ length: 12 }, (_, line) => `(Line ${line + 1} on page ${i + 1}: the quick brown fox jumps over the lazy dog.) '`),
      'ET',
    ].join('\n');
    context.assign(contentRefs[i]!, context.stream(content));
    context.assign(
      imageRefs[i]!,
      context.stream(noise(spec.imageWidth * spec.imageHeight * 3, i + 1), {
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
        Resources: { Font: { F1: font }, XObject: { Im1: imageRefs[i]! } },
        Contents: contentRefs[i]!,
      }),
    );
  }
  const pageTree = context.lookup(pagesRef) as PDFDict;
  pageTree.set(PDFName.of('Kids'), PDFArray.withContext(context));
  const kids = pageTree.get(PDFName.of('Kids')) as PDFArray;
  for (const ref of pageRefs) kids.push(ref);
  pageTree.set(PDFName.of('Count'), PDFNumber.of(spec.pages));

  const catalogRef = context.trailerInfo.Root as PDFRef;
  const bytes = await PDFWriter.forContext(context, 200).serializeToBuffer();
  const page1Objects = [catalogRef, pagesRef, pageRefs[0]!, contentRefs[0]!, imageRefs[0]!, font].map((ref) => ref.objectNumber);
  return { bytes, page1Objects };
}

/** Sums the listed objects' sizes (from the xref table's offsets) plus the header and the xref/trailer. */
function neededBytes(bytes: Uint8Array, objectNumbers: number[]): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tail = text.subarray(Math.max(0, text.length - 64)).toString('latin1');
  const xrefAt = Number(/startxref\s+(\d+)/.exec(tail)?.[1]);
  const xref = text.subarray(xrefAt).toString('latin1');
  const header = /^xref\s+(\d+)\s+(\d+)\s+/.exec(xref);
  if (!header) throw new Error('generated PDF has no classic xref table');
  const first = Number(header[1]);
  const count = Number(header[2]);
  const offsets = new Map<number, number>();
  let at = header[0].length;
  for (let n = first; n < first + count; n++, at += 20) {
    const entry = /^(\d{10}) (\d{5}) ([nf])/.exec(xref.slice(at, at + 20));
    if (entry?.[3] === 'n') offsets.set(n, Number(entry[1]));
  }
  const sorted = [...offsets.values(), xrefAt].sort((a, b) => a - b);
  const sizeOf = (n: number): number => {
    const start = offsets.get(n);
    if (start === undefined) throw new Error(`object ${n} not in xref`);
    return sorted[sorted.indexOf(start) + 1]! - start;
  };
  const headerBytes = sorted[0] ?? 0;
  return headerBytes + objectNumbers.reduce((sum, n) => sum + sizeOf(n), 0) + (text.length - xrefAt);
}

/** Deterministic incompressible bytes (xorshift32). */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await writeFile(`${file}.tmp`, bytes);
  await rename(`${file}.tmp`, file);
}
