import type { Zoom } from '../pdf/zoom.ts';
import type { PageSize } from './manifest.ts';
import { CSS_PIXELS_PER_POINT } from './scale-choice.ts';

/** Space around each page, in CSS pixels. */
export const PAGE_GAP = 10;

/** pdf.js's `auto` zoom never goes past this for a page that fits its width. */
const MAX_AUTO_ZOOM = 1.25;

/** Where the pages of a column are, in CSS pixels, at one zoom. */
export interface ColumnLayout {
  /** Top of each page box (index 0 = page 1). */
  tops: number[];
  widths: number[];
  heights: number[];
  /** Height of the whole column. */
  height: number;
}

export function layoutColumn(pages: readonly PageSize[], zoom: number): ColumnLayout {
  const tops: number[] = [];
  const widths: number[] = [];
  const heights: number[] = [];
  let y = PAGE_GAP;
  for (const page of pages) {
    const width = Math.floor(page.width * zoom * CSS_PIXELS_PER_POINT);
    const height = Math.floor(page.height * zoom * CSS_PIXELS_PER_POINT);
    tops.push(y);
    widths.push(width);
    heights.push(height);
    y += height + PAGE_GAP;
  }
  return { tops, widths, heights, height: y };
}

/** The zoom a fit mode gives for `page` in a viewport of `width` × `height` CSS pixels, or the number itself. */
export function zoomFor(zoom: Zoom, page: PageSize, width: number, height: number): number {
  if (typeof zoom === 'number') return zoom;
  const widthFit = Math.max(width - 2 * PAGE_GAP, 1) / (page.width * CSS_PIXELS_PER_POINT);
  const pageFit = Math.min(widthFit, Math.max(height - 2 * PAGE_GAP, 1) / (page.height * CSS_PIXELS_PER_POINT));
  if (zoom === 'page-width') return widthFit;
  if (zoom === 'page-fit') return pageFit;
  // auto: the width, capped; a landscape page fits whole.
  return page.width > page.height ? Math.min(pageFit, MAX_AUTO_ZOOM) : Math.min(widthFit, MAX_AUTO_ZOOM);
}

/** First and last page (1-based) that show in the stretch from `top`, `height` high; [0, -1] for none. */
export function pagesInView(layout: ColumnLayout, top: number, height: number): [number, number] {
  let first = 0;
  let last = -1;
  for (let i = 0; i < layout.tops.length; i++) {
    const pageTop = layout.tops[i]!;
    if (pageTop >= top + height) break;
    if (pageTop + layout.heights[i]! > top) {
      if (first === 0) first = i + 1;
      last = i + 1;
    }
  }
  return [first, last];
}

/** The page that takes the most of the view (the first of equals); 1 when none shows. */
export function mostVisiblePage(layout: ColumnLayout, top: number, height: number): number {
  const [first, last] = pagesInView(layout, top, height);
  let best = first || 1;
  let bestShown = -1;
  for (let page = first; page >= 1 && page <= last; page++) {
    const pageTop = layout.tops[page - 1]!;
    const shown = Math.min(pageTop + layout.heights[page - 1]!, top + height) - Math.max(pageTop, top);
    if (shown > bestShown) {
      best = page;
      bestShown = shown;
    }
  }
  return best;
}

/**
 * Pages to draw: those in view and `ahead` more on either side, nearest the view first (pages in
 * view in order, then alternately the next after and before).
 */
export function pagesToDraw(first: number, last: number, pageCount: number, ahead: number): number[] {
  if (first < 1) return [];
  const pages: number[] = [];
  for (let page = first; page <= last; page++) pages.push(page);
  for (let step = 1; step <= ahead; step++) {
    if (last + step <= pageCount) pages.push(last + step);
    if (first - step >= 1) pages.push(first - step);
  }
  return pages;
}

/**
 * Drawn pages to let go of so at most `keep` stay: the farthest from `current` first. Pages that
 * must stay drawn (in view) are never chosen.
 */
export function pagesToRelease(drawn: readonly number[], current: number, keep: number, needed: ReadonlySet<number> = new Set()): number[] {
  const excess = drawn.length - keep;
  if (excess <= 0) return [];
  return drawn
    .filter((page) => !needed.has(page))
    .sort((a, b) => Math.abs(b - current) - Math.abs(a - current) || b - a)
    .slice(0, excess);
}
