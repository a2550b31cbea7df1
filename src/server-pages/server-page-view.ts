import { ViewerError } from '../errors.ts';
import type { Zoom } from '../pdf/zoom.ts';
import { layoutColumn, mostVisiblePage, PAGE_GAP, pagesInView, pagesToDraw, pagesToRelease, zoomFor, type ColumnLayout } from './column-layout.ts';
import { fillTemplate, type ServerManifest } from './manifest.ts';
import { destinationPage } from './server-outline.ts';
import type { PageTexts } from './page-texts.ts';
import { chooseScale } from './scale-choice.ts';
import type { ServerPagesClient } from './server-client.ts';
import { buildTextLayer, TEXT_SCALE_PROPERTY } from './text-layer.ts';

/** Pages drawn beyond those in view, on either side. */
const LOOK_AHEAD = 1;
/** Page images kept decoded at most (each a canvas's pixels): the rest are placeholders again. */
export const MAX_DRAWN_PAGES = 8;
/** Image requests out at once. */
const MAX_IN_FLIGHT = 3;
/** A zoom settles once it has not changed for this long; only then are sharper images asked for. */
export const ZOOM_SETTLE_MS = 300;
/** A page whose image failed for a passing reason is asked for again after this long at the least. */
const RETRY_MS = 2000;
const MAX_ATTEMPTS = 3;
const MIN_ZOOM = 0.1;
const MAX_ZOOM = 10;

/** Failures that end the document rather than one image: access is gone or the document is. */
const PASSING = new Set(['rate-limited', 'server', 'network']);

export interface ServerPageViewOptions {
  manifest: ServerManifest;
  manifestUrl: string;
  client: ServerPagesClient;
  /** The pages' text for the text layers; null (or not allowed): no text is asked for, nothing is selectable. */
  texts: PageTexts | null;
  /** The scrolling area. */
  container: HTMLElement;
  /** Where the column of pages goes (emptied on destroy). */
  viewer: HTMLElement;
  pageLabel: (page: number) => string;
  onPageChange: (page: number) => void;
  onScaleChange: (scale: number) => void;
  /** A failure that ends the document (revoked, refused, gone). */
  onError: (error: ViewerError) => void;
  signal: AbortSignal;
}

interface PageState {
  box: HTMLDivElement;
  canvas: HTMLCanvasElement | null;
  /** Scale of the image drawn, 0 for none. */
  drawnScale: number;
  /** Scale of the image on its way, 0 for none. */
  loadingScale: number;
  attempts: number;
  retryAt: number;
  /** The page's text layer, shown while the page is near the view. */
  textLayer: HTMLDivElement | null;
  /** The text was asked for since the page came near (a failure is not asked again until it comes back). */
  textAsked: boolean;
}

type Listener = (event: { type?: string; query?: unknown; scale?: number }) => void;

/** A small event bus with the part of pdf.js's that the reader events use. */
export class PageEvents {
  readonly #listeners = new Map<string, Set<Listener>>();

  on(name: string, listener: Listener): void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
  }

  off(name: string, listener: Listener): void {
    this.#listeners.get(name)?.delete(listener);
  }

  dispatch(name: string, event: Parameters<Listener>[0]): void {
    for (const listener of this.#listeners.get(name) ?? []) listener(event);
  }
}

/**
 * The pages of a server-rendered document as a scrolling column: boxes sized from the manifest,
 * an image fetched only for the pages in view and one either side, at the scale the zoom and the
 * screen need, a bounded number kept drawn. While the zoom changes the drawn images stretch; a
 * sharper one is asked for once the zoom has settled.
 */
export class ServerPageView {
  readonly #options: ServerPageViewOptions;
  /** The viewer element, laid out as the column while this view shows (its page boxes are its children, as pdf.js's are). */
  readonly #column: HTMLElement;
  /** What the view tells those who watch the reader (zoom, find), as pdf.js's event bus does. */
  readonly events = new PageEvents();
  readonly #pages: PageState[];
  readonly #resizes: ResizeObserver;
  #zoom: Zoom = 'auto';
  #scale = 1;
  #layout: ColumnLayout;
  #current = 1;
  /** The boxes have been placed once (the area had a size). */
  #laidOut = false;
  /** The scroll position this view set itself: its scroll event reports no page. */
  #ownScrollTop: number | null = null;
  #frame = 0;
  #settleTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #settling = false;
  #inFlight = 0;
  #destroyed = false;

