// pdf.js in a render worker thread: its legacy build (the modern one needs newer JavaScript than
// Node 20 has), with the two built-ins it still expects filled in, its fonts, character maps and
// decoders read from the installed package, and scripting and XFA off. Loaded only inside the
// render workers, never on the request path.
import { createRequire } from 'node:module';
import path from 'node:path';

type PdfjsModule = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<PdfjsModule['getDocument']>['promise']>;

/** An open document and how to let it go (pdf.js 6 frees a document through its loading task). */
export interface OpenPdf {
  pdf: PdfDocument;
  destroy(): Promise<void>;
}

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason?: unknown) => void;
}

/** Node 20 lacks these (Node 22 has them); pdf.js 6 calls both. */
function fillMissingBuiltIns(): void {
  const promise = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
  promise.withResolvers ??= function withResolvers<T>(): Resolvers<T> {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const created = new Promise<T>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise: created, resolve, reject };
  };
  const buffer = ArrayBuffer.prototype as unknown as { transferToFixedLength?: (length?: number) => ArrayBuffer };
  buffer.transferToFixedLength ??= function transferToFixedLength(this: ArrayBuffer, length = this.byteLength): ArrayBuffer {
    const copy = new ArrayBuffer(length);
    new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
    return copy;
  };
}

const packageFolder = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** A file inside the installed pdfjs-dist (its standard fonts, for instance). */
export function pdfjsFile(relative: string): string {
  return path.join(packageFolder, relative);
}

let loaded: Promise<PdfjsModule> | null = null;

/**
 * Loads pdf.js and its worker code into this thread: in Node pdf.js runs its "worker" in the same
 * thread, and finds the code already loaded through `globalThis.pdfjsWorker` instead of
 * importing it on the first document.
 */
export function loadPdfjs(): Promise<PdfjsModule> {
  fillMissingBuiltIns();
  loaded ??= (async () => {
    // The worker module ships without types; only its presence matters here.
    const workerModule: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
    const [pdfjs, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import(workerModule) as Promise<unknown>]);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return pdfjs;
  })();
  return loaded;
}

/** Decoded images larger than this (pixels) are skipped rather than exhaust the worker's memory. */
const MAX_IMAGE_PIXELS = 2 ** 26;

/** Opens a copy of the bytes (pdf.js takes ownership of what it is given). */
export async function openPdf(bytes: Uint8Array): Promise<OpenPdf> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    data: bytes.slice(),
    enableXfa: false,
    useSystemFonts: false,
    stopAtErrors: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    verbosity: 0,
    standardFontDataUrl: pdfjsFile('standard_fonts/'),
    cMapUrl: pdfjsFile('cmaps/'),
    cMapPacked: true,
    wasmUrl: pdfjsFile('wasm/'),
    iccUrl: pdfjsFile('iccs/'),
  });
  try {
    return { pdf: await task.promise, destroy: () => task.destroy() };
  } catch (error) {
    void task.destroy().catch(() => {});
    throw error;
  }
}
