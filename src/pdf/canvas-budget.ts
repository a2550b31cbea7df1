/**
 * How many pixels the page canvases may hold, per engine. pdf.js keeps a canvas for each page view
 * in its buffer (at least ten pages), each up to `maxCanvasPixels`; beyond that it draws the page
 * at a lower resolution and lets CSS scale it up, so a page is softer but never blank.
 *
 * WebKit (Safari, and every browser on iOS) draws nothing into a canvas above 16.7 Mpx, and on iOS
 * refuses new canvases once all of them together hold about 384 MB: at 400 % on a large page, ten
 * canvases of 16.7 Mpx (64 MB each; pdf.js's own cap of three screens' area allows that much on
 * an iPad) blank the pages drawn last. There the page canvases share
 * 256 MiB, leaving the rest of that limit to thumbnails, printing and the host page. Chromium and
 * Firefox allow far more; their pages keep 16.7 Mpx each.
 */
export interface CanvasBudget {
  /** Pixels of one page canvas: pdf.js's `maxCanvasPixels`. */
  readonly maxCanvasPixels: number;
  /** Pixels of all the page canvases pdf.js keeps drawn at once. */
  readonly totalPixels: number;
}

/** pdf.js's smallest buffer of page views, each of which may keep its canvas (`DEFAULT_CACHE_SIZE`). */
export const LIVE_PAGE_CANVASES = 10;

/** WebKit's largest canvas, and the share of iOS's canvas memory the pages take (4 bytes a pixel). */
const WEBKIT_CANVAS_PIXELS = 2 ** 24;
const WEBKIT_PAGE_CANVAS_BYTES = 256 * 2 ** 20;
/** Elsewhere: 16.7 Mpx, sharp at 2x on large screens with bounded memory on long documents. */
const DEFAULT_CANVAS_PIXELS = 2 ** 24;

/**
 * WebKit by its user agent: `AppleWebKit` without Chrome's or Chromium's token (Chrome, Edge,
 * Opera and headless Chrome carry both; Chrome and Firefox on iOS, which are WebKit, carry
 * `CriOS`/`FxiOS` instead).
 */
export function isWebKit(userAgent: string): boolean {
  return /AppleWebKit\//.test(userAgent) && !/Chrom(?:e|ium)\//.test(userAgent);
}

export function canvasBudget(userAgent: string): CanvasBudget {
  if (isWebKit(userAgent)) {
    const perCanvas = Math.min(WEBKIT_CANVAS_PIXELS, Math.floor(WEBKIT_PAGE_CANVAS_BYTES / 4 / LIVE_PAGE_CANVASES));
    return { maxCanvasPixels: perCanvas, totalPixels: perCanvas * LIVE_PAGE_CANVASES };
  }
  return { maxCanvasPixels: DEFAULT_CANVAS_PIXELS, totalPixels: DEFAULT_CANVAS_PIXELS * LIVE_PAGE_CANVASES };
}
