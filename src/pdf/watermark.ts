import type { JwtClaims } from '../token/jwt.ts';

/**
 * Fills a watermark template such as `"{sub} · {date}"` from the token's claims. `{date}` and
 * `{time}` are the reader's local date and time; other names are claims (strings and numbers
 * only); unknown names become empty. The result is drawn as plain text, never parsed as markup.
 */
export function fillWatermark(template: string, claims: JwtClaims | null, now: Date): string {
  const values: Record<string, string> = {
    date: now.toLocaleDateString(),
    time: now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
  };
  return template
    .replace(/\{(\w+)\}/g, (_, name: string) => {
      if (Object.hasOwn(values, name)) return values[name]!;
      const claim = claims?.[name];
      return typeof claim === 'string' || typeof claim === 'number' ? String(claim) : '';
    })
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, 200);
}

export interface WatermarkStyle {
  color: string;
  /** CSS font family for the mark. */
  fontFamily: string;
}

/**
 * Draws the text diagonally, repeated over the whole canvas, into the page's own pixels: a
 * screenshot, a print or a saved canvas carries it, and no overlay can be removed to hide it.
 */
export function drawWatermark(canvas: HTMLCanvasElement, text: string, style: WatermarkStyle): void {
  if (!text || canvas.width === 0 || canvas.height === 0) return;
  const context = canvas.getContext('2d');
  if (!context) return;
  const { width, height } = canvas;
  const fontSize = Math.max(10, Math.round(Math.min(width, height) / 22));
  context.save();
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.globalAlpha = 1;
  context.globalCompositeOperation = 'source-over';
  context.font = `600 ${fontSize}px ${style.fontFamily}`;
  context.fillStyle = style.color;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.translate(width / 2, height / 2);
  context.rotate(-Math.PI / 6);
  const step = Math.max(context.measureText(text).width + fontSize * 3, fontSize * 8);
  const rowGap = fontSize * 5;
  const reach = Math.hypot(width, height) / 2 + step;
  for (let y = -reach, row = 0; y <= reach; y += rowGap, row++) {
    // Alternate rows are offset so the marks form a lattice rather than columns.
    const offset = row % 2 === 0 ? 0 : step / 2;
    for (let x = -reach; x <= reach; x += step) context.fillText(text, x + offset, y);
  }
  context.restore();
}

/**
 * Fills the template and draws it into a page canvas in the colour and font the element's
 * `--sv-watermark-*` custom properties give.
 */
export function paintWatermark(canvas: HTMLCanvasElement, template: string, claims: JwtClaims | null, styled: Element): void {
  const style = getComputedStyle(styled);
  drawWatermark(canvas, fillWatermark(template, claims, new Date()), {
    color: style.getPropertyValue('--sv-watermark-color').trim() || 'rgba(200, 30, 30, 0.28)',
    fontFamily: style.getPropertyValue('--sv-watermark-font-family').trim() || 'system-ui, sans-serif',
  });
}
