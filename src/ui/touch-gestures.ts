import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PageViewer, Zoom } from '../pdf/page-viewer.ts';

/** Scales a pinch may reach (1 = 100 %). */
const MIN_SCALE = 0.25;
const MAX_SCALE = 8;
/** A tap: short and still; a double tap: two taps close in time and place. */
const TAP_MS = 300;
const TAP_SLOP_PX = 12;
const DOUBLE_TAP_MS = 350;
const DOUBLE_TAP_DISTANCE_PX = 40;

export interface TouchHost extends ReactiveControllerHost {
  zoom: Zoom;
}

export interface TouchGestureOptions {
  /** The scrolling area the gestures act on. */
  viewport(): HTMLElement | null;
  pages(): PageViewer | null;
  /** Gestures act only on an open document with no dialog in front of it. */
  active(): boolean;
}

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
 * browser's: those touches are never cancelled.
 */
export class TouchGestures implements ReactiveController {
  readonly #host: TouchHost;
  readonly #options: TouchGestureOptions;
  #viewport: HTMLElement | null = null;
  #pinch: Pinch | null = null;
  #tapStart: { time: number; x: number; y: number } | null = null;
  #lastTap: { time: number; x: number; y: number } | null = null;

  constructor(host: TouchHost, options: TouchGestureOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdated(): void {
    const viewport = this.#options.viewport();
    if (viewport === this.#viewport) return;
    this.#detach();
    this.#viewport = viewport;
    if (!viewport) return;
    // Not passive: a pinch must stop the browser from zooming the whole page.
    viewport.addEventListener('touchstart', this.#onStart, { passive: false });
    viewport.addEventListener('touchmove', this.#onMove, { passive: false });
    viewport.addEventListener('touchend', this.#onEnd);
    viewport.addEventListener('touchcancel', this.#onCancel);
  }

  hostDisconnected(): void {
    this.#detach();
  }

  #detach(): void {
    this.#endPinch(false);
    const viewport = this.#viewport;
    if (!viewport) return;
    viewport.removeEventListener('touchstart', this.#onStart);
    viewport.removeEventListener('touchmove', this.#onMove);
    viewport.removeEventListener('touchend', this.#onEnd);
    viewport.removeEventListener('touchcancel', this.#onCancel);
    this.#viewport = null;
  }

  readonly #onStart = (event: TouchEvent): void => {
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
    const content = this.#viewport?.querySelector<HTMLElement>('.pdfViewer');
    if (!pages || !content) return;
    event.preventDefault();
    const [a, b] = [event.touches[0]!, event.touches[1]!];
    const centreX = (a.clientX + b.clientX) / 2;
    const centreY = (a.clientY + b.clientY) / 2;
    const box = content.getBoundingClientRect();
    // CSS scaling around the pinch centre while the fingers move; nothing is drawn until they lift.
    content.style.transformOrigin = `${centreX - box.left}px ${centreY - box.top}px`;
    this.#pinch = { startDistance: distance(a, b), centreX, centreY, startScale: pages.scale, factor: 1, content };
  };

  readonly #onMove = (event: TouchEvent): void => {
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
  };

  readonly #onEnd = (event: TouchEvent): void => {
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
  };

  readonly #onCancel = (): void => {
    this.#tapStart = null;
    this.#endPinch(false);
  };

  /** Drops the CSS scaling and, when `apply`, draws the pages at the pinched scale. */
  #endPinch(apply: boolean): void {
    const pinch = this.#pinch;
    if (!pinch) return;
    this.#pinch = null;
    pinch.content.style.removeProperty('transform');
    pinch.content.style.removeProperty('transform-origin');
    const pages = this.#options.pages();
    if (!apply || !pages || Math.abs(pinch.factor - 1) < 0.01) return;
    pages.zoomAround(pinch.factor, pinch.centreX, pinch.centreY);
    this.#host.zoom = pages.zoom;
  }
}

function distance(a: Touch, b: Touch): number {
  return Math.max(1, Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
