import type { PageSize } from './manifest.ts';

/** CSS pixels per PDF point at 100 % zoom, as pdf.js lays pages out (96 dpi over 72). */
export const CSS_PIXELS_PER_POINT = 96 / 72;

/** Device pixels an image of `page` has at server scale `scale` (the server rounds each side up). */
export function imagePixels(page: PageSize, scale: number): number {
  return Math.ceil(page.width * scale) * Math.ceil(page.height * scale);
}

/**
 * The image scale to ask for, to show `page` at `zoom` (1 = 100 %) on a screen of `pixelRatio`:
 * the smallest offered scale that gives at least one image pixel per device pixel, among those the
 * server draws (at most `maxPixels`). When none is that sharp, the sharpest it draws; when it draws
 * none, the smallest offered (the server will say why).
 */
export function chooseScale(scales: readonly number[], zoom: number, pixelRatio: number, page: PageSize, maxPixels: number): number {
  const sorted = [...scales].sort((a, b) => a - b);
  // A hair of tolerance: 1.5 must do for a wanted 1.5000000001.
  const wanted = zoom * CSS_PIXELS_PER_POINT * pixelRatio * (1 - 1e-9);
  const drawn = sorted.filter((scale) => imagePixels(page, scale) <= maxPixels);
  if (drawn.length === 0) return sorted[0]!;
  return drawn.find((scale) => scale >= wanted) ?? drawn[drawn.length - 1]!;
}
