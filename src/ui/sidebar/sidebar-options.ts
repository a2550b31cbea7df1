import type { ReactiveControllerHost } from 'lit';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Destination, OutlineEntry } from '../../pdf/outline.ts';
import type { PageViewer } from '../../pdf/page-viewer.ts';
import type { ViewerStringOverrides } from '../../i18n/strings.ts';

/** What the sidebar, open or closed, needs of the element. */
export interface SidebarHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Whether the sidebar is open, as the host set it or the reader left it. */
  sidebarOpen: boolean;
  goToPage(page: number): void;
}

/** Draws page thumbnails into canvases; resolves false when aborted or not drawn. */
export interface ThumbnailPaint {
  paint(page: number, canvas: HTMLCanvasElement, signal: AbortSignal): Promise<boolean>;
  /** Stops: what is queued is dropped. */
  close(): void;
}

/** A document whose outline and thumbnails do not come from pdf.js (pages rendered by its server). */
export interface SidebarSource {
  /** The same object for as long as the document is open. */
  readonly key: object;
  readonly outline: OutlineEntry[];
  /** The first page's size (any unit): the placeholders' shape. */
  readonly pageSize: { width: number; height: number };
  goToDestination(destination: Destination): void;
  painter(): ThumbnailPaint;
}

/** The open document as the sidebar sees it: pdf.js's with its page viewer, or another source. */
export type SidebarDocument = ({ pdf: PDFDocumentProxy; pages: PageViewer } | { source: SidebarSource }) & { numPages: number; page: number };

export interface SidebarOptions {
  /** The open document (with its page viewer, once both exist). */
  document(): SidebarDocument | null;
  /** Draws the watermark into a thumbnail drawn from the document. */
  decorate(canvas: HTMLCanvasElement): Promise<void>;
  /** The host's replacements for visible strings. */
  strings(): ViewerStringOverrides | null;
}
