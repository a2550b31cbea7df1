// What the reader did, as events: page views (with attention time), copies, zoom changes and
// searches, fired on the element and, with `analytics-url`, sent to the host. A chunk of its own,
// loaded once a document has opened; it lives as long as that document.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SecureViewerEventDetail, SecureViewerEventName } from '../events.ts';
import type { TokenAccess } from '../fetch/document-client.ts';
import type { Zoom } from '../pdf/page-viewer.ts';
import { EventSender, type SentEvent } from './event-sender.ts';
import { PageAttention } from './page-attention.ts';

/** Without pointer, key, wheel, touch or scroll input for this long, the reader is idle. */
export const IDLE_MS = 60_000;
/** Zoom steps in a burst (Ctrl+wheel, repeated presses) become one event. */
const ZOOM_SETTLE_MS = 300;
/** A query is reported once the reader has stopped typing it for this long. */
const FIND_SETTLE_MS = 1000;
const MAX_SENT_QUERY = 200;

const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** What the tracking reads from the element. */
export interface ReaderEventsHost extends ReactiveControllerHost, HTMLElement {
  /** The host's endpoint for the events, or null to only fire them. */
  readonly analyticsUrl: string | null;
  /** Whether `sv-find` (and what is sent) carries the query; unset, the `share-find-query` attribute decides. */
  readonly shareFindQuery: boolean | undefined;
}

/**
 * The open document's pages as tracking reads them: pdf.js's page viewer, or the server-rendered
 * pages (either keeps its page boxes, `.page[data-page-number]`, as children of `.pdfViewer`).
 */
export interface TrackedPages {
  readonly zoom: Zoom;
  readonly scale: number;
  /** `scalechanging` after a zoom, `find` for each search (`type: 'again'` for the next match). */
  readonly events: {
    on(name: 'scalechanging' | 'find', listener: (event: { type?: string; query?: unknown }) => void): void;
    off(name: 'scalechanging' | 'find', listener: (event: { type?: string; query?: unknown }) => void): void;
  };
}

export interface ReaderEventsOptions {
  /** The open document's URL: events are sent only to its origin, the one its token is for. */
  documentUrl: URL;
  tokens: TokenAccess;
  pages: TrackedPages;
  /** The scrolling area that holds the pages. */
  viewport: HTMLElement;
  /** Aborts when this document closes (a new `src`, `reload()`, the element removed). */
  signal: AbortSignal;
}

type Host = ReaderEventsHost;

/**
 * Starts tracking the document open at `documentUrl`; stops by itself when `signal` (the load's)
 * aborts. Positional, so that the element's call to it stays short.
 */
export function trackReader(host: Host, documentUrl: URL, tokens: TokenAccess, pages: TrackedPages | null, signal: AbortSignal): void {
  const viewport = host.shadowRoot?.querySelector<HTMLElement>('.viewport');
  // No pages: the document did not open (an error, a newer load).
  if (signal.aborted || !viewport || !pages) return;
  const controller = new ReaderEventsController(host, { documentUrl, tokens, pages, viewport, signal });
  signal.addEventListener('abort', () => controller.stop(), { once: true });
}

