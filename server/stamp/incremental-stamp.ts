// Stamps every page of a PDF with a line of text (who downloaded it, when, with which token) as an
// incremental update: the original bytes stay as they are, and what is appended redefines each
// page object with two more content streams (one saving the graphics state before the page's own
// content, one restoring it and drawing the stamp), adds a standard font, and ends with a new
// cross-reference section whose /Prev points at the original's. The section is a classic table
// when the original ends with one, and a cross-reference stream when it ends with a stream
// (readers expect an update to keep the kind of the section it extends).
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, type PDFContext, type PDFObject } from 'pdf-lib';
import { RenderFailure } from '../render/render-failure.ts';

const latin1 = new TextDecoder('latin1');
const encoder = new TextEncoder();

interface PreviousSection {
  /** Where the original's last cross-reference section starts (its `startxref`). */
  offset: number;
  kind: 'table' | 'stream';
  /** The original's /Size: object numbers below it are taken. */
  size: number;
}

function damaged(): RenderFailure {
  return new RenderFailure('invalid_document', 'The document could not be read as a PDF.');
}

function previousSection(original: Uint8Array): PreviousSection {
  const tailStart = Math.max(0, original.length - 4096);
  const tail = latin1.decode(original.subarray(tailStart));
  const matches = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)];
  const last = matches.at(-1);
  if (!last) throw damaged();
  const offset = Number(last[1]);
  if (!(offset > 0 && offset < original.length)) throw damaged();
  // The section's own text, up to its data: enough to read its kind and /Size.
  const head = latin1.decode(original.subarray(offset, Math.min(original.length, offset + 64 * 1024)));
  if (/^\s*xref\b/.test(head)) {
    const trailer = /trailer\s*<<([\s\S]*?)startxref/.exec(head);
    const size = trailer ? /\/Size\s+(\d+)/.exec(trailer[1]!) : null;
    if (!size) throw damaged();
    return { offset, kind: 'table', size: Number(size[1]) };
  }
  const stream = /^\s*\d+\s+\d+\s+obj\s*<<([\s\S]*?)stream/.exec(head);
  const size = stream ? /\/Size\s+(\d+)/.exec(stream[1]!) : null;
  if (!size || !/\/Type\s*\/XRef/.test(stream![1]!)) throw damaged();
  return { offset, kind: 'stream', size: Number(size[1]) };
}

/** Printable ASCII only (the standard font's encoding), as a PDF literal string. */
function literal(text: string): string {
  const plain = text.replace(/[^\x20-\x7e]/g, '?');
  return `(${plain.replace(/([\\()])/g, '\\$1')})`;
}

/**
 * The matrix from the page as it is shown (origin at its shown bottom left, x to the right) to
 * PDF user space, for a page box and the page's /Rotate; and the shown width.
 */
function shownSpace(box: [number, number, number, number], rotate: number): { matrix: number[]; width: number } {
  const [x0, y0, x1, y1] = box;
  switch (rotate) {
    case 90:
      return { matrix: [0, 1, -1, 0, x1, y0], width: y1 - y0 };
    case 180:
      return { matrix: [-1, 0, 0, -1, x1, y1], width: x1 - x0 };
    case 270:
      return { matrix: [0, -1, 1, 0, x0, y1], width: y1 - y0 };
    default:
      return { matrix: [1, 0, 0, 1, x0, y0], width: x1 - x0 };
  }
}

function numbers(array: PDFArray | undefined): [number, number, number, number] | null {
  if (!array || array.size() !== 4) return null;
  const values = array.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : NaN));
  if (values.some((value) => !Number.isFinite(value))) return null;
  const [a, b, c, d] = values as [number, number, number, number];
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

function stampOperators(text: string, box: [number, number, number, number], rotate: number, font: string): string {
  const { matrix, width } = shownSpace(box, rotate);
  const margin = 10;
  // Helvetica averages about half an em per character: the line fits the page's width.
  const size = Math.max(3, Math.min(8, (width - 2 * margin) / (text.length * 0.52)));
  const format = (value: number) => String(Math.round(value * 1000) / 1000);
  return [
    'Q',
    'q',
    `${matrix.map(format).join(' ')} cm`,
    'BT',
    `/${font} ${format(size)} Tf`,
    '0.6 0.05 0.05 rg',
    `${margin} ${format(margin * 0.8)} Td`,
    `${literal(text)} Tj`,
    'ET',
    'Q',
    '',
  ].join('\n');
}

function serialize(object: PDFObject): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}

/** The page's content streams as references, whether the page has one, an array, or none. */
function contentRefs(context: PDFContext, contents: PDFObject | undefined): PDFObject[] {
  if (contents === undefined) return [];
  const resolved = contents instanceof PDFRef ? context.lookup(contents) : contents;
  if (resolved instanceof PDFArray) return resolved.asArray();
  return [contents];
}

