import type { ViewerError } from '../errors.ts';
import { adoptSheet } from '../internal/adopt-sheet.ts';
import type { TokenAccess } from '../net/token-access.ts';
import type { Zoom } from '../pdf/zoom.ts';
import type { ServerManifest } from './manifest.ts';
import { PageTexts } from './page-texts.ts';
import { ServerPagesClient } from './server-client.ts';
import { ServerPageView } from './server-page-view.ts';
import { serverPageViewStyles } from './server-page-view.styles.ts';

export type { ServerManifest } from './manifest.ts';
export { ServerPageView } from './server-page-view.ts';
export { PageTexts } from './page-texts.ts';
export { ServerFinder, type ServerFindResult } from './server-finder.ts';
export { saveServerCopy } from './server-download.ts';
export { serverPrintImages } from './server-print.ts';
export { serverSidebarSource } from './server-thumbnails.ts';

export interface ServerDocumentRequest {
  /** The manifest's URL (the element's `src`). */
  url: string;
  tokens: TokenAccess;
  /** Aborts every request of this document and ends its view. */
  signal: AbortSignal;
  container: HTMLElement;
  viewer: HTMLElement;
  shadowRoot: ShadowRoot;
  pageLabel: (page: number) => string;
  /** Where to open, read once the manifest is in. */
  view: () => { page: number; zoom: Zoom };
  onPageChange: (page: number) => void;
  onScaleChange: (scale: number) => void;
  /** A failure after the document opened that ends it. */
  onError: (error: ViewerError) => void;
}

/** A server-rendered document, open: what the server said of it and its column of pages. */
export interface ServerDocument {
  manifest: ServerManifest;
  pages: ServerPageView;
  client: ServerPagesClient;
  /** The pages' text, read once each and shared by find and the text layers. */
  texts: PageTexts;
}

/**
 * Opens a server-rendered document: reads its manifest (a failure rejects with the contract's
 * error) and lays out its pages. The PDF itself is never asked for, and pdf.js is not loaded.
 */
export async function openServerDocument(request: ServerDocumentRequest): Promise<ServerDocument> {
  const client = new ServerPagesClient(request.tokens, request.signal);
  const manifest = await client.manifest(request.url);
  request.signal.throwIfAborted();
  adoptSheet(request.shadowRoot, serverPageViewStyles.styleSheet);
  const texts = new PageTexts(client, manifest.urls.text, request.url);
  // The text goes with the document: nothing of it outlives a close or a revocation.
  request.signal.addEventListener('abort', () => texts.clear(), { once: true });
  const pages = new ServerPageView({
    manifest,
    manifestUrl: request.url,
    client,
    texts,
    container: request.container,
    viewer: request.viewer,
    pageLabel: request.pageLabel,
    onPageChange: request.onPageChange,
    onScaleChange: request.onScaleChange,
    onError: request.onError,
    signal: request.signal,
  });
  const view = request.view();
  pages.zoom = view.zoom;
  pages.page = view.page;
  return { manifest, pages, client, texts };
}
