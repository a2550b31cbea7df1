// The watermark drawn into a page image: the lines repeated diagonally over the whole page, in a
// translucent red that survives lossy encoding, with a font shipped with pdf.js so every
// instance draws the same pixels.
import { GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { pdfjsFile } from './pdfjs-node.ts';

const FAMILY = 'SV Watermark';
/** The watermark's colour: pixels it covers are red-tinted (red well above green and blue). */
export const WATERMARK_COLOR = 'rgba(210, 20, 20, 0.32)';
let registered = false;

function registerFont(): void {
  if (registered) return;
  GlobalFonts.registerFromPath(pdfjsFile('standard_fonts/LiberationSans-Regular.ttf'), FAMILY);
  registered = true;
}

/** Draws `lines` (joined into one run) diagonally and repeatedly over a `width` × `height` image. */
export function drawWatermark(context: SKRSContext2D, width: number, height: number, lines: readonly string[]): void {
  const text = lines.join('  ·  ');
  if (text === '') return;
  registerFont();
  const fontSize = Math.max(9, Math.round(Math.min(width, height) / 24));
  context.save();
  context.font = `${fontSize}px "${FAMILY}"`;
  context.fillStyle = WATERMARK_COLOR;
  context.textBaseline = 'middle';
  context.translate(width / 2, height / 2);
  context.rotate(-Math.atan2(height, width));
  const diagonal = Math.hypot(width, height);
  const step = context.measureText(text).width + fontSize * 2;
  const rowGap = fontSize * 3.5;
  // Rows across the whole rotated square, each shifted by half a step so the text interleaves.
  let row = 0;
  for (let y = -diagonal / 2; y <= diagonal / 2; y += rowGap, row++) {
    const shift = row % 2 === 0 ? 0 : step / 2;
    for (let x = -diagonal / 2 - shift; x <= diagonal / 2; x += step) context.fillText(text, x, y);
  }
  context.restore();
}
