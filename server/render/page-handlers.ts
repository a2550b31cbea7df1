// Server-rendered viewing: a document's manifest, its pages as images at a few scales with the
// reader's watermark in the pixels, and (with `copy`) each page's text with positions. The PDF's
// bytes never leave the server. Clean renders are cached by document version, page and scale;
// the watermark, from the token's signed claims, is drawn for every response.
import { createHash } from 'node:crypto';
import type { AuditLog } from '../handlers/audit.ts';
import type { ServedDocument } from '../handlers/document-handler.ts';
import { SECURITY_HEADERS, errorResponse, jsonResponse } from '../web/responses.ts';
import type { AccessClaims } from '../token-service.ts';
import { checkAccess, type AccessOptions } from './access.ts';
import { DocumentBytes, documentKey } from './document-bytes.ts';
import type { RenderCache } from './render-cache.ts';
import { renderErrorResponse } from './render-error-response.ts';
import type { DocumentLayout, ImageFormat, PageText } from './render-jobs.ts';
import type { RenderPool } from './render-pool.ts';
import type { WatermarkLines } from './watermark-lines.ts';

/** The scale steps offered by default: thumbnails, reading sizes, and sharp zoom. */
export const DEFAULT_SCALES: readonly number[] = [0.25, 0.5, 1, 1.5, 2, 3];
/** Pixels per page image at most by default (4096 × 4096). */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

export interface PageHandlersOptions extends AccessOptions {
  pool: RenderPool;
  cache: RenderCache;
  bytes: DocumentBytes;
  scales: readonly number[];
  maxPixels: number;
  format: ImageFormat;
  watermark: WatermarkLines;
  /** Builds the URLs the manifest lists, for a document id. */
  urls(id: string): RenderedDocumentUrls;
  audit: AuditLog;
}

/** Where a reader finds the rest of a server-rendered document, as listed in its manifest. */
export interface RenderedDocumentUrls {
  /** With `{page}` and `{scale}` to fill in. */
  image: string;
  /** With `{page}` to fill in. */
  text: string;
  download: string;
}

/** The manifest's JSON. */
export interface RenderedDocumentManifest {
  id: string;
  title: string;
  /** Changes whenever the document's bytes do. */
  version: string;
  pageCount: number;
  /** Each page's size in PDF points at scale 1 (pixels at scale s: ceil(size × s)). */
  pages: Array<{ width: number; height: number }>;
  outline: DocumentLayout['outline'];
  scales: number[];
  imageType: string;
  maxPixels: number;
  /** What the token allows. */
  permissions: string[];
  /** Null where the token does not allow it. */
  urls: { image: string; text: string | null; download: string | null };
}

export interface PageHandlers {
  manifest(request: Request, id: string): Promise<Response>;
  image(request: Request, id: string, page: number): Promise<Response>;
  text(request: Request, id: string, page: number): Promise<Response>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Cache keys name the version by a hash: document ids and validators never reach the cache. */
function versionKey(id: string, document: ServedDocument): string {
  return createHash('sha256').update(documentKey(id, document)).digest('base64url').slice(0, 32);
}

export function createPageHandlers(options: PageHandlersOptions): PageHandlers {
  const inFlight = new Map<string, Promise<unknown>>();
  const contentType = options.format === 'png' ? 'image/png' : 'image/webp';

  /** Renders (or reads from the cache) JSON data once per key at a time. */
  async function cachedJson<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const cached = await options.cache.get(key);
    if (cached) return JSON.parse(decoder.decode(cached)) as T;
    const running = inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const computing = compute().then(async (value) => {
      await options.cache.set(key, encoder.encode(JSON.stringify(value)));
      return value;
    });
    inFlight.set(key, computing);
    try {
      return await computing;
    } finally {
      inFlight.delete(key);
    }
  }