  constructor(options: ServerPageViewOptions) {
    this.#options = options;
    const column = options.viewer;
    column.classList.add('sv-server-column');
    this.#column = column;
    this.#pages = options.manifest.pages.map((_, index) => {
      const box = document.createElement('div');
      box.className = 'page';
      box.setAttribute('part', 'page');
      box.dataset['pageNumber'] = String(index + 1);
      box.setAttribute('role', 'img');
      box.setAttribute('aria-label', options.pageLabel(index + 1));
      return { box, canvas: null, drawnScale: 0, loadingScale: 0, attempts: 0, retryAt: 0, textLayer: null, textAsked: false };
    });
    this.#layout = layoutColumn(options.manifest.pages, 1);
    column.replaceChildren(...this.#pages.map((state) => state.box));
    options.container.addEventListener('scroll', this.#onScroll, { passive: true });
    this.#resizes = new ResizeObserver(() => this.#relayout(false));
    this.#resizes.observe(options.container);
    options.signal.addEventListener('abort', () => this.destroy(), { once: true });
  }

  get pageCount(): number {
    return this.#pages.length;
  }

  get page(): number {
    return this.#current;
  }

  /** Scrolls to the top of page `page` (clamped) and reports it. */
  set page(page: number) {
    const target = Math.min(Math.max(1, Math.round(page)), this.#pages.length);
    const container = this.#options.container;
    if (!this.#laidOut) {
      // The first layout scrolls there.
      this.#report(target);
      return;
    }
    const top = Math.max(0, this.#layout.tops[target - 1]! - PAGE_GAP);
    container.scrollTop = top;
    this.#ownScrollTop = container.scrollTop;
    this.#report(target);
    this.#schedule();
  }

  get zoom(): Zoom {
    return this.#zoom;
  }

  set zoom(zoom: Zoom) {
    this.#zoom = typeof zoom === 'number' ? Math.min(Math.max(zoom, MIN_ZOOM), MAX_ZOOM) : zoom;
    this.#relayout(true);
  }

  /** The current scale (1 = 100 %), whatever zoom mode gave it. */
  get scale(): number {
    return this.#scale;
  }

  zoomIn(): void {
    this.zoom = Math.min(MAX_ZOOM, Math.ceil(this.#scale * 1.1 * 10) / 10);
  }

  zoomOut(): void {
    this.zoom = Math.max(MIN_ZOOM, Math.floor((this.#scale / 1.1) * 10) / 10);
  }

  /** Scales by `factor` around a point on screen (a pinch), keeping that point where it is. */
  zoomAround(factor: number, clientX: number, clientY: number): void {
    if (!(factor > 0) || !this.#laidOut) return;
    const container = this.#options.container;
    const box = container.getBoundingClientRect();
    const x = container.scrollLeft + clientX - box.left;
    const y = container.scrollTop + clientY - box.top;
    // The point as a place on its page, which stays under the fingers at the new scale.
    const page = Math.max(1, mostVisiblePage(this.#layout, y, 1));
    const before = this.#pagePlace(page);
    const across = (x - before.left) / before.width;
    const down = (y - before.top) / before.height;
    this.zoom = this.#scale * factor;
    const after = this.#pagePlace(page);
    container.scrollLeft = after.left + across * after.width - (clientX - box.left);
    container.scrollTop = after.top + down * after.height - (clientY - box.top);
    this.#ownScrollTop = container.scrollTop;
  }

  /** Where page `page`'s box is in the column, in CSS pixels. */
  #pagePlace(page: number): { left: number; top: number; width: number; height: number } {
    const box = this.#pages[page - 1]!.box;
    return { left: box.offsetLeft, top: this.#layout.tops[page - 1]!, width: this.#layout.widths[page - 1]!, height: this.#layout.heights[page - 1]! };
  }

  /** Goes where a bookmark leads: a destination with a page index (see `serverOutline`). */
  goToDestination(destination: string | unknown[]): void {
    const page = destinationPage(destination);
    if (page !== null) this.page = page;
  }

  /** Page `page`'s box (1-based), where find puts its highlights; null outside the document. */
  pageBox(page: number): HTMLElement | null {
    return this.#pages[page - 1]?.box ?? null;
  }

  /** Scrolls so that `top` (a fraction of page `page`'s height) is a third down the view. */
  reveal(page: number, top: number): void {
    if (!this.#laidOut || !this.#pages[page - 1]) return;
    const container = this.#options.container;
    container.scrollTop = Math.max(0, this.#layout.tops[page - 1]! + top * this.#layout.heights[page - 1]! - container.clientHeight / 3);
    this.#ownScrollTop = container.scrollTop;
    this.#report(mostVisiblePage(this.#layout, container.scrollTop, container.clientHeight));
    this.#schedule();
  }

  /** Server-rendered pages are drawn upright: rotation stays 0. */
  get rotation(): number {
    return 0;
  }

  set rotation(_degrees: number) {}

  /** The watermark is in the server's pixels: nothing to redraw here. */
  refresh(): void {}

  /** Lets go of every image and the column; nothing of this view calls back afterwards. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#options.container.removeEventListener('scroll', this.#onScroll);
    this.#resizes.disconnect();
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#settleTimer);
    clearTimeout(this.#retryTimer);
    for (const state of this.#pages) this.#release(state);
    for (const state of this.#pages) state.box.remove();
    this.#column.classList.remove('sv-server-column');
    this.#column.style.removeProperty(TEXT_SCALE_PROPERTY);
    this.#column.style.removeProperty('height');
    this.#column.style.removeProperty('width');
  }

  /** The page boxes after a zoom or a resize; the reader keeps their place in the page they read. */
  #relayout(zoomed: boolean): void {
    if (this.#destroyed) return;
    const container = this.#options.container;
    if (container.clientWidth === 0 || container.clientHeight === 0) return;
    const first = this.#options.manifest.pages[this.#current - 1] ?? this.#options.manifest.pages[0]!;
    const scale = zoomFor(this.#zoom, first, container.clientWidth, container.clientHeight);
    if (scale === this.#scale && !zoomed && this.#laidOut) {
      // The same scale in a wider or narrower area: the pages are centred again.
      this.#placeAcross();
      this.#schedule();
      return;
    }
    const old = this.#layout;
    const anchor = this.#current - 1;
    const within = this.#laidOut ? (container.scrollTop - old.tops[anchor]!) / old.heights[anchor]! : null;
    const changed = scale !== this.#scale;
    this.#scale = scale;
    this.#layout = layoutColumn(this.#options.manifest.pages, scale);
    this.#column.style.height = `${this.#layout.height}px`;
    // The text layers' spans size their fonts by it: they stay over the image at every zoom.
    this.#column.style.setProperty(TEXT_SCALE_PROPERTY, String(scale));
    this.#pages.forEach((state, index) => {
      const style = state.box.style;
      style.top = `${this.#layout.tops[index]}px`;
      style.width = `${this.#layout.widths[index]}px`;
      style.height = `${this.#layout.heights[index]}px`;
    });
    this.#placeAcross();
    container.scrollTop = within === null ? this.#layout.tops[anchor]! - PAGE_GAP : this.#layout.tops[anchor]! + within * this.#layout.heights[anchor]!;
    const wasLaidOut = this.#laidOut;
    this.#laidOut = true;
    this.#ownScrollTop = container.scrollTop;
    if (changed) {
      this.#options.onScaleChange(scale);
      this.events.dispatch('scalechanging', { scale });
    }
    if (changed && wasLaidOut && this.#anyDrawn()) {
      // Drawn images stretch with their boxes until the zoom settles.
      this.#settling = true;
      clearTimeout(this.#settleTimer);
      this.#settleTimer = setTimeout(() => {
        this.#settling = false;
        this.#update();
      }, ZOOM_SETTLE_MS);
    }
    this.#schedule();
  }

  /** Centres each page in the area, or in the column as wide as the widest page when that is wider. */
  #placeAcross(): void {
    const widths = this.#layout.widths;
    const columnWidth = Math.max(widths.reduce((widest, width) => Math.max(widest, width), 0) + 2 * PAGE_GAP, this.#options.container.clientWidth);
    this.#column.style.width = `${columnWidth}px`;
    this.#pages.forEach((state, index) => {
      state.box.style.left = `${Math.floor((columnWidth - widths[index]!) / 2)}px`;
    });
  }

  #anyDrawn(): boolean {
    return this.#pages.some((state) => state.drawnScale > 0);
  }

  readonly #onScroll = (): void => {
    const container = this.#options.container;
    if (this.#ownScrollTop !== null && Math.abs(container.scrollTop - this.#ownScrollTop) < 1) {
      this.#ownScrollTop = null;
      this.#schedule();
      return;
    }
    this.#ownScrollTop = null;
    this.#report(mostVisiblePage(this.#layout, container.scrollTop, container.clientHeight));
    this.#schedule();
  };

  #report(page: number): void {
    if (page === this.#current) return;
    this.#current = page;
    this.#options.onPageChange(page);
  }

  #schedule(): void {
    if (this.#destroyed || this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#update();
    });
  }

  /** Asks for the images the view needs now and lets go of those it no longer does. */
  #update(): void {
    if (this.#destroyed) return;
    const container = this.#options.container;
    if (container.clientHeight === 0) return;
    const [first, last] = pagesInView(this.#layout, container.scrollTop, container.clientHeight);
    const wanted = pagesToDraw(first, last, this.#pages.length, LOOK_AHEAD);
    const now = performance.now();
    for (const page of wanted) {
      if (this.#inFlight >= MAX_IN_FLIGHT) break;
      const state = this.#pages[page - 1]!;
      const scale = this.#scaleFor(page);
      if (state.loadingScale !== 0 || state.drawnScale === scale) continue;
      // While a zoom settles, a drawn page keeps its stretched image.
      if (this.#settling && state.drawnScale > 0) continue;
      if (state.attempts >= MAX_ATTEMPTS || state.retryAt > now) continue;
      void this.#load(page, state, scale);
    }
    // A page that failed and left the view is asked for afresh when it comes back.
    const near = new Set(wanted);
    this.#pages.forEach((state, index) => {
      if (state.attempts > 0 && !near.has(index + 1) && state.retryAt <= now) state.attempts = 0;
      if (!near.has(index + 1) && !state.textLayer) state.textAsked = false;
    });
    for (const page of wanted) this.#showText(page, this.#pages[page - 1]!);
    const drawn = this.#pages.flatMap((state, index) => (state.drawnScale > 0 || state.textLayer ? [index + 1] : []));
    for (const page of pagesToRelease(drawn, this.#current, MAX_DRAWN_PAGES, near)) this.#release(this.#pages[page - 1]!);
  }

  #scaleFor(page: number): number {
    const { manifest } = this.#options;
    return chooseScale(manifest.scales, this.#scale, window.devicePixelRatio || 1, manifest.pages[page - 1]!, manifest.maxPixels);
  }

  async #load(page: number, state: PageState, scale: number): Promise<void> {
    const url = fillTemplate(this.#options.manifest.urls.image, this.#options.manifestUrl, { page, scale });
    if (url === null) {
      this.#options.onError(new ViewerError('invalid-document', { message: 'The page images are not on the document\u2019s server.' }));
      return;
    }
    state.loadingScale = scale;
    this.#inFlight++;
    try {
      const blob = await this.#options.client.image(url);
      if (this.#destroyed) return;
      const bitmap = await createImageBitmap(blob);
      if (this.#destroyed) {
        bitmap.close();
        return;
      }
      this.#draw(state, bitmap, scale);
      state.attempts = 0;
    } catch (error) {
      if (this.#destroyed) return;
      const failure = error instanceof ViewerError ? error : new ViewerError('invalid-document', { message: 'A page image could not be read.' });
      if (!PASSING.has(failure.code)) {
        this.#options.onError(failure);
        return;
      }
      state.attempts++;
      state.retryAt = performance.now() + Math.max(RETRY_MS, (failure.retryAfter ?? 0) * 1000);
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => this.#schedule(), state.retryAt - performance.now());
    } finally {
      state.loadingScale = 0;
      this.#inFlight--;
      this.#schedule();
    }
  }

  #draw(state: PageState, bitmap: ImageBitmap, scale: number): void {
    const canvas = state.canvas ?? document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
    bitmap.close();
    if (!state.canvas) {
      state.canvas = canvas;
      state.box.append(canvas);
    }
    state.drawnScale = scale;
    state.box.dataset['rendered'] = 'true';
  }

  /** Puts page `page`'s text layer on it, reading its text first if need be (once; find shares it). */
  #showText(page: number, state: PageState): void {
    const texts = this.#options.texts;
    if (!texts?.allowed || state.textLayer || state.textAsked) return;
    state.textAsked = true;
    texts.read(page).then(
      (text) => {
        // Gone from near the view (or the view gone) while it was read: nothing to show it on.
        if (this.#destroyed || !text || !state.textAsked || state.textLayer) return;
        state.textLayer = buildTextLayer(text);
        state.box.append(state.textLayer);
      },
      (error: unknown) => {
        if (this.#destroyed) return;
        const failure = error instanceof ViewerError ? error : new ViewerError('invalid-document', { message: 'A page’s text could not be read.' });
        // A passing failure leaves the page without its layer until it comes near again.
        if (!PASSING.has(failure.code)) this.#options.onError(failure);
      },
    );
  }

  /** Back to a placeholder: the canvas's pixels are freed at once, the text layer goes. */
  #release(state: PageState): void {
    state.textLayer?.remove();
    state.textLayer = null;
    state.textAsked = false;
    if (state.canvas) {
      state.canvas.width = 0;
      state.canvas.height = 0;
      state.canvas.remove();
      state.canvas = null;
    }
    state.drawnScale = 0;
    delete state.box.dataset['rendered'];
  }
}