export class ReaderEventsController implements ReactiveController {
  readonly #host: Host;
  readonly #options: ReaderEventsOptions;
  readonly #sender: EventSender | null;
  readonly #attention = new PageAttention({
    now: () => performance.now(),
    onView: (page, ms) => this.#report('sv-page-view', { page, visibleMs: ms, ms }),
  });
  #intersections: IntersectionObserver | null = null;
  #mutations: MutationObserver | null = null;
  #lastInput = performance.now();
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  #zoomTimer: ReturnType<typeof setTimeout> | null = null;
  #findTimer: ReturnType<typeof setTimeout> | null = null;
  #reportedZoom: Zoom;
  #reportedQuery = '';
  #running = false;

  constructor(host: Host, options: ReaderEventsOptions) {
    this.#host = host;
    this.#options = options;
    this.#sender = senderFor(host.analyticsUrl, options);
    this.#reportedZoom = options.pages.zoom;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#running || this.#options.signal.aborted) return;
    this.#running = true;
    const { viewport, pages } = this.#options;
    this.#intersections = new IntersectionObserver(this.#onIntersections, {
      root: viewport,
      threshold: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    });
    // pdf.js puts every page box into its viewer element at once; only that element's own children
    // are watched (what is drawn inside the pages changes all the time and is no concern here).
    this.#mutations = new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) this.#observePage(node);
    });
    const viewer = viewport.querySelector('.pdfViewer') ?? viewport;
    this.#mutations.observe(viewer, { childList: true });
    for (const page of viewer.children) this.#observePage(page);
    for (const type of INPUT_EVENTS) window.addEventListener(type, this.#onInput, { capture: true, passive: true });
    viewport.addEventListener('scroll', this.#onInput, { passive: true });
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('pagehide', this.#onPageHide);
    // Capture: pdf.js's text layer stops the copy event it fills. The copy guard's listener, added
    // first, stops it before this one when copying is not allowed.
    this.#host.addEventListener('copy', this.#onCopy, true);
    this.#host.addEventListener('sv-print', this.#onExport);
    this.#host.addEventListener('sv-download', this.#onExport);
    pages.events.on('scalechanging', this.#onScale);
    pages.events.on('find', this.#onFind);
    this.#lastInput = performance.now();
    this.#attention.setAttentive(document.visibilityState === 'visible');
    this.#armIdle();
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Ends the views under way, sends what is queued (keepalive) and lets go of everything. */
  stop(): void {
    if (this.#running) {
      this.#running = false;
      const { viewport, pages } = this.#options;
      this.#intersections?.disconnect();
      this.#mutations?.disconnect();
      for (const type of INPUT_EVENTS) window.removeEventListener(type, this.#onInput, { capture: true });
      viewport.removeEventListener('scroll', this.#onInput);
      document.removeEventListener('visibilitychange', this.#onVisibility);
      window.removeEventListener('pagehide', this.#onPageHide);
      this.#host.removeEventListener('copy', this.#onCopy, true);
      this.#host.removeEventListener('sv-print', this.#onExport);
      this.#host.removeEventListener('sv-download', this.#onExport);
      pages.events.off('scalechanging', this.#onScale);
      pages.events.off('find', this.#onFind);
      for (const timer of [this.#idleTimer, this.#zoomTimer, this.#findTimer]) if (timer) clearTimeout(timer);
      this.#attention.flush();
    }
    this.#sender?.stop();
    this.#host.removeController(this);
  }

  #report<K extends SecureViewerEventName>(name: K, detail: SecureViewerEventDetail<K>): void {
    // As createViewerEvent makes them; written out so that this chunk imports nothing of the entry
    // and both builds (npm, drop-in) ship one copy of it.
    this.#host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
    const sent: SentEvent = { type: name.slice(3), ...detail, at: Date.now() };
    // The server keeps 200 characters of a query; a longer one would only swell the batch.
    if (typeof sent.query === 'string') sent.query = sent.query.slice(0, MAX_SENT_QUERY);
    this.#sender?.add(sent);
  }

  #observePage(node: Node): void {
    if (node instanceof HTMLElement && node.matches('.page[data-page-number]')) this.#intersections?.observe(node);
  }

  readonly #onIntersections = (entries: IntersectionObserverEntry[]): void => {
    for (const entry of entries) {
      const page = Number((entry.target as HTMLElement).dataset['pageNumber']);
      if (!(page >= 1)) continue;
      const root = entry.rootBounds;
      const shown = entry.intersectionRect.width * entry.intersectionRect.height;
      // A page taller than the viewport is never half visible, but it is what is being read.
      const fillsView = root !== null && shown >= 0.5 * root.width * root.height;
      this.#attention.setInView(page, entry.isIntersecting && (entry.intersectionRatio >= 0.5 || fillsView));
    }
  };

  readonly #onInput = (): void => {
    this.#lastInput = performance.now();
    if (!this.#attention.attentive && document.visibilityState === 'visible') {
      this.#attention.setAttentive(true);
      this.#armIdle();
    }
  };

  /** Checks for idleness when the reader would become idle without further input. */
  #armIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    const wait = this.#lastInput + IDLE_MS - performance.now();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (performance.now() - this.#lastInput >= IDLE_MS) this.#attention.setAttentive(false);
      else this.#armIdle();
    }, Math.max(0, wait));
  }

  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'hidden') {
      // The tab may never come back (mobile browsers often skip pagehide): report now.
      this.#attention.setAttentive(false);
      this.#attention.flush();
      void this.#sender?.flush(true);
    } else {
      this.#lastInput = performance.now();
      this.#attention.setAttentive(true);
      this.#armIdle();
    }
  };

  readonly #onPageHide = (): void => {
    this.#attention.flush();
    void this.#sender?.flush(true);
  };

  readonly #onCopy = (): void => {
    const root = this.#host.shadowRoot as (ShadowRoot & { getSelection?: () => Selection | null }) | null;
    const chars = (root?.getSelection?.() ?? document.getSelection())?.toString().length ?? 0;
    if (chars > 0) this.#report('sv-copy', { chars });
  };

  readonly #onExport = (event: Event): void => {
    const { detail, type } = event as CustomEvent<SecureViewerEventDetail<'sv-print'>>;
    this.#sender?.add({ type: type.slice(3), numPages: detail.numPages, at: Date.now() });
  };

  readonly #onScale = (): void => {
    if (this.#zoomTimer) clearTimeout(this.#zoomTimer);
    this.#zoomTimer = setTimeout(() => {
      this.#zoomTimer = null;
      const { zoom, scale } = this.#options.pages;
      // A fit zoom fitted again after a resize is not the reader zooming.
      if (zoom === this.#reportedZoom) return;
      this.#reportedZoom = zoom;
      this.#report('sv-zoom', { zoom, scale });
    }, ZOOM_SETTLE_MS);
  };

  readonly #onFind = (event: { type?: string; query?: unknown }): void => {
    if (event.type === 'again' || typeof event.query !== 'string') return;
    const query = event.query;
    if (this.#findTimer) clearTimeout(this.#findTimer);
    this.#findTimer = setTimeout(() => {
      this.#findTimer = null;
      if (!query.trim() || query === this.#reportedQuery) return;
      this.#reportedQuery = query;
      const share = this.#host.shareFindQuery ?? this.#host.hasAttribute('share-find-query');
      this.#report('sv-find', share ? { query } : {});
    }, FIND_SETTLE_MS);
  };
}

/** A sender to the analytics URL, only when it is on the document's origin (the token's). */
function senderFor(analyticsUrl: string | null, options: ReaderEventsOptions): EventSender | null {
  if (!analyticsUrl) return null;
  try {
    const url = new URL(analyticsUrl, document.baseURI);
    if (url.origin !== options.documentUrl.origin) return null;
    return new EventSender({ url: url.href, tokens: options.tokens });
  } catch {
    return null;
  }
}
