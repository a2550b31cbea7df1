import type { ReactiveControllerHost } from 'lit';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PageViewer } from '../../pdf/page-viewer.ts';
import type { ViewerStringOverrides } from '../../i18n/strings.ts';

/** What the sidebar, open or closed, needs of the element. */
export interface SidebarHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Whether the sidebar is open, as the host set it or the reader left it. */
  sidebarOpen: boolean;
  goToPage(page: number): void;
}

export interface SidebarOptions {
  /** The open document and its page viewer, once both exist. */
  document(): { pdf: PDFDocumentProxy; pages: PageViewer; numPages: number; page: number } | null;
  /** Draws the watermark into a thumbnail drawn from the document. */
  decorate(canvas: HTMLCanvasElement): Promise<void>;
  /** The host's replacements for visible strings. */
  strings(): ViewerStringOverrides | null;
}
