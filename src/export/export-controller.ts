import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { asViewerError, type ViewerError } from '../errors.ts';
import type { ViewerStringOverrides } from '../i18n/strings.ts';
import { adoptSheet } from '../internal/adopt-sheet.ts';

/**
 * A document whose pages come as images from its server (server-rendered mode): saved as the
 * server's stamped copy, printed from page images.
 */
export interface ImageDocument {
  readonly numPages: number;
  /** Saves the server's copy and fires `sv-download` on `host`. */
  save(host: EventTarget): Promise<void>;
  /** Each page's image for printing, one at a time. */
  printImages(signal: AbortSignal): (page: number) => Promise<Blob>;
}

export interface ExportSource {
  /** The open document, or null. */
  document(): PDFDocumentProxy | null;
  /** The open document when its pages are images from its server; null otherwise. */
  imageDocument?(): ImageDocument | null;
  /** The server's `Content-Disposition` for it, if any (its file name is the download's). */
  disposition(): string | null;
  /** Whether the token allows `download` / `print` (a UI hint; the server enforces). */
  allows(permission: 'download' | 'print'): boolean;
  /** Draws the watermark into a page about to be printed. */
  decorate(canvas: HTMLCanvasElement): Promise<void>;
  /** An export failed while the document is still open and shown. */
  onError(error: ViewerError): void;
}

export interface ExportHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * Download and print of the open document, one at a time. Leaving the page or opening another
 * document abandons the one under way. The code that saves or prints is a chunk of its own,
 * loaded on first use (the button shows the export as busy meanwhile), and announces the export
 * on the element once done (`sv-download`, `sv-print`).
 */
export class ExportController implements ReactiveController {
  readonly #host: ExportHost;
  readonly #source: ExportSource;
  #abort: AbortController | null = null;
  #printProgress: number | null = null;
  #print: typeof import('./print.ts') | null = null;

  constructor(host: ExportHost, source: ExportSource) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  /** True while a download or print is being prepared. */
  get busy(): boolean {
    return this.#abort !== null;
  }

  /**
   * The print button while a print is being prepared, once the print code is there (the plain
   * button shows the print as busy until then); else null.
   */
  renderPrintProgress(strings: ViewerStringOverrides | null): TemplateResult | null {
    if (this.#printProgress === null || !this.#print) return null;
    return this.#print.renderPrintProgress(this.#printProgress, strings, () => this.cancelPrint());
  }

  /** Saves the whole file, under the server's name or the PDF's title. */
  download(): Promise<void> {
    const images = this.#source.imageDocument?.();
    if (images) return this.#runOn('download', () => this.#source.imageDocument?.() ?? null, (doc) => doc.save(this.#host));
    return this.#run('download', async (pdf) => {
      const { saveDocument } = await import('./download.ts');
      await saveDocument(pdf, this.#source.disposition(), this.#host);
    });
  }

  /** Prints the document's pages, watermarked. */
  print(): Promise<void> {
    const images = this.#source.imageDocument?.();
    if (images) {
      return this.#runOn('print', () => this.#source.imageDocument?.() ?? null, (doc, signal) =>
        this.#printWith(signal, (print, options) => print.printPages(doc.numPages, doc.printImages(signal), options)),
      );
    }
    return this.#run('print', (pdf, signal) =>
      this.#printWith(signal, (print, options) => print.printDocument(pdf, { ...options, decorate: (canvas) => this.#source.decorate(canvas) })),
    );
  }

  /** A print with its progress on the print button. */
  async #printWith(
    signal: AbortSignal,
    work: (print: typeof import('./print.ts'), options: { host: EventTarget; signal: AbortSignal; onProgress: (done: number, total: number) => void }) => Promise<void>,
  ): Promise<void> {
    // Under way (and cancellable) from the press on, while the print code may still be loading.
    this.#printProgress = 0;
    try {
      const print = await import('./print.ts');
      if (!this.#print) adoptSheet(this.#host.renderRoot, print.printProgressStyles.styleSheet);
      this.#print = print;
      this.#host.requestUpdate();
      if (signal.aborted) return;
      await work(print, {
        host: this.#host,
        signal,
        onProgress: (done, total) => {
          if (signal.aborted) return;
          this.#printProgress = total > 0 ? done / total : 0;
          this.#host.requestUpdate();
        },
      });
    } finally {
      this.#printProgress = null;
    }
  }

  /** Stops a print being prepared (the reader pressed the print button again, or Escape); true if one was. */
  cancelPrint(): boolean {
    if (this.#printProgress === null) return false;
    this.abort();
    return true;
  }

  /** Abandons the export under way, if any. */
  abort(): void {
    this.#abort?.abort();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.abort();
  }

  /**
   * A range that failed for good has already ended the load; any other failure is reported and
   * leaves the view as it is.
   */
  #run(permission: 'download' | 'print', work: (pdf: PDFDocumentProxy, signal: AbortSignal) => Promise<void>): Promise<void> {
    return this.#runOn(permission, () => this.#source.document(), work);
  }

  /** One export of the document `current()` gives, if it is still the open one when it fails. */
  async #runOn<T extends object>(permission: 'download' | 'print', current: () => T | null, work: (doc: T, signal: AbortSignal) => Promise<void>): Promise<void> {
    const doc = current();
    if (!doc || !this.#source.allows(permission) || this.busy) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#host.requestUpdate();
    try {
      await work(doc, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted && current() === doc) this.#source.onError(asViewerError(error));
    } finally {
      if (this.#abort === abort) this.#abort = null;
      this.#host.requestUpdate();
    }
  }
}
