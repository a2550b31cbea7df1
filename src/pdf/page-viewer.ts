import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { EventBus, PDFFindController, PDFLinkService, PDFViewer } from 'pdfjs-dist/legacy/web/pdf_viewer.mjs';
import type { PdfjsLib, PdfjsViewerLib } from './pdfjs.ts';
import { adoptSheet } from '../internal/adopt-sheet.ts';
import { resolveIdsInShadowRoot } from './shadow-id-lookup.ts';
import { maxCanvasPixels } from './canvas-budget.ts';

import type { Zoom } from './zoom.ts';

export type { Zoom } from './zoom.ts';

export interface PageViewerOptions {
  /** The scrolling element; pdf.js requires it to be absolutely positioned. */
  container: HTMLDivElement;
  /** The element pdf.js fills with one placeholder per page. */
  viewer: HTMLDivElement;
  /** The shadow root the viewer lives in, where pdf.js's accessibility links must be resolved. */
  shadowRoot: ShadowRoot;
  /** With false, no text layer is built, so nothing can be selected or copied. */
  textLayer: boolean;
  onPageChange: (page: number) => void;
  /** A page finished drawing into its canvas (for the watermark). */
  onPageRendered?: (page: number, canvas: HTMLCanvasElement) => void;
  /** The scale changed (zoom buttons, fit modes, window resizes). */
  onScaleChange?: (scale: number) => void;
  /** Accessible name of each page region ("Page 3"). */
  pageLabel?: (page: number) => string;
  /**
   * Aborted when the document closes: stops what pdf.js's viewer keeps on the container, which
   * outlives the document (its resize observer and scroll listener would otherwise hold the viewer,
   * and through it the document, for as long as the element lives).
   */
  signal: AbortSignal;
}

/** The part of pdf.js's per-page find highlighter used here (not exported by pdf.js). */
interface TextHighlighter {
  setTextMapping(divs: HTMLElement[] | null, texts: string[] | null): void;
}

/** The accessibility helpers of one pdf.js page view (not exported by pdf.js). */
interface PageAccessibility {
  _accessibilityManager?: { enable(): void } | null;
  structTreeLayer?: { updateTextLayer(): void } | null;
}

/** Quiet time after the last resize before pages are fitted and drawn again. */
const RESIZE_SETTLE_MS = 120;

let sheet: CSSStyleSheet | undefined;

/**
 * pdf.js's viewer stylesheet declares its variables on `:root`, which matches nothing inside a
 * shadow tree; rewritten to `:host` it styles our shadow root only. Built once, shared by all.
 */
