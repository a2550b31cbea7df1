import type { TouchHost, TouchOptions } from './touch-options.ts';

/** Scales a pinch may reach (1 = 100 %). */
const MIN_SCALE = 0.25;
const MAX_SCALE = 8;
/** A tap: short and still; a double tap: two taps close in time and place. */
const TAP_MS = 300;
const TAP_SLOP_PX = 12;
const DOUBLE_TAP_MS = 350;
const DOUBLE_TAP_DISTANCE_PX = 40;

interface Pinch {
  startDistance: number;
  centreX: number;
  centreY: number;
  startScale: number;
  factor: number;
  content: HTMLElement;
}

/**
 * Touch on the page area: a two-finger pinch zooms around its centre (the drawn pages are scaled
 * with CSS while the fingers move and drawn once at the new scale when they lift), and a double
 * tap toggles between fit width and 100 %. One-finger scrolling, with its momentum, stays the
 * browser's: those touches are never cancelled. Loaded on use: `TouchInput` hands it the events.
 */
export class TouchGestures {
  readonly #host: TouchHost;
  readonly #options: TouchOptions;
  #pinch: Pinch | null = null;
  #tapStart: { time: number; x: number; y: number } | null = null;
  #lastTap: { time: number; x: number; y: number } | null = null;

  constructor(host: TouchHost, options: TouchOptions) {
    this.#host = host;
    this.#options = options;
  }

  handle(event: TouchEvent): void {
    if (event.type === 'touchstart') this.#onStart(event);
    else if (event.type === 'touchmove') this.#onMove(event);
    else if (event.type === 'touchend') this.#onEnd(event);
    else this.cancel();
  }

  /** Touches were cancelled, or the page area went away: a pinch is dropped, not applied. */
  cancel(): void {
    this.#tapStart = null;
    this.#endPinch(false);
  }

  #onStart(event: TouchEvent): void {
    if (!this.#options.active()) return;
    if (event.touches.length === 1) {
      const touch = event.touches[0]!;
      this.#tapStart = { time: event.timeStamp, x: touch.clientX, y: touch.clientY };
      return;
    }
    this.#tapStart = null;
    this.#lastTap = null;
    if (event.touches.length !== 2 || this.#pinch) return;
    const pages = this.#options.pages();
    const content = this.#options.viewport()?.querySelector<HTMLElement>('.pdfViewer');
    if (!pages || !content) return;
    event.preventDefault();
    const [a, b] = [event.touches[0]!, event.touches[1]!];
    const centreX = (a.clientX + b.clientX) / 2;
    const centreY = (a.clientY + b.clientY) / 2;
    const box = content.getBoundingClientRect();
    // CSS scaling around the pinch centre while the fingers move; nothing is drawn until they lift.
    content.style.transformOrigin = `${centreX - box.left}px ${centreY - box.top}px`;
    this.#pinch = { startDistance: distance(a, b), centreX, centreY, startScale: pages.scale, factor: 1, content };
  }

  #onMove(event: TouchEvent): void {
    const pinch = this.#pinch;
    if (event.touches.length === 1 && this.#tapStart) {
      const touch = event.touches[0]!;
      if (Math.hypot(touch.clientX - this.#tapStart.x, touch.clientY - this.#tapStart.y) > TAP_SLOP_PX) this.#tapStart = null;
    }
    if (!pinch || event.touches.length < 2) return;
    event.preventDefault();
    const factor = distance(event.touches[0]!, event.touches[1]!) / pinch.startDistance;
    pinch.factor = clamp(factor, MIN_SCALE / pinch.startScale, MAX_SCALE / pinch.startScale);
    pinch.content.style.transform = `scale(${pinch.factor})`;
  }

  #onEnd(event: TouchEvent): void {
    if (this.#pinch) {
      if (event.touches.length < 2) this.#endPinch(true);
      return;
    }
    if (event.touches.length > 0 || !this.#tapStart) return;
    const tap = this.#tapStart;
    this.#tapStart = null;
    if (event.timeStamp - tap.time > TAP_MS) return;
    const last = this.#lastTap;
    if (last && tap.time - last.time < DOUBLE_TAP_MS && Math.hypot(tap.x - last.x, tap.y - last.y) < DOUBLE_TAP_DISTANCE_PX) {
      this.#lastTap = null;
      // No synthetic click or browser zoom for the second tap.
      if (event.cancelable) event.preventDefault();
      this.#host.zoom = this.#host.zoom === 'page-width' ? 1 : 'page-width';
      return;
    }
    this.#lastTap = tap;
  }

  /** Drops the CSS scaling and, when `apply`, draws the pages at the pinched scale. */
  #endPinch(apply: boolean): void {
    const pinch = this.#pinch;
    if (!pinch) return;
    this.#pinch = null;
    pinch.content.style.removeProperty('transform');
    pinch.content.style.removeProperty('transform-origin');
    const pages = this.#options.pages();
    if (!apply || !pages || Math.abs(pinch.factor - 1) < 0.01) return;
    const { factor, centreX, centreY } = pinch;
    const viewport = this.#options.viewport();
    const anchor = viewport && pagePointAt(viewport, centreX, centreY);
    pages.zoomAround(factor, centreX, centreY);
    // pdf.js's origin arithmetic scales the page borders too: the page point that was under the
    // fingers' centre is put back there.
    if (viewport && anchor) {
      const box = anchor.page.getBoundingClientRect();
      viewport.scrollLeft += box.left + anchor.page.clientLeft + anchor.x * anchor.page.clientWidth - centreX;
      viewport.scrollTop += box.top + anchor.page.clientTop + anchor.y * anchor.page.clientHeight - centreY;
    }
    this.#host.zoom = pages.zoom;
  }
}

/** The page under a client point in the page area and where on it (fractions of its drawn area), if any. */
function pagePointAt(viewport: HTMLElement, clientX: number, clientY: number): { page: HTMLElement; x: number; y: number } | null {
  const root = viewport.getRootNode() as Document | ShadowRoot;
  const page = root.elementFromPoint(clientX, clientY)?.closest<HTMLElement>('.page');
  if (!page || page.clientWidth === 0 || page.clientHeight === 0) return null;
  const box = page.getBoundingClientRect();
  return {
    page,
    x: (clientX - box.left - page.clientLeft) / page.clientWidth,
    y: (clientY - box.top - page.clientTop) / page.clientHeight,
  };
}

function distance(a: Touch, b: Touch): number {
  return Math.max(1, Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
