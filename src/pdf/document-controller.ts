import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ViewerError, asViewerError } from '../errors.ts';
import type { TokenAccess } from '../net/token-access.ts';
import { fetchFirstBytes } from '../fetch/first-bytes.ts';
import type { PasswordReason } from './open-document.ts';
import type { PageViewer, Zoom } from './page-viewer.ts';
import { mapPdfjsError } from './pdfjs-error.ts';
import { loadPdfjs } from './pdfjs.ts';

export interface DocumentRequest {
  url: string;
  container: HTMLDivElement;
  viewer: HTMLDivElement;
  shadowRoot: ShadowRoot;
  textLayer: boolean;
  pageLabel: (page: number) => string;
  /** Where to open, read when the pages are laid out: the host may navigate while it loads. */
  view: () => { page: number; zoom: Zoom };
  /** Code the pages need before the first is drawn (the watermark's), if any: awaited with pdf.js's viewer. */
  beforePages?: () => Promise<unknown> | undefined;
}

/**
 * pdf.js, its worker, its viewer components, the code that opens and shows documents or code the
 * pages need could not be loaded: a network failure, not a bad document.
 */
const ENGINE_UNAVAILABLE = new Error('engine unavailable');

/** What the element learns from a load. Callbacks never fire for a load that was closed. */
export interface DocumentEvents {
  onProgress(loaded: number, total: number): void;
  onLoaded(numPages: number): void;
  onPageChange(page: number): void;
  onError(error: ViewerError): void;
  onPassword(reason: PasswordReason): Promise<string | null>;
  onPageRendered(page: number, canvas: HTMLCanvasElement): void;
  onScaleChange(scale: number): void;
}

/**
 * Owns one document at a time: loading, the page viewer, and teardown. Closing (a new `src`,
 * `reload()`, or removal from the page) aborts every request and destroys the pdf.js task, and
 * nothing of the old load calls back afterwards.
 */
export class DocumentController implements ReactiveController {
  readonly #tokens: TokenAccess;
  readonly #events: DocumentEvents;
  #generation = 0;
  #abort: AbortController | null = null;
  #task: PDFDocumentLoadingTask | null = null;
  #document: PDFDocumentProxy | null = null;
  #pages: PageViewer | null = null;
  #disposition: string | null = null;
  #closing: Promise<void> = Promise.resolve();

  /** `tokens` authorizes every request of every document this controller opens. */
  constructor(host: ReactiveControllerHost, tokens: TokenAccess, events: DocumentEvents) {
    this.#tokens = tokens;
    this.#events = events;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    void this.close();
  }

  /** The open document's page viewer, once pages exist. */
  get pages(): PageViewer | null {
    return this.#pages;
  }

  get document(): PDFDocumentProxy | null {
    return this.#document;
  }

  /** The server's `Content-Disposition` for the open document, if any. */
  get disposition(): string | null {
    return this.#disposition;
  }

  /** Opens a document, closing the previous one first. */
  async open(request: DocumentRequest): Promise<void> {
    await this.close();
    const generation = ++this.#generation;
    const abort = new AbortController();
    this.#abort = abort;
    const current = () => generation === this.#generation && !abort.signal.aborted;
    const fail = (error: unknown) => {
      if (!current()) return;
      void this.close();
      this.#events.onError(asViewerError(error));
    };

    // The first requests go out now, while pdf.js is still downloading and parsing.
    const first = fetchFirstBytes(request.url, this.#tokens, {
      signal: abort.signal,
      onProgress: (loaded, total) => current() && this.#events.onProgress(loaded, total),
    });

    try {
      // No engine download for a document that cannot be had: pdf.js comes once there is a token
      // (at once when the host gave one), while the first bytes are already on their way.
      await this.#tokens.token();
      if (!current()) return;
      const [pdfjs, engine] = await Promise.all([loadPdfjs(), import('./document-engine.ts')]).catch(() => {
        throw ENGINE_UNAVAILABLE;
      });
      if (!current()) return;
      const { task, document, disposition } = await engine.openDocument(pdfjs, {
        first,
        signal: abort.signal,
        onPassword: (reason) => (current() ? this.#events.onPassword(reason) : Promise.resolve(null)),
        onTask: (task) => {
          this.#task = task;
        },
        onFatal: fail,
      });
      if (!current()) {
        await task.destroy();
        return;
      }
      this.#document = document;
      this.#disposition = disposition;
      const [viewer, viewerCss] = await Promise.all([pdfjs.viewer, pdfjs.viewerCss, request.beforePages?.()]).catch(() => {
        throw ENGINE_UNAVAILABLE;
      });
      if (!current()) return;
      engine.adoptViewerStyles(request.shadowRoot, viewerCss);
      const pages = new engine.PageViewer({ lib: pdfjs.lib, viewer }, {
        container: request.container,
        viewer: request.viewer,
        shadowRoot: request.shadowRoot,
        textLayer: request.textLayer,
        pageLabel: request.pageLabel,
        onPageChange: (page) => current() && this.#events.onPageChange(page),
        onPageRendered: (page, canvas) => current() && this.#events.onPageRendered(page, canvas),
        onScaleChange: (scale) => current() && this.#events.onScaleChange(scale),
        signal: abort.signal,
      });
      const view = request.view();
      pages.zoom = view.zoom;
      pages.page = view.page;
      pages.setDocument(document);
      this.#pages = pages;
      this.#events.onLoaded(document.numPages);
    } catch (error) {
      fail(await this.#explain(error, first.probe));
    }
  }

  /**
   * Turns a failure into the contract's error. The document's own answer wins (a 404 is a 404 even
   * if pdf.js failed to load meanwhile); a pdf.js that cannot be loaded is a network failure.
   */
  async #explain(error: unknown, probe: Promise<unknown>): Promise<ViewerError> {
    if (error instanceof ViewerError) return error;
    const probeError = await probe.then(
      () => null,
      (reason: unknown) => reason,
    );
    if (probeError instanceof ViewerError) return probeError;
    if (error === ENGINE_UNAVAILABLE) {
      return new ViewerError('network', { message: 'The viewer could not load its PDF engine. Check your connection and try again.' });
    }
    return mapPdfjsError(error);
  }

  /** Stops everything of the current document. Safe to call at any time, any number of times. */
  close(): Promise<void> {
    this.#generation++;
    const abort = this.#abort;
    const task = this.#task;
    const pages = this.#pages;
    this.#abort = null;
    this.#task = null;
    this.#pages = null;
    this.#document = null;
    this.#disposition = null;
    abort?.abort();
    pages?.destroy();
    if (task) {
      // Awaited before the next open: pdf.js must finish tearing down the old document first.
      this.#closing = this.#closing.then(() => task.destroy()).catch(() => {});
    }
    return this.#closing;
  }
}