  async function layoutOf(id: string, document: ServedDocument): Promise<DocumentLayout> {
    return cachedJson(`${versionKey(id, document)}:layout`, async () => {
      const result = await options.pool.run({ kind: 'layout', doc: await options.bytes.get(id, document) });
      if (result.kind !== 'layout') throw new TypeError('unexpected render result');
      return result.layout;
    });
  }

  async function pageImage(id: string, document: ServedDocument, claims: AccessClaims, page: number, scale: number): Promise<{ image: Uint8Array; hit: boolean }> {
    const key = `${versionKey(id, document)}:p${page}:s${scale}`;
    const watermark = options.watermark(claims);
    const job = async (clean: Uint8Array | null) => {
      const result = await options.pool.run({ kind: 'page', doc: await options.bytes.get(id, document), page, scale, maxPixels: options.maxPixels, clean, watermark, format: options.format });
      if (result.kind !== 'page') throw new TypeError('unexpected render result');
      return result;
    };
    const cached = (await options.cache.get(key)) ?? (await (inFlight.get(key) as Promise<Uint8Array> | undefined)?.catch(() => null)) ?? null;
    if (cached) return { image: (await job(cached)).image, hit: true };
    // This request renders; others for the same page meanwhile wait for its clean image.
    const rendering = job(null);
    const clean = rendering.then(async (result) => {
      await options.cache.set(key, result.clean!);
      return result.clean!;
    });
    inFlight.set(key, clean);
    clean.catch(() => {}).finally(() => inFlight.delete(key));
    return { image: (await rendering).image, hit: false };
  }

  return {
    async manifest(request, id) {
      const access = await checkAccess(options, request, id, 'pages', 'read');
      if (!access.ok) return access.response;
      const { claims, document } = access;
      let layout: DocumentLayout;
      try {
        layout = await layoutOf(id, document);
      } catch (error) {
        return renderErrorResponse(error);
      }
      options.audit(`render.open doc=${id} jti=${claims.jti} sub=${encodeURIComponent(claims.sub ?? '-')}`);
      const urls = options.urls(id);
      const body: RenderedDocumentManifest = {
        id,
        title: document.title,
        version: versionKey(id, document),
        pageCount: layout.pageCount,
        pages: layout.pages,
        outline: layout.outline,
        scales: [...options.scales],
        imageType: contentType,
        maxPixels: options.maxPixels,
        permissions: [...claims.permissions],
        urls: {
          image: urls.image,
          text: claims.permissions.includes('copy') ? urls.text : null,
          download: claims.permissions.includes('download') ? urls.download : null,
        },
      };
      return jsonResponse(200, body);
    },

    async image(request, id, page) {
      const access = await checkAccess(options, request, id, 'pages', 'read');
      if (!access.ok) return access.response;
      const scaleText = new URL(request.url).searchParams.get('scale');
      const scale = scaleText === null ? NaN : Number(scaleText);
      if (!options.scales.includes(scale)) {
        return errorResponse(400, 'scale_not_offered', `Scales offered: ${options.scales.join(', ')}.`);
      }
      try {
        const { image, hit } = await pageImage(id, access.document, access.claims, page, scale);
        // Images come back from the worker in plain (not shared) memory.
        return new Response(image as Uint8Array<ArrayBuffer>, {
          status: 200,
          headers: { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': String(image.byteLength), 'X-Render-Cache': hit ? 'hit' : 'miss' },
        });
      } catch (error) {
        return renderErrorResponse(error);
      }
    },

    async text(request, id, page) {
      const access = await checkAccess(options, request, id, 'pages', 'copy');
      if (!access.ok) return access.response;
      const { document } = access;
      try {
        const text = await cachedJson<PageText>(`${versionKey(id, document)}:t${page}`, async () => {
          const result = await options.pool.run({ kind: 'text', doc: await options.bytes.get(id, document), page });
          if (result.kind !== 'text') throw new TypeError('unexpected render result');
          return result.text;
        });
        return jsonResponse(200, text);
      } catch (error) {
        return renderErrorResponse(error);
      }
    },
  };
}
