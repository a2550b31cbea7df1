import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ViewerError } from './errors.ts';
import type { ImageDocument } from './export/export-controller.ts';
import type { LoadStatus } from './load-controller.ts';
import { documentUrl } from './net/document-url.ts';
import { DocumentController, type DocumentEvents } from './pdf/document-controller.ts';
import type { PageViewer } from './pdf/page-viewer.ts';
import type { Zoom } from './pdf/zoom.ts';
import { ServerPagesController } from './server-pages/server-pages-controller.ts';
import type { ServerPageView } from './server-pages/server-document.ts';
import type { TokenController } from './token/token-controller.ts';
import type { ReaderEventsHost } from './reader-events/reader-events.ts';
import type { FindResult } from './ui/find/find-bar.ts';
import type { DocumentSearch } from './ui/reader-controls.ts';
import type { SidebarDocument } from './ui/sidebar/sidebar-options.ts';

export interface SourceHost extends ReaderEventsHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** The load a source opens for: where it stands, and how it fails. */
export interface SourceLoad {
  status: LoadStatus;
  fail(error: ViewerError): void;
}

/** What the source reads of the element, when it needs it, besides what it reports (`DocumentEvents`). */
export interface SourceSettings extends DocumentEvents {
  load(): SourceLoad;
  /** The page's label as the reader sees it (the document's own page labels). */
  pageLabel(page: number): string;
  /** Where to open, read when the pages are laid out: the host may navigate while it loads. */
  view(): { page: number; zoom: Zoom };
  /** Code the pdf.js pages need before the first is drawn (the watermark's), if any. */
  beforePages(): Promise<unknown> | undefined;
}

/**
 * The open document, whichever way its pages are drawn: pdf.js from the PDF's bytes, or the
 * server's images (`render="server"`). Opens `src` in the mode asked for and hands out what the
 * rest of the element needs of the document (pages, export, find, sidebar) from the one that is open.
 */
export class DocumentSource {
  readonly #host: SourceHost;
  readonly #tokens: TokenController;
  readonly #settings: SourceSettings;
  readonly #pdf: DocumentController;
  readonly #server: ServerPagesController;

  /** `tokens` authorizes every request of every document this source opens. */
  constructor(host: SourceHost, tokens: TokenController, settings: SourceSettings) {
    this.#host = host;
    this.#tokens = tokens;
    this.#settings = settings;
    this.#pdf = new DocumentController(host, tokens, settings);
    this.#server = new ServerPagesController(host, tokens, settings);
  }

  /** The open document's pages, in either mode, once they exist. */
  get pages(): PageViewer | ServerPageView | null {
    return this.#pdf.pages ?? this.#server.pages;
  }

  /** pdf.js's page viewer (PDF mode only). */
  get pdfPages(): PageViewer | null {
    return this.#pdf.pages;
  }

  /** pdf.js's open document (PDF mode only). */
  get document(): PDFDocumentProxy | null {
    return this.#pdf.document;
  }

  /** The server's `Content-Disposition` for the open PDF, if any. */
  get disposition(): string | null {
    return this.#pdf.disposition;
  }

  /** The open server-rendered document for download and print; null in PDF mode. */
  imageDocument(): ImageDocument | null {
    return this.#server.imageDocument();
  }

  /** Find in the server-rendered document's text; null in PDF mode (pdf.js finds). */
  search(onResult: (result: FindResult) => void): DocumentSearch | null {
    return this.#server.search(onResult);
  }

  /** The open document as the sidebar sees it, with the reader's `page` of `numPages`. */
  sidebarDocument(numPages: number, page: number): SidebarDocument | null {
    const source = this.#server.sidebarSource();
    if (source) return { source, numPages, page };
    const pdf = this.#pdf.document;
    const pages = this.#pdf.pages;
    return pdf && pages ? { pdf, pages, numPages, page } : null;
  }

  /**
   * Opens `src`, its pages drawn by the server (`serverRendered`) or by pdf.js (or lets the load go idle without one); `signal` aborts when a newer load
   * starts or on removal. Once open, what the reader does is tracked by a chunk of its own (offline,
   * the reading goes on untracked).
   */
  async open(src: string | null, serverRendered: boolean, signal: AbortSignal): Promise<void> {
    const load = this.#settings.load();
    if (!src || !this.#host.isConnected) {
      await this.#pdf.close();
      load.status = 'idle';
      return;
    }
    load.status = 'loading';
    const url = documentUrl(src);
    // Failures found here end the load at once, in the same turn that started it.
    if (!url) return load.fail(new ViewerError('not-found', { message: 'The document address is not a valid http or https URL.' }));
    if (!this.#tokens.start(url)) return;
    await this.#host.updateComplete;
    if (signal.aborted) return;
    const container = this.#host.renderRoot.querySelector<HTMLDivElement>('.viewport')!;
    const viewer = container.querySelector<HTMLDivElement>('.pdfViewer')!;
    const settings = this.#settings;
    const request = {
      url: url.href,
      container,
      viewer,
      shadowRoot: this.#host.renderRoot as ShadowRoot,
      pageLabel: (page: number) => settings.pageLabel(page),
      view: () => settings.view(),
    };
    if (serverRendered) await this.#server.open({ ...request, signal });
    else await this.#pdf.open({ ...request, textLayer: this.#tokens.allows('copy'), beforePages: () => settings.beforePages() });
    void import('./reader-events/reader-events.ts').then(
      (events) => events.trackReader(this.#host, url, this.#tokens, this.pages, signal),
      () => {},
    );
  }

  /** Lets go of the document in either mode: its requests, pages and everything read of it. */
  close(): void {
    this.#tokens.stop();
    void this.#pdf.close();
    this.#server.close();
  }
}
