// Server-side viewing in one object: the page handlers (manifest, page images, page text), the
// stamped download, one render pool and one cache behind them, and a router for
// `<base>/:id/pages`, `<base>/:id/pages/:n/image?scale=s`, `<base>/:id/pages/:n/text` and
// `<base>/:id/download`.
import type { AuditLog } from '../handlers/audit.ts';
import type { ServedDocument } from '../handlers/document-handler.ts';
import type { SharedStore } from '../store/shared-store.ts';
import type { TokenService } from '../token-service.ts';
import { createStampedDownloadHandler, defaultStampLines, type StampedDownloadHandler, type StampLines } from '../stamp/stamped-download-handler.ts';
import { DocumentBytes, type DocumentBytesOptions } from './document-bytes.ts';
import { createPageHandlers, DEFAULT_MAX_PIXELS, DEFAULT_SCALES, type PageHandlers } from './page-handlers.ts';
import { createRenderBudget, type RenderBudgetOptions } from './render-budget.ts';
import { createMemoryRenderCache, type RenderCache } from './render-cache.ts';
import type { ImageFormat } from './render-jobs.ts';
import { createRenderPool, type RenderPool, type RenderPoolOptions } from './render-pool.ts';
import { defaultWatermarkLines, type WatermarkLines } from './watermark-lines.ts';

export interface ServerRenderingOptions {
  /** The token service that issued the readers' tokens (`viewer.tokens`). */
  tokens: TokenService;
  /** Counts the render budget (shared by instances on the Redis store). */
  store: SharedStore;
  /** The document by id, or null: the same lookup as the document handler's. */
  documents(id: string): Promise<ServedDocument | null>;
  /** Path prefix of the routes; default `/api/documents`. */
  basePath?: string;
  /** A pool to use, or options for the one created here (default: one worker per spare core). */
  pool?: RenderPool | RenderPoolOptions;
  /** Where clean renders are kept; default an in-process LRU of 128 MiB (`createRedisRenderCache` to share). */
  cache?: RenderCache;
  /** Scales offered (1 = 72 dpi, a PDF point per pixel); default 0.25, 0.5, 1, 1.5, 2, 3. */
  scales?: readonly number[];
  /** Pixels per page image at most; larger pages at a scale are refused. Default 4096 × 4096. */
  maxPixels?: number;
  /** `webp` (default) or `png`. */
  imageFormat?: ImageFormat;
  /** Requests per token per window; default 300 a minute. */
  budget?: RenderBudgetOptions;
  /** The watermark's lines from the token's claims; default subject, issue time, token id. */
  watermark?: WatermarkLines;
  /** The download stamp's lines; default "Downloaded by <sub>", the time, the token id. */
  stamp?: StampLines;
  /** Whole documents held in memory for the renderer. */
  documentBytes?: DocumentBytesOptions;
  audit?: AuditLog;
}

export interface ServerRendering extends PageHandlers {
  download: StampedDownloadHandler;
  pool: RenderPool;
  /** Answers the routes under the base path; null for any other path. */
  handle(request: Request): Promise<Response | null>;
  /** Ends the pool and the cache when they were created here. */
  close(): Promise<void>;
}

const ID = '([A-Za-z0-9][A-Za-z0-9_-]{0,63})';

function isPool(value: RenderPool | RenderPoolOptions | undefined): value is RenderPool {
  return value !== undefined && typeof (value as RenderPool).run === 'function';
}

export function createServerRendering(options: ServerRenderingOptions): ServerRendering {
  const base = (options.basePath ?? '/api/documents').replace(/\/$/, '');
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const route = new RegExp(`^${escaped}/${ID}/(?:(pages)|pages/(\\d{1,9})/(image|text)|(download))$`);
  const scales = options.scales ?? DEFAULT_SCALES;
  if (scales.length === 0 || !scales.every((scale) => Number.isFinite(scale) && scale > 0 && scale <= 8)) throw new RangeError('scales must be numbers in (0, 8]');
  const ownPool = !isPool(options.pool);
  const pool = isPool(options.pool) ? options.pool : createRenderPool(options.pool);
  const ownCache = options.cache === undefined;
  const cache = options.cache ?? createMemoryRenderCache();
  const bytes = new DocumentBytes(options.documentBytes);
  const audit = options.audit ?? (() => {});
  const access = { tokens: options.tokens, documents: options.documents, budget: createRenderBudget(options.store, options.budget), audit };
  const pages = createPageHandlers({
    ...access,
    pool,
    cache,
    bytes,
    scales,
    maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
    format: options.imageFormat ?? 'webp',
    watermark: options.watermark ?? defaultWatermarkLines,
    urls: (id) => ({
      image: `${base}/${id}/pages/{page}/image?scale={scale}`,
      text: `${base}/${id}/pages/{page}/text`,
      download: `${base}/${id}/download`,
    }),
  });
  const download = createStampedDownloadHandler({ ...access, pool, bytes, stamp: options.stamp ?? defaultStampLines });
  return {
    ...pages,
    download,
    pool,
    async handle(request) {
      const match = route.exec(new URL(request.url).pathname);
      if (!match) return null;
      const [, id, manifest, page, kind] = match as unknown as [string, string, string | undefined, string | undefined, string | undefined];
      if (manifest) return pages.manifest(request, id);
      if (page && kind === 'image') return pages.image(request, id, Number(page));
      if (page && kind === 'text') return pages.text(request, id, Number(page));
      return download(request, id);
    },
    async close() {
      if (ownPool) await pool.close();
      if (ownCache) await cache.close();
    },
  };
}
