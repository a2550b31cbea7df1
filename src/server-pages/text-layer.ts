import type { PageText, TextRun } from './page-text.ts';

/** The font the runs are measured and shown in: the image shows the real glyphs, this only has to select. */
const FONT_FAMILY = 'sans-serif';
/** The column's custom property with the page scale (CSS pixels per PDF point). */
export const TEXT_SCALE_PROPERTY = '--sv-text-scale';

/** Where one run's span goes on its page, at every zoom. */
export interface RunPlacement {
  /** Left and top of the run, as percentages of the page's width and height. */
  left: number;
  top: number;
  /** Font size in PDF points (CSS pixels at scale 1), multiplied by the page scale in CSS. */
  fontSize: number;
  /** Stretch across that makes the span as wide as the run on the page. */
  scaleX: number;
  /** Rotation in degrees about the run's top left. */
  rotate: number;
}

/**
 * Places a run as pdf.js's text layer does: its top left as a share of the page (so it holds at
 * every zoom), its font as tall as the run, stretched across to the run's width. `unitWidth` is
 * the run's text measured at a font size of 1 px; both widths grow with the zoom alike, so the
 * stretch holds at every zoom too.
 */
export function placeRun(run: TextRun, page: { width: number; height: number }, unitWidth: number): RunPlacement {
  const natural = unitWidth * run.height;
  return {
    left: (run.x / page.width) * 100,
    top: (run.y / page.height) * 100,
    fontSize: run.height,
    scaleX: natural > 0 && run.width > 0 ? run.width / natural : 1,
    rotate: ((run.angle ?? 0) * 180) / Math.PI,
  };
}

/** A measure of text at 1 px in the layer's font. */
function unitMeasure(): (text: string) => number {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return (text) => text.length * 0.5;
  // Measured at 100 px: small sizes are rounded by the browser.
  context.font = `100px ${FONT_FAMILY}`;
  return (text) => context.measureText(text).width / 100;
}

/**
 * A page's text as a layer of transparent, selectable spans over its image, sized by the column's
 * `--sv-text-scale`: the reader selects and copies the server's text where the image shows it.
 */
export function buildTextLayer(text: PageText): HTMLDivElement {
  const layer = document.createElement('div');
  layer.className = 'sv-text-layer';
  const measure = unitMeasure();
  for (const run of text.items) {
    if (run.str === '') continue;
    const place = placeRun(run, text, measure(run.str));
    const span = document.createElement('span');
    span.textContent = run.str;
    const transform = `${place.rotate ? `rotate(${place.rotate}deg) ` : ''}scaleX(${place.scaleX})`;
    span.style.cssText = `left:${place.left}%;top:${place.top}%;font-size:calc(var(${TEXT_SCALE_PROPERTY}) * ${place.fontSize}px);transform:${transform}`;
    layer.append(span);
    // A line end reads as one when the selection is copied.
    if (run.eol) layer.append(document.createElement('br'));
  }
  return layer;
}