/** Returns the bytes to append to `original` so that every page shows `lines` (joined) at its foot. */
export async function stampIncrementally(original: Uint8Array, lines: readonly string[]): Promise<Uint8Array> {
  const previous = previousSection(original);
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(original, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    throw damaged();
  }
  if (pdf.isEncrypted) throw new RenderFailure('encrypted_document', 'An encrypted document cannot be stamped.');
  const context = pdf.context;
  const { Root, Info, ID } = context.trailerInfo;
  if (!(Root instanceof PDFRef)) throw damaged();
  let pages;
  try {
    pages = pdf.getPages();
  } catch {
    throw damaged();
  }
  const text = lines.join(' | ');
  let next = Math.max(previous.size, context.largestObjectNumber + 1);
  const objects: Array<{ ref: PDFRef; object: PDFObject }> = [];
  const fontRef = PDFRef.of(next++);
  objects.push({ ref: fontRef, object: context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }) });
  const saveRef = PDFRef.of(next++);
  objects.push({ ref: saveRef, object: context.stream('q\n') });
  for (const page of pages) {
    const node = page.node;
    const resources = node.Resources();
    const newResources = resources ? resources.clone(context) : context.obj({});
    const fonts = resources?.lookupMaybe(PDFName.Font, PDFDict);
    const newFonts = fonts ? fonts.clone(context) : context.obj({});
    let fontName = 'SVStamp';
    while (newFonts.has(PDFName.of(fontName))) fontName += 'X';
    newFonts.set(PDFName.of(fontName), fontRef);
    newResources.set(PDFName.Font, newFonts);
    const box = numbers(node.CropBox()) ?? numbers(node.MediaBox()) ?? [0, 0, 612, 792];
    const rotation = (((node.Rotate()?.asNumber() ?? 0) % 360) + 360) % 360;
    const stampRef = PDFRef.of(next++);
    objects.push({ ref: stampRef, object: context.stream(stampOperators(text, box, rotation, fontName)) });
    const redefined = node.clone(context);
    redefined.set(PDFName.of('Contents'), context.obj([saveRef, ...contentRefs(context, node.get(PDFName.of('Contents'))), stampRef]));
    redefined.set(PDFName.Resources, newResources);
    objects.push({ ref: page.ref, object: redefined });
  }

  const parts: Uint8Array[] = [];
  let length = 0;
  const write = (chunk: string | Uint8Array) => {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    parts.push(bytes);
    length += bytes.length;
  };
  const lastByte = original[original.length - 1];
  if (lastByte !== 0x0a && lastByte !== 0x0d) write('\n');
  const offsets = new Map<number, { offset: number; generation: number }>();
  for (const { ref, object } of objects) {
    offsets.set(ref.objectNumber, { offset: original.length + length, generation: ref.generationNumber });
    write(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    write(serialize(object));
    write('\nendobj\n');
  }
  const trailerEntries = [`/Root ${Root.toString()}`];
  if (Info instanceof PDFRef) trailerEntries.push(`/Info ${Info.toString()}`);
  if (ID instanceof PDFArray) trailerEntries.push(`/ID ${ID.toString()}`);
  trailerEntries.push(`/Prev ${previous.offset}`);

  if (previous.kind === 'table') {
    const size = next;
    const xrefOffset = original.length + length;
    write('xref\n');
    for (const run of runs([...offsets.keys()])) {
      write(`${run.start} ${run.count}\n`);
      for (let number = run.start; number < run.start + run.count; number++) {
        const entry = offsets.get(number)!;
        write(`${String(entry.offset).padStart(10, '0')} ${String(entry.generation).padStart(5, '0')} n\r\n`);
      }
    }
    write(`trailer\n<< /Size ${size} ${trailerEntries.join(' ')} >>\nstartxref\n${xrefOffset}\n%%EOF\n`);
  } else {
    const xrefNumber = next++;
    const xrefOffset = original.length + length;
    offsets.set(xrefNumber, { offset: xrefOffset, generation: 0 });
    const numbersInOrder = [...offsets.keys()].sort((a, b) => a - b);
    const data = new Uint8Array(numbersInOrder.length * 7);
    const view = new DataView(data.buffer);
    numbersInOrder.forEach((number, index) => {
      const entry = offsets.get(number)!;
      view.setUint8(index * 7, 1);
      view.setUint32(index * 7 + 1, entry.offset);
      view.setUint16(index * 7 + 5, entry.generation);
    });
    const index = runs(numbersInOrder).flatMap((run) => [run.start, run.count]);
    write(`${xrefNumber} 0 obj\n<< /Type /XRef /Size ${next} /Index [${index.join(' ')}] /W [1 4 2] ${trailerEntries.join(' ')} /Length ${data.length} >>\nstream\n`);
    write(data);
    write(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`);
  }
  const appended = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    appended.set(part, at);
    at += part.length;
  }
  return appended;
}

/** Consecutive object numbers, grouped as a section's subsections. */
function runs(objectNumbers: number[]): Array<{ start: number; count: number }> {
  const sorted = [...objectNumbers].sort((a, b) => a - b);
  const out: Array<{ start: number; count: number }> = [];
  for (const number of sorted) {
    const last = out.at(-1);
    if (last && last.start + last.count === number) last.count++;
    else out.push({ start: number, count: 1 });
  }
  return out;
}
