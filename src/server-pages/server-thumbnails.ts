import type { OutlineEntry } from '../pdf/outline.ts';
import { THUMBNAIL_WIDTH } from '../pdf/thumbnail-painter.ts';
import type { SidebarSource, ThumbnailPaint } from '../ui/sidebar/sidebar-options.ts';
import { fillTemplate } from './manifest.ts';
import { chooseScale, CSS_PIXELS_PER_POINT } from './scale-choice.ts';
import type { ServerDocument } from './server-document.ts';
import { serverOutline } from './server-outline.ts';

/**
 * Thumbnails from the server's page images at the smallest scale that fills a thumbnail, one
 * request at a time (they share the token's render budget with the pages).
 */
class ServerThumbnailPainter implements ThumbnailPaint {
  readonly #doc: ServerDocument;
  readonly #manifestUrl: string;
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(doc: ServerDocument, manifestUrl: string) {
    this.#doc = doc;
    this.#manifestUrl = manifestUrl;
  }

  paint(page: number, canvas: HTMLCanvasElement, signal: AbortSignal): Promise<boolean> {
    const run = this.#chain.then(() => this.#draw(page, canvas, signal));
    this.#chain = run.catch(() => {});
    return run.catch(() => false);
  }

  close(): void {
    this.#closed = true;
  }

  async #draw(page: number, canvas: HTMLCanvasElement, signal: AbortSignal): Promise<boolean> {
    if (this.#closed || signal.aborted) return false;
    const { manifest, client } = this.#doc;
    const size = manifest.pages[page - 1];
    if (!size) return false;
    const zoom = THUMBNAIL_WIDTH / (size.width * CSS_PIXELS_PER_POINT);
    const scale = chooseScale(manifest.scales, zoom, window.devicePixelRatio || 1, size, manifest.maxPixels);
    const url = fillTemplate(manifest.urls.image, this.#manifestUrl, { page, scale });
    if (url === null) return false;
    const bitmap = await createImageBitmap(await client.image(url));
    try {
      if (this.#closed || signal.aborted) return false;
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      return true;
    } finally {
      bitmap.close();
    }
  }
}

/** The sidebar's view of a server-rendered document: the manifest's outline, and thumbnails from the server. */
export function serverSidebarSource(doc: ServerDocument, manifestUrl: string): SidebarSource {
  const outline: OutlineEntry[] = serverOutline(doc.manifest.outline);
  return {
    key: doc,
    outline,
    pageSize: doc.manifest.pages[0]!,
    goToDestination: (destination) => doc.pages.goToDestination(destination),
    painter: () => new ServerThumbnailPainter(doc, manifestUrl),
  };
}
