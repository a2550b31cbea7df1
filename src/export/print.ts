import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** 150 dpi: sharp on paper without holding hundreds of megabytes for long documents. */
const PRINT_SCALE = 150 / 72;
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
  /** Draws the watermark into each page before it becomes an image. */
  decorate: (canvas: HTMLCanvasElement) => void;
  signal: AbortSignal;
}

/**
 * Prints the document's pages (not the host page): each is drawn at print resolution, watermarked,
 * turned into an image in a print-only container, and the browser's print dialog is opened.
 */
export async function printDocument(pdf: PDFDocumentProxy, options: PrintOptions): Promise<void> {
  const container = document.createElement('div');
  container.setAttribute(CONTAINER_ATTRIBUTE, '');
  container.setAttribute('aria-hidden', 'true');
  const urls: string[] = [];
  const sheet = adoptPrintSheet();
  try {
    for (let number = 1; number <= pdf.numPages; number++) {
      if (options.signal.aborted) return;
      const page = await pdf.getPage(number);
      const viewport = page.getViewport({ scale: PRINT_SCALE });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      await page.render({ canvas, viewport, intent: 'print' }).promise;
      options.decorate(canvas);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      // Free the backing store at once: long documents would otherwise hold every page.
      canvas.width = canvas.height = 0;
      page.cleanup();
      if (!blob) continue;
      const url = URL.createObjectURL(blob);
      urls.push(url);
      const image = document.createElement('img');
      image.alt = '';
      image.src = url;
      container.append(image);
    }
    if (options.signal.aborted) return;
    document.body.append(container);
    await Promise.all([...container.querySelectorAll('img')].map((image) => image.decode().catch(() => {})));
    window.print();
  } finally {
    container.remove();
    for (const url of urls) URL.revokeObjectURL(url);
    if (!document.querySelector(`[${CONTAINER_ATTRIBUTE}]`)) {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  }
}
