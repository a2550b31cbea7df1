import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createViewerEvent } from '../events.ts';

// The print button's look while a print is prepared loads with the print code.
export { printProgressStyles, renderPrintProgress } from '../ui/print/print-progress.ts';

/** 150 dpi: sharp on paper; each page is kept only as a compressed image. */
const PRINT_SCALE = 150 / 72;
/** JPEG: every browser prints it, and a page of text compresses to tens of kilobytes. */
const IMAGE_TYPE = 'image/jpeg';
const IMAGE_QUALITY = 0.9;
const CONTAINER_ATTRIBUTE = 'data-secure-viewer-print';

let printSheet: CSSStyleSheet | undefined;

/** While printing, only our page images are shown; on screen they are never visible. */
function adoptPrintSheet(): CSSStyleSheet {
  if (!printSheet) {
    printSheet = new CSSStyleSheet();
    printSheet.replaceSync(`
      @media screen { [${CONTAINER_ATTRIBUTE}] { display: none !important; } }
      @media print {
        body > :not([${CONTAINER_ATTRIBUTE}]) { display: none !important; }
        [${CONTAINER_ATTRIBUTE}] img { display: block; inline-size: 100%; block-size: auto; break-after: page; }
        @page { margin: 0; }
      }`);
  }
  // A constructed sheet rather than a <style> element, so a strict CSP needs no 'unsafe-inline'.
  if (!document.adoptedStyleSheets.includes(printSheet)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, printSheet];
  return printSheet;
}

export interface PrintOptions {
  /** The element: `sv-print` is fired on it once the print dialog has closed. */
  host: EventTarget;
  /** Draws the watermark into each page before it becomes an image. */
  decorate: (canvas: HTMLCanvasElement) => Promise<void>;
  signal: AbortSignal;
  /** `done` of `total` pages are ready as images. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Prints the document's pages (not the host page). Pages are drawn one at a time at print
 * resolution into a single canvas, watermarked and compressed into an image; only the images are
 * kept, so a long document costs its images plus one page of canvas, not a canvas per page.
 */
export async function printDocument(pdf: PDFDocumentProxy, options: PrintOptions): Promise<void> {
  const canvas = document.createElement('canvas');
  try {
    await printPages(pdf.numPages, (number) => pageImage(pdf, number, canvas, options.decorate), options);
  } finally {
    canvas.width = canvas.height = 0;
  }
}

/**
 * Prints `total` pages, each an image `image(number)` gives (one at a time, in order), and fires
 * `sv-print` once the print dialog has closed. Only the images are shown while printing.
 */
export async function printPages(total: number, image: (number: number) => Promise<Blob>, options: Omit<PrintOptions, 'decorate'>): Promise<void> {
  const { signal } = options;
  const container = document.createElement('div');
  container.setAttribute(CONTAINER_ATTRIBUTE, '');
  container.setAttribute('aria-hidden', 'true');
  const urls: string[] = [];
  const loads: Array<Promise<void>> = [];
  const sheet = adoptPrintSheet();
  // Hidden on screen by the print sheet; in the page early so each image loads while the next is drawn.
  document.body.append(container);
  try {
    options.onProgress?.(0, total);
    for (let number = 1; number <= total; number++) {
      if (signal.aborted) return;
      const blob = await image(number);
      if (signal.aborted) return;
      const url = URL.createObjectURL(blob);
      urls.push(url);
      const element = document.createElement('img');
      element.alt = '';
      // Wait for the bytes only: decoding a thousand pages at once would cost what we avoid here.
      loads.push(loaded(element));
      element.src = url;
      container.append(element);
      options.onProgress?.(number, total);
    }
    await Promise.all(loads);
    if (signal.aborted) return;
    window.print();
    options.host.dispatchEvent(createViewerEvent('sv-print', { numPages: total }));
  } finally {
    container.remove();
    for (const url of urls) URL.revokeObjectURL(url);
    if (!document.querySelector(`[${CONTAINER_ATTRIBUTE}]`)) {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  }
}

/** Settles when the image's bytes have loaded (or failed to). */
function loaded(image: HTMLImageElement): Promise<void> {
  return new Promise((resolve) => {
    image.addEventListener('load', () => resolve(), { once: true });
    image.addEventListener('error', () => resolve(), { once: true });
  });
}

/** Draws one page into the shared canvas, watermarks it and compresses it; the canvas is then reused. */
async function pageImage(pdf: PDFDocumentProxy, number: number, canvas: HTMLCanvasElement, decorate: (canvas: HTMLCanvasElement) => Promise<void>): Promise<Blob> {
  const page = await pdf.getPage(number);
  try {
    const viewport = page.getViewport({ scale: PRINT_SCALE });
    // Assigning the size also clears the previous page.
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    await page.render({ canvas, viewport, intent: 'print', background: 'white' }).promise;
    await decorate(canvas);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, IMAGE_TYPE, IMAGE_QUALITY));
    if (!blob) throw new Error(`Page ${number} could not be turned into an image for printing.`);
    return blob;
  } finally {
    // Operator lists and fonts of a printed page are not needed again.
    page.cleanup();
  }
}
