/**
 * How many pixels a page canvas may hold, per engine (pdf.js's `maxCanvasPixels`). pdf.js keeps a
 * canvas for each page view in its buffer (at least ten pages, `LIVE_PAGE_CANVASES`), each up to
 * that many pixels; beyond it, it draws the page at a lower resolution and lets CSS scale it up, so
 * a page is softer but never blank.
 *
 * WebKit (Safari, and every browser on iOS) draws nothing into a canvas above 16.7 Mpx, and on iOS
 * refuses new canvases once all of them together hold about 384 MB: at 400 % on a large page, ten
 * canvases of 16.7 Mpx (64 MB each; pdf.js's own cap of three screens' area allows that much on
 * an iPad) blank the pages drawn last. There the page canvases share 256 MiB, leaving the rest of
 * that limit to thumbnails, printing and the host page. Chromium and Firefox allow far more; their
 * pages keep 16.7 Mpx each, sharp at 2x on large screens.
 */
export function maxCanvasPixels(vendor: string): number {
  return isWebKit(vendor) ? WEBKIT_CANVAS_PIXELS : 2 ** 24;
}

/** pdf.js's smallest buffer of page views, each of which may keep its canvas (`DEFAULT_CACHE_SIZE`). */
export const LIVE_PAGE_CANVASES = 10;

/** 256 MiB for ten page canvases of 4 bytes a pixel: 6.7 Mpx each (a literal: it loads with the element). */
export const WEBKIT_CANVAS_PIXELS = 6_710_886;

/**
 * WebKit by `navigator.vendor`, which every WebKit build reports as Apple's (Safari, every browser
 * on iOS, WebKitGTK); Chromium's say Google and Firefox's nothing. Shorter than reading the user
 * agent, and this loads with the element.
 */
export function isWebKit(vendor: string): boolean {
  return vendor.startsWith('Apple');
}
