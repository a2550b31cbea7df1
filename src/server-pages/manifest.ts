import { ViewerError } from '../errors.ts';

/** A page's size in PDF points (1/72 in) at scale 1. */
export interface PageSize {
  width: number;
  height: number;
}

/** One bookmark of a server-rendered document: the page it goes to (1-based), or null. */
export interface ServerOutlineItem {
  title: string;
  page: number | null;
  items: ServerOutlineItem[];
}

/**
 * What the server says of a document it renders (`GET …/pages`): its pages' sizes, its outline,
 * the image scales it offers and where the images, the text and the stamped download are.
 */
export interface ServerManifest {
  id: string;
  title: string;
  /** Changes whenever the document's bytes do. */
  version: string;
  pageCount: number;
  pages: PageSize[];
  outline: ServerOutlineItem[];
  /** Offered image scales (1 = a PDF point per pixel), smallest first. */
  scales: number[];
  imageType: string;
  /** Pixels per page image at most. */
  maxPixels: number;
  /** What the token allows. */
  permissions: string[];
  /** Templates: `image` with `{page}` and `{scale}`, `text` with `{page}`; null where the token does not allow it. */
  urls: { image: string; text: string | null; download: string | null };
}

const NOT_A_MANIFEST = 'The address is not a server-rendered document: its answer is not the expected page manifest.';

function invalid(): ViewerError {
  return new ViewerError('invalid-document', { message: NOT_A_MANIFEST });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function stringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

/** Bookmarks, depth-limited: a server's outline is data, not a reason to overflow the stack. */
function outlineItems(value: unknown, pageCount: number, depth = 0): ServerOutlineItem[] {
  if (!Array.isArray(value) || depth > 32) throw invalid();
  return value.map((item) => {
    if (!isRecord(item) || typeof item['title'] !== 'string') throw invalid();
    const page = item['page'];
    const target = typeof page === 'number' && Number.isInteger(page) && page >= 1 && page <= pageCount ? page : null;
    return { title: item['title'], page: target, items: item['items'] === undefined ? [] : outlineItems(item['items'], pageCount, depth + 1) };
  });
}

/**
 * Checks a manifest's JSON and returns it in the shape the viewer relies on (scales sorted);
 * anything else is `invalid-document`.
 */
export function parseManifest(value: unknown): ServerManifest {
  if (!isRecord(value)) throw invalid();
  const { id, title, version, pageCount, pages, scales, imageType, maxPixels, permissions, urls } = value;
  if (typeof id !== 'string' || typeof version !== 'string' || typeof imageType !== 'string') throw invalid();
  if (typeof pageCount !== 'number' || !Number.isInteger(pageCount) || pageCount < 1) throw invalid();
  if (!Array.isArray(pages) || pages.length !== pageCount) throw invalid();
  const sizes = pages.map((page: unknown) => {
    if (!isRecord(page) || !positive(page['width']) || !positive(page['height'])) throw invalid();
    return { width: page['width'], height: page['height'] };
  });
  if (!Array.isArray(scales) || scales.length === 0 || !scales.every(positive)) throw invalid();
  if (!positive(maxPixels)) throw invalid();
  if (!Array.isArray(permissions) || !permissions.every((p) => typeof p === 'string')) throw invalid();
  if (!isRecord(urls) || typeof urls['image'] !== 'string' || !stringOrNull(urls['text']) || !stringOrNull(urls['download'])) throw invalid();
  return {
    id,
    title: typeof title === 'string' ? title : '',
    version,
    pageCount,
    pages: sizes,
    outline: value['outline'] === undefined ? [] : outlineItems(value['outline'], pageCount),
    scales: [...(scales as number[])].sort((a, b) => a - b),
    imageType,
    maxPixels,
    permissions: permissions as string[],
    urls: { image: urls['image'], text: urls['text'], download: urls['download'] },
  };
}

/** A manifest from a response's text: a PDF, an HTML page or any other non-JSON answer is `invalid-document`. */
export function readManifest(text: string): ServerManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid();
  }
  return parseManifest(value);
}

/**
 * A manifest's URL template filled in and resolved against the manifest's own URL. Null when it
 * points to another origin: the token is bound to the manifest's origin and goes nowhere else.
 */
export function fillTemplate(template: string, manifestUrl: string, values: Readonly<Record<string, number>>): string | null {
  const filled = template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? encodeURIComponent(String(values[name])) : whole));
  let url: URL;
  try {
    url = new URL(filled, manifestUrl);
  } catch {
    return null;
  }
  return url.origin === new URL(manifestUrl).origin ? url.href : null;
}