export function adoptViewerStyles(root: ShadowRoot, viewerCss: string): void {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    // Its icon images (editor tools, a loading spinner) are not shipped: drop the references.
    sheet.replaceSync(viewerCss.replaceAll(':root', ':host').replace(/url\((["']?)images\/[^)]*\)/g, 'none'));
  }
  // pdf.js's rules go first so the element's own styles can override them.
  adoptSheet(root, sheet, true);
}

/**
 * A thin adapter over pdf.js's PDFViewer: virtualized pages (only pages near the view keep a
 * canvas), text and link layers, zoom and navigation. No scripting, XFA, forms or editing.
 */
export class PageViewer {
  readonly #eventBus: EventBus;
  readonly #links: PDFLinkService;
  readonly #viewer: PDFViewer;
  readonly #find: PDFFindController;
  #zoom: Zoom = 'auto';
  #ready = false;
  /** Page views (0-based) whose text highlighter may still hold a removed text layer. */
  readonly #highlighted = new Set<number>();
  /** A page asked for before pdf.js had laid out its pages. */
  #pendingPage = 0;
  /** Follows the scrolling area's size: shown after hidden, resized by the host. */
  readonly #resizes: ResizeObserver;
  #resizeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(pdfjs: { lib: PdfjsLib; viewer: PdfjsViewerLib }, options: PageViewerOptions) {
    const { viewer: components, lib } = pdfjs;
    this.#eventBus = new components.EventBus();
    this.#links = new components.PDFLinkService({
      eventBus: this.#eventBus,
      externalLinkTarget: components.LinkTarget.BLANK,
      externalLinkRel: 'noopener noreferrer nofollow',
    });
    // Find reads the text of every page, so it loads the whole file: only on the reader's request.
    this.#find = new components.PDFFindController({ eventBus: this.#eventBus, linkService: this.#links });
    this.#viewer = new components.PDFViewer({
      container: options.container,
      viewer: options.viewer,
      eventBus: this.#eventBus,
      linkService: this.#links,
      findController: this.#find,
      textLayerMode: options.textLayer ? 1 : 0,
      annotationMode: lib.AnnotationMode.ENABLE,
      annotationEditorMode: lib.AnnotationEditorType.DISABLE,
      // Per engine: WebKit blanks canvases beyond its memory limits (canvas-budget.ts).
      maxCanvasPixels: maxCanvasPixels(navigator.vendor),
      enableAutoLinking: false,
      // One canvas per page, so a watermark drawn into it covers the whole page at every zoom.
      enableDetailCanvas: false,
      // An option of pdf.js's viewer that its type declarations lack.
      abortSignal: options.signal,
    } as ConstructorParameters<typeof components.PDFViewer>[0]);
    this.#links.setViewer(this.#viewer);
    this.#resizes = new ResizeObserver(() => {
      // Debounced: a dragged splitter or an animated sidebar resizes every frame; redraw once.
      clearTimeout(this.#resizeTimer);
      this.#resizeTimer = setTimeout(() => this.#refit(), RESIZE_SETTLE_MS);
    });
    this.#resizes.observe(options.container);
    this.#eventBus.on('pagesinit', () => {
      options.viewer.querySelectorAll<HTMLElement>('.page[data-page-number]').forEach((page) => {
        // The host styles each page box with ::part(page).
        page.setAttribute('part', 'page');
        // pdf.js names its page landmarks through its own l10n service, which we do not load.
        if (options.pageLabel) page.setAttribute('aria-label', options.pageLabel(Number(page.dataset['pageNumber'])));
      });
      this.#ready = true;
      this.#applyZoom();
      if (this.#pendingPage > 1) this.page = this.#pendingPage;
      this.#pendingPage = 0;
    });
    this.#eventBus.on('pagechanging', (event: { pageNumber: number }) => options.onPageChange(event.pageNumber));
    // pdf.js marks a page `data-loaded` when drawing starts; `data-rendered` says it is finished
    // (and watermarked), for styling and for anyone checking what is on screen.
    this.#eventBus.on('pagerender', (event: { source: { div?: HTMLElement } }) => {
      event.source.div?.removeAttribute('data-rendered');
      // Drawing a page may have pushed another out of pdf.js's buffer.
      this.#releaseRemovedTextLayers();
    });
    this.#eventBus.on(
      'pagerendered',
      (event: { pageNumber: number; isDetailView?: boolean; error?: unknown; source: { canvas?: HTMLCanvasElement | null; div?: HTMLElement } & PageAccessibility }) => {
        // The text layer is built after this event and links annotations into it on `enable()`.
        resolveIdsInShadowRoot(event.source._accessibilityManager, 'enable', options.shadowRoot);
        this.#releaseRemovedTextLayers();
        const canvas = event.source.canvas;
        if (event.isDetailView || !canvas) return;
        options.onPageRendered?.(event.pageNumber, canvas);
        if (!event.error) event.source.div?.setAttribute('data-rendered', 'true');
      },
    );
    this.#eventBus.on('textlayerrendered', (event: { pageNumber: number; source: PageAccessibility }) => {
      this.#highlighted.add(event.pageNumber - 1);
      // The structure tree is linked into the text layer right after this event.
      resolveIdsInShadowRoot(event.source.structTreeLayer, 'updateTextLayer', options.shadowRoot);
    });
    this.#eventBus.on('scalechanging', (event: { scale: number }) => options.onScaleChange?.(event.scale));
  }

  /** pdf.js's event bus, where find (a chunk of its own) sends its searches and reads their results. */
  get events(): EventBus {
    return this.#eventBus;
  }

  /** pdf.js's viewer, whose page views the thumbnails (a chunk of their own) draw from. */
  get viewer(): PDFViewer {
    return this.#viewer;
  }

  /** Goes to an outline entry's destination (a named or explicit PDF destination), as a link would. */
  goToDestination(destination: string | unknown[]): void {
    void this.#links.goToDestination(destination).catch(() => {});
  }

  /**
   * When a page leaves the view pdf.js removes its text layer, but the page's find highlighter
   * keeps the layer's spans and strings (it only disables itself), so every page ever shown
   * would keep its text in memory. Pages that no longer have a text layer let go of them.
   */
  #releaseRemovedTextLayers(): void {
    for (const index of this.#highlighted) {
      const view = this.#viewer.getPageView(index) as { textLayer: unknown; _textHighlighter?: TextHighlighter } | undefined;
      if (view?.textLayer) continue;
      this.#highlighted.delete(index);
      if (view && Object.hasOwn(view, '_textHighlighter')) view._textHighlighter?.setTextMapping(null, null);
    }
  }

  setDocument(document: PDFDocumentProxy): void {
    this.#ready = false;
    this.#highlighted.clear();
    this.#viewer.setDocument(document);
    // Rejects when the document closes before its pages are set up; nothing waits for it then.
    this.#viewer.pagesPromise?.catch(() => {});
    this.#links.setDocument(document, null);
  }

  get page(): number {
    return this.#ready ? this.#viewer.currentPageNumber : this.#pendingPage || 1;
  }

  set page(page: number) {
    const count = this.#viewer.pagesCount;
    if (!this.#ready || count === 0) {
      this.#pendingPage = page;
      return;
    }
    this.#viewer.currentPageNumber = Math.min(Math.max(1, Math.round(page)), count);
  }

  get zoom(): Zoom {
    return this.#zoom;
  }

  set zoom(zoom: Zoom) {
    this.#zoom = zoom;
    if (this.#ready) this.#applyZoom();
  }

  /** Steps the scale up or down as pdf.js's own viewer does. */
  zoomIn(): void {
    this.#viewer.increaseScale();
    this.#zoom = this.#viewer.currentScale;
  }

  /**
   * Scales by `factor` around (`clientX`, `clientY`), as a pinch does; pdf.js draws the pages once
   * at the new scale.
   */
  zoomAround(factor: number, clientX: number, clientY: number): void {
    if (!this.#ready || !(factor > 0)) return;
    // pdf.js takes the origin relative to the container's offset position (read once and cached),
    // not to the window: translate the client point into those terms.
    const box = this.#viewer.container.getBoundingClientRect();
    const [top, left] = this.#viewer.containerTopLeft;
    this.#viewer.updateScale({ scaleFactor: factor, origin: [clientX - box.left + left, clientY - box.top + top], drawingDelay: -1 });
    this.#zoom = this.#viewer.currentScale;
  }

  /** The current scale (1 = 100 %), whatever zoom mode gave it. */
  get scale(): number {
    return this.#viewer.currentScale;
  }

  zoomOut(): void {
    this.#viewer.decreaseScale();
    this.#zoom = this.#viewer.currentScale;
  }

  /** Rotation of every page in degrees (0, 90, 180, 270). */
  get rotation(): number {
    return this.#viewer.pagesRotation;
  }

  set rotation(degrees: number) {
    this.#viewer.pagesRotation = ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
  }

  /** Redraws every page (after the watermark changed). */
  refresh(): void {
    if (this.#ready) this.#viewer.refresh();
  }

  destroy(): void {
    this.#resizes.disconnect();
    clearTimeout(this.#resizeTimer);
    this.#viewer.setDocument(null as unknown as PDFDocumentProxy);
    // A set-up still running for the closed document fails into the promise PDFViewer made
    // for the next one, which `pagesPromise` no longer exposes once the document is gone.
    (this.#viewer as unknown as { _pagesCapability?: { promise: Promise<void> } })._pagesCapability?.promise.catch(() => {});
    this.#links.setDocument(null);
  }

  #applyZoom(): void {
    // A fit computed for a hidden (zero-sized) area would be nonsense; the resize that shows it fits.
    if (typeof this.#zoom !== 'number' && !this.#hasSize()) return;
    this.#viewer.currentScaleValue = typeof this.#zoom === 'number' ? String(this.#zoom) : this.#zoom;
  }

  #hasSize(): boolean {
    return this.#viewer.container.clientWidth > 0 && this.#viewer.container.clientHeight > 0;
  }

  /**
   * The scrolling area changed size. A fit zoom is fitted again (pdf.js keeps the reader's place
   * within the page as the scale changes); a numeric zoom stays. Either way pdf.js measures again
   * which pages are in view and draws them.
   */
  #refit(): void {
    if (!this.#ready || !this.#hasSize()) return;
    // pdf.js takes the reader's place from its last scroll event; a jump made since (an outline
    // entry, a page number) has not had one yet, and fitting would scroll back to before it.
    this.#viewer.update();
    if (typeof this.#zoom !== 'number') this.#applyZoom();
    this.#viewer.update();
  }
}
