import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { EventBus, PDFLinkService, PDFViewer } from 'pdfjs-dist/legacy/web/pdf_viewer.mjs';
import viewerCss from 'pdfjs-dist/legacy/web/pdf_viewer.css?inline';
import type { Pdfjs } from './pdfjs.ts';

/** `auto`, `page-fit`, `page-width`, or a scale where 1 is 100 %. */
export type Zoom = 'auto' | 'page-fit' | 'page-width' | number;

export interface PageViewerOptions {
  /** The scrolling element; pdf.js requires it to be absolutely positioned. */
  container: HTMLDivElement;
  /** The element pdf.js fills with one placeholder per page. */
  viewer: HTMLDivElement;
  /** With false, no text layer is built, so nothing can be selected or copied. */
  textLayer: boolean;
  onPageChange: (page: number) => void;
  onPagesReady: () => void;
}

let sheet: CSSStyleSheet | undefined;

/**
 * pdf.js's viewer stylesheet declares its variables on `:root`, which matches nothing inside a
 * shadow tree; rewritten to `:host` it styles our shadow root only. Built once, shared by all.
 */
export function adoptViewerStyles(root: ShadowRoot): void {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(viewerCss.replaceAll(':root', ':host'));
  }
  if (!root.adoptedStyleSheets.includes(sheet)) {
    // pdf.js's rules go first so the element's own styles can override them.
    root.adoptedStyleSheets = [sheet, ...root.adoptedStyleSheets];
  }
}

/**
 * A thin adapter over pdf.js's PDFViewer: virtualized pages (only pages near the view keep a
 * canvas), text and link layers, zoom and navigation. No scripting, XFA, forms or editing.
 */
export class PageViewer {
  readonly #eventBus: EventBus;
  readonly #links: PDFLinkService;
  readonly #viewer: PDFViewer;
  #zoom: Zoom = 'auto';
  #ready = false;

  constructor(pdfjs: Pdfjs, options: PageViewerOptions) {
    const { viewer: components, lib } = pdfjs;
    this.#eventBus = new components.EventBus();
    this.#links = new components.PDFLinkService({
      eventBus: this.#eventBus,
      externalLinkTarget: components.LinkTarget.BLANK,
      externalLinkRel: 'noopener noreferrer nofollow',
    });
    this.#viewer = new components.PDFViewer({
      container: options.container,
      viewer: options.viewer,
      eventBus: this.#eventBus,
      linkService: this.#links,
      textLayerMode: options.textLayer ? 1 : 0,
      annotationMode: lib.AnnotationMode.ENABLE,
      annotationEditorMode: lib.AnnotationEditorType.DISABLE,
      // 16 megapixels per canvas: sharp at 2x on large screens, bounded memory on long documents.
      maxCanvasPixels: 2 ** 24,
      enableAutoLinking: false,
    });
    this.#links.setViewer(this.#viewer);
    this.#eventBus.on('pagesinit', () => {
      this.#ready = true;
      this.#applyZoom();
      options.onPagesReady();
    });
    this.#eventBus.on('pagechanging', (event: { pageNumber: number }) => options.onPageChange(event.pageNumber));
  }

  setDocument(document: PDFDocumentProxy): void {
    this.#ready = false;
    this.#viewer.setDocument(document);
    this.#links.setDocument(document, null);
  }

  get page(): number {
    return this.#viewer.currentPageNumber;
  }

  set page(page: number) {
    const count = this.#viewer.pagesCount;
    if (count === 0) return;
    this.#viewer.currentPageNumber = Math.min(Math.max(1, Math.round(page)), count);
  }

  get zoom(): Zoom {
    return this.#zoom;
  }

  set zoom(zoom: Zoom) {
    this.#zoom = zoom;
    if (this.#ready) this.#applyZoom();
  }

  /** The current scale, where 1 is 100 %. */
  get scale(): number {
    return this.#viewer.currentScale;
  }

  /** Number of pages that currently hold a drawn canvas (virtualization keeps this bounded). */
  get liveCanvasCount(): number {
    return this.#viewer.container.querySelectorAll('.page canvas').length;
  }

  /** Re-measures after the element was resized. */
  update(): void {
    if (this.#ready) this.#viewer.update();
  }

  destroy(): void {
    this.#viewer.setDocument(null as unknown as PDFDocumentProxy);
    this.#links.setDocument(null);
    this.#viewer.cleanup();
  }

  #applyZoom(): void {
    this.#viewer.currentScaleValue = typeof this.#zoom === 'number' ? String(this.#zoom) : this.#zoom;
  }
}
