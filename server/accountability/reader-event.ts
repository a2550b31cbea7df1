// The reader events the element sends to `analytics-url`, as the server accepts them. Each is
// checked field by field and rebuilt from what was checked, so nothing else a client puts in an
// event (a token, a large blob) is ever stored.

/** `sv-page-view`: page `page` was at least half visible for `ms` milliseconds of attention. */
export interface PageViewEvent {
  type: 'page-view';
  page: number;
  ms: number;
}
/** `sv-copy`: the reader copied `chars` characters. */
export interface CopyEvent {
  type: 'copy';
  chars: number;
}
/** `sv-print` / `sv-download`: the reader printed or saved the document. */
export interface ExportEvent {
  type: 'print' | 'download';
}
/** `sv-zoom`: the zoom changed; `zoom` as set (a mode or a factor), `scale` as drawn. */
export interface ZoomEvent {
  type: 'zoom';
  zoom: 'auto' | 'page-fit' | 'page-width' | number;
  scale: number;
}
/** `sv-find`: the reader searched; `query` only when the host opted in. */
export interface FindEvent {
  type: 'find';
  query?: string;
}

/** One reader event and the client's time of it (epoch milliseconds). */
export type ReaderEvent = (PageViewEvent | CopyEvent | ExportEvent | ZoomEvent | FindEvent) & { at: number };

export type ReaderEventType = ReaderEvent['type'];

/** Longest find query kept; longer ones are cut. */
export const MAX_QUERY_LENGTH = 200;
const MAX_PAGE = 1_000_000;
/** A page view is reported at least every few minutes; a day bounds any honest one. */
const MAX_VIEW_MS = 24 * 60 * 60 * 1000;
const MAX_CHARS = 100_000_000;
/** Client clocks may be off; events more than a day away from the server's clock are refused. */
const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

const ZOOM_MODES = new Set(['auto', 'page-fit', 'page-width']);

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function isScale(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 100;
}

/** The event `value` describes, rebuilt from its checked fields; null when it is not a valid one. */
export function parseReaderEvent(value: unknown, now: number): ReaderEvent | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const fields = value as Record<string, unknown>;
  const at = fields['at'];
  if (!isCount(at, Number.MAX_SAFE_INTEGER) || Math.abs(at - now) > MAX_CLOCK_SKEW_MS) return null;
  switch (fields['type']) {
    case 'page-view': {
      const { page, ms } = fields;
      return isCount(page, MAX_PAGE) && page >= 1 && isCount(ms, MAX_VIEW_MS) ? { type: 'page-view', page, ms, at } : null;
    }
    case 'copy':
      return isCount(fields['chars'], MAX_CHARS) ? { type: 'copy', chars: fields['chars'], at } : null;
    case 'print':
    case 'download':
      return { type: fields['type'], at };
    case 'zoom': {
      const { zoom, scale } = fields;
      const validZoom = (typeof zoom === 'string' && ZOOM_MODES.has(zoom)) || isScale(zoom);
      return validZoom && isScale(scale) ? { type: 'zoom', zoom: zoom as ZoomEvent['zoom'], scale, at } : null;
    }
    case 'find': {
      const query = fields['query'];
      if (query === undefined) return { type: 'find', at };
      return typeof query === 'string' ? { type: 'find', query: query.slice(0, MAX_QUERY_LENGTH), at } : null;
    }
    default:
      return null;
  }
}
