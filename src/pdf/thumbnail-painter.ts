import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PageViewer } from './page-viewer.ts';

/** Width of a thumbnail in CSS pixels. */
export const THUMBNAIL_WIDTH = 112;

/** pdf.js's `RenderingStates.RUNNING`. */
const RENDERING_RUNNING = 1;

/** What is read of one of pdf.js's page views (not exported by pdf.js). */
interface PageView {
  renderingState?: number;
  div?: HTMLElement;
  canvas?: HTMLCanvasElement | null;
}

export interface ThumbnailSource {
  pdf: PDFDocumentProxy;
  pages: PageViewer;
  /** Draws the watermark into a thumbnail drawn from the document (page canvases already carry it). */
  decorate(canvas: HTMLCanvasElement): Promise<void>;
}

interface Job {
  page: number;
  canvas: HTMLCanvasElement;
  signal: AbortSignal;
  resolve(drawn: boolean): void;
}

/**
 * Draws page thumbnails one at a time, after the pages in view: each waits until pdf.js is
 * drawing no page. A thumbnail is scaled down from the page's canvas when pdf.js holds one (no
 * bytes, no drawing); otherwise the page is drawn at thumbnail scale through the same document,
 * which fetches that page's ranges only.
 */
export class ThumbnailPainter {
  readonly #source: ThumbnailSource;
  readonly #queue: Job[] = [];
  #running = false;
  #closed = false;
  /** Ends a wait for pdf.js to be idle (when the painter closes). */
  #stopWaiting: (() => void) | null = null;

  constructor(source: ThumbnailSource) {
    this.#source = source;
  }

  /** Draws page `page` into `canvas`; resolves false when aborted or the page could not be drawn. */
  paint(page: number, canvas: HTMLCanvasElement, signal: AbortSignal): Promise<boolean> {
    if (this.#closed || signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.#queue.push({ page, canvas, signal, resolve });
      void this.#run();
    });
  }

  /** Stops: queued thumbnails are dropped, the one being drawn is cancelled. */
  close(): void {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.resolve(false);
    this.#stopWaiting?.();
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
        if (job.signal.aborted || this.#closed) {
          job.resolve(false);
          continue;
        }
        job.resolve(await this.#draw(job).catch(() => false));
      }
    } finally {
      this.#running = false;
    }
  }

  async #draw({ page, canvas, signal }: Job): Promise<boolean> {
    const { pdf, pages } = this.#source;
    await this.#whenIdle();
    if (signal.aborted || this.#closed) return false;
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const width = Math.round(THUMBNAIL_WIDTH * ratio);
    const drawn = this.#renderedCanvas(page);
    if (drawn) {
      canvas.width = width;
      canvas.height = Math.round((width * drawn.height) / drawn.width);
      canvas.getContext('2d')?.drawImage(drawn, 0, 0, canvas.width, canvas.height);
      return true;
    }
    const pdfPage = await pdf.getPage(page);
    if (signal.aborted || this.#closed) return false;
    const rotation = (pages.rotation + pdfPage.rotate) % 360;
    const viewport = pdfPage.getViewport({ scale: 1, rotation });
    const scaled = pdfPage.getViewport({ scale: width / viewport.width, rotation });
    canvas.width = Math.round(scaled.width);
    canvas.height = Math.round(scaled.height);
    const task: RenderTask = pdfPage.render({ canvas, viewport: scaled, background: 'white' });
    const cancel = () => task.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      await task.promise;
    } finally {
      signal.removeEventListener('abort', cancel);
      // The page's drawing instructions are kept only while pdf.js shows the page itself.
      if (!this.#renderedCanvas(page)) pdfPage.cleanup();
    }
    await this.#source.decorate(canvas);
    return true;
  }

  /**
   * Resolves when pdf.js is drawing no page (at once if it is idle now), or the painter closes:
   * thumbnails wait so that the pages in view come first. Checked again as each page is drawn.
   */
  #whenIdle(): Promise<void> {
    const { viewer, events } = this.#source.pages;
    const drawing = () => {
      for (let index = 0; index < viewer.pagesCount; index++) {
        if ((viewer.getPageView(index) as PageView | undefined)?.renderingState === RENDERING_RUNNING) return true;
      }
      return false;
    };
    if (!drawing()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (drawing() && !this.#closed) return;
        events.off('pagerendered', check);
        this.#stopWaiting = null;
        resolve();
      };
      this.#stopWaiting = check;
      events.on('pagerendered', check);
    });
  }

  /** Page `page`'s finished, watermarked canvas if pdf.js holds one now, else null. */
  #renderedCanvas(page: number): HTMLCanvasElement | null {
    const view = this.#source.pages.viewer.getPageView(page - 1) as PageView | undefined;
    const canvas = view?.canvas;
    return view?.div?.getAttribute('data-rendered') === 'true' && canvas && canvas.width > 0 ? canvas : null;
  }
}
