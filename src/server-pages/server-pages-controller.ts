import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ViewerError, asViewerError } from '../errors.ts';
import type { ImageDocument } from '../export/export-controller.ts';
import type { TokenAccess } from '../net/token-access.ts';
import type { Zoom } from '../pdf/zoom.ts';
import type { FindResult } from '../ui/find/find-bar.ts';
import type { DocumentSearch } from '../ui/reader-controls.ts';
import type { SidebarSource } from '../ui/sidebar/sidebar-options.ts';
import type { ServerDocument, ServerPageView } from './server-document.ts';

type ServerPagesCode = typeof import('./server-document.ts');

export interface ServerPagesRequest {
  /** The manifest's URL. */
  url: string;
  container: HTMLDivElement;
  viewer: HTMLDivElement;
  shadowRoot: ShadowRoot;
  pageLabel: (page: number) => string;
  view: () => { page: number; zoom: Zoom };
  signal: AbortSignal;
}

/** What the element learns from a server-rendered load. Never called for a load that was closed. */
export interface ServerPagesEvents {
  onLoaded(numPages: number): void;
  onPageChange(page: number): void;
  onScaleChange(scale: number): void;
  onError(error: ViewerError): void;
}

/**
 * One server-rendered document at a time (`render="server"`): loads the mode's code (a chunk of
 * its own, on first use), opens the manifest, shows the pages, and lets go of all of it on close.
 * What the rest of the element needs of the open document (its pages, find, export, sidebar) is
 * handed out from here.
 */
export class ServerPagesController implements ReactiveController {
  readonly #tokens: TokenAccess;
  readonly #events: ServerPagesEvents;
  #open: { doc: ServerDocument; code: ServerPagesCode; url: string; sidebar: SidebarSource | null } | null = null;
  #generation = 0;

  constructor(host: ReactiveControllerHost, tokens: TokenAccess, events: ServerPagesEvents) {
    this.#tokens = tokens;
    this.#events = events;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.close();
  }

  /** The open document's pages, or null. */
  get pages(): ServerPageView | null {
    return this.#open?.doc.pages ?? null;
  }

  async open(request: ServerPagesRequest): Promise<void> {
    this.close();
    const generation = this.#generation;
    const { signal } = request;
    const current = () => generation === this.#generation && !signal.aborted;
    const code = await import('./server-document.ts').catch(() => null);
    if (!current()) return;
    if (!code) return this.#events.onError(new ViewerError('network', { message: 'The viewer could not load its page view. Check your connection and try again.' }));
    try {
      const doc = await code.openServerDocument({
        ...request,
        tokens: this.#tokens,
        onPageChange: (page) => current() && this.#events.onPageChange(page),
        onScaleChange: (scale) => current() && this.#events.onScaleChange(scale),
        onError: (error) => current() && this.#events.onError(error),
      });
      if (!current()) return doc.pages.destroy();
      this.#open = { doc, code, url: request.url, sidebar: null };
      this.#events.onLoaded(doc.manifest.pageCount);
    } catch (error) {
      if (current()) this.#events.onError(asViewerError(error));
    }
  }

  /** Lets go of the pages, their images and everything read of the document. */
  close(): void {
    this.#generation++;
    this.#open?.doc.pages.destroy();
    this.#open?.doc.texts.clear();
    this.#open = null;
  }

  /** Find in the open document's text, from its server; null when none is open. */
  search(onResult: (result: FindResult) => void): DocumentSearch | null {
    const open = this.#open;
    if (!open) return null;
    return new open.code.ServerFinder({
      pages: open.doc.pages,
      texts: open.doc.texts,
      onResult,
      onError: (error) => this.#open === open && this.#events.onError(error),
    });
  }

  /** The open document for download (the server's stamped copy) and print (its images). */
  imageDocument(): ImageDocument | null {
    const open = this.#open;
    if (!open) return null;
    const { doc, code, url } = open;
    return {
      numPages: doc.manifest.pageCount,
      save: (host) => code.saveServerCopy(doc, url, host),
      printImages: (signal) => code.serverPrintImages(doc, url, signal),
    };
  }

  /** The open document's outline and thumbnails for the sidebar. */
  sidebarSource(): SidebarSource | null {
    const open = this.#open;
    if (!open) return null;
    return (open.sidebar ??= open.code.serverSidebarSource(open.doc, open.url));
  }
}
