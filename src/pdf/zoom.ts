/** `auto`, `page-fit`, `page-width`, or a scale where 1 is 100 %. */
export type Zoom = 'auto' | 'page-fit' | 'page-width' | number;

const ZOOM_KEYWORDS = new Set(['auto', 'page-fit', 'page-width']);

/** `zoom` attribute: a keyword, or a number where 1 is 100 % (`"150%"` works too), kept within 10–1000 %. */
export function parseZoom(value: string | null): Zoom {
  if (value === null) return 'auto';
  const trimmed = value.trim();
  if (ZOOM_KEYWORDS.has(trimmed)) return trimmed as Zoom;
  const scale = trimmed.endsWith('%') ? Number(trimmed.slice(0, -1)) / 100 : Number(trimmed);
  return Number.isFinite(scale) && scale > 0 ? Math.min(Math.max(scale, 0.1), 10) : 'auto';
}
