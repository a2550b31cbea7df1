import { nothing, type PropertyValues, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { createViewerEvent } from '../events.ts';
import type { PageViewer, Zoom } from '../pdf/page-viewer.ts';
import type { FindResult } from './find/find-bar.ts';
import { format, resolveStrings, type ViewerStringOverrides } from '../i18n/strings.ts';
import { adoptSheet } from '../internal/adopt-sheet.ts';
import { renderToolbar, type ToolbarActions, type ToolbarModel } from './toolbar.ts';

type FindBar = typeof import('./find/find-bar.ts');
type Keymap = typeof import('./keyboard.ts');

/** What the toolbar and the keyboard act on. */
export interface ReaderHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  page: number;
  zoom: Zoom;
  readonly numPages: number;
  readonly noToolbar: boolean;
  goToPage(page: number): void;
  download(): Promise<void>;
  print(): Promise<void>;
}

/** What the controls move: pdf.js's page viewer, or the view of server-rendered pages. */
export interface ShownPages {
  page: number;
  zoom: Zoom;
  rotation: number;
  zoomIn(): void;
  zoomOut(): void;
}

/** One document's search, as the find bar drives it. */
export interface DocumentSearch {
  readonly pages: ShownPages;
  find(query: string, options?: { again?: boolean; previous?: boolean }): void;
  close(): void;
}

export interface ReaderControlsOptions {
  pages: () => ShownPages | null;
  /** A search of the open document's own, when its pages are not pdf.js's (server-rendered); else null. */
  search?: (onResult: (result: FindResult) => void) => DocumentSearch | null;
  /** Controls act only on an open document with no dialog in front of it. */
  active: () => boolean;
  viewport: () => HTMLElement | null;
  /** Stops a print being prepared; false when there is none. */
  cancelPrint: () => boolean;
  /** Opens or closes the sidebar; from the keyboard, focus moves into it when it opens. */
  toggleSidebar: (fromKeyboard: boolean) => void;
  /** The host's replacements for visible strings. */
  strings: () => ViewerStringOverrides | null;
  /** The reader arrived on another page (the sidebar follows). */
  onPageShown: (page: number) => void;
}

/** What the toolbar shows that the controls do not know themselves. */
export type ToolbarState = Omit<ToolbarModel, 'page' | 'numPages' | 'scale' | 'moreOpen' | 'findOpen' | 'findBar'> & {
  /** Share of the document loaded (0–100), for the find bar. */
  progress: number | null;
};

/**
 * The reader's controls: toolbar actions, keyboard shortcuts inside the element, the state of the
 * find bar and the "more tools" menu, and the page and zoom kept in step between the element's
 * properties and the page viewer. The find bar is a chunk of its own, loaded the first time find
 * opens; its field takes focus once it is there. The keymap is one too, loaded as a document
 * starts to load: keys act only on an open document, which takes far longer to come.
 */
export class ReaderControls implements ReactiveController {
  readonly #host: ReaderHost;
  readonly #options: ReaderControlsOptions;
  #moreOpen = false;
  #findOpen = false;
  #findResult: FindResult | null = null;
  #findBar: FindBar | null = null;
  /** Find in the open document's pages, made with the first search in them. */
  #finder: DocumentSearch | null = null;
  /** The page last announced with `sv-page-change`. */
  #reportedPage = 0;
  /** The `page` property was set from the viewer's scrolling: nothing to push back. */
  #pageFromViewer = false;
  #announcement = '';
  /** The page viewer's scale, 1 = 100 %. */
  #scale = 1;
  #keymap: Keymap | null = null;
  #keymapLoading = false;

  constructor(host: ReaderHost, options: ReaderControlsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** What screen readers hear about the page the reader arrived on. */
  get announcement(): string {
    return this.#announcement;
  }

  set findResult(result: FindResult | null) {
    this.#findResult = result;
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#host.addEventListener('keydown', this.#onKeydown);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('keydown', this.#onKeydown);
  }

  /** The element is about to update with these changes (its `willUpdate`): the viewer follows. */
  willUpdate(changed: PropertyValues): void {
    const { page, zoom } = this.#host;
    const pages = this.#options.pages();
    // Zoom before page: pdf.js keeps the current page in view when the scale changes, so the other
    // order would scroll back to where the reader was before the jump.
    if (changed.has('zoom') && pages && pages.zoom !== zoom) pages.zoom = zoom;
    if (changed.has('page') && !this.#pageFromViewer && pages && pages.page !== page) pages.page = page;
    this.#pageFromViewer = false;
  }

  /** Scrolls to page `n`, clamped to the open document (as given while none is open). */
  goToPage(n: number): void {
    const { numPages } = this.#host;
    this.#host.page = numPages > 0 ? Math.min(Math.max(1, Math.round(n)), numPages) : n;
  }

  /** What a page box is called for screen readers. */
  pageLabel(page: number): string {
    const strings = resolveStrings(this.#options.strings());
    return format(strings.pageLabel, { page }, strings);
  }

  /** The page viewer's scale changed (a zoom, or a fit mode on a resize). */
  scaleChanged(scale: number): void {
    if (scale === this.#scale) return;
    this.#scale = scale;
    this.#host.requestUpdate();
  }

  /** The toolbar with the find bar under it, unless the host hides it. */
  renderToolbar({ progress, ...state }: ToolbarState): TemplateResult | typeof nothing {
    if (this.#host.noToolbar) return nothing;
    const { page, numPages } = this.#host;
    const findBar = this.#renderFindBar(progress);
    return renderToolbar({ ...state, page, numPages, scale: this.#scale, moreOpen: this.#moreOpen, findOpen: this.#findOpen, findBar }, this.actions);
  }

  /** The document opened on its first page. */
  documentLoaded(): void {
    this.#reportedPage = 1;
  }

  /** The viewer shows another page (the reader scrolled, or navigation arrived): tell the host. */
  pageShown(page: number): void {
    if (page === this.#reportedPage) return;
    this.#reportedPage = page;
    const host = this.#host;
    if (page !== host.page) {
      this.#pageFromViewer = true;
      host.page = page;
    }
    this.#options.onPageShown(page);
    const strings = resolveStrings(this.#options.strings());
    this.#announcement = format(strings.pageAnnouncement, { page, count: host.numPages }, strings);
    host.requestUpdate();
    host.dispatchEvent(createViewerEvent('sv-page-change', { page, numPages: host.numPages }));
  }

  /** A new document, or none: find and menus start closed, nothing of the last document's search is kept, and the keymap is on its way. */
  reset(): void {
    this.#finder = null;
    this.#loadKeymap();
    this.#reportedPage = 0;
    this.#findOpen = false;
    this.#moreOpen = false;
    this.#findResult = null;
    this.#host.requestUpdate();
  }

  readonly actions: ToolbarActions = {
    goToPage: (page) => this.#host.goToPage(page),
    zoomIn: () => this.zoomBy(1),
    zoomOut: () => this.zoomBy(-1),
    fit: (mode) => {
      this.#host.zoom = mode;
    },
    rotate: () => {
      const pages = this.#options.pages();
      if (pages) pages.rotation += 90;
    },
    toggleMore: () => {
      this.#moreOpen = !this.#moreOpen;
      this.#host.requestUpdate();
    },
    toggleFind: () => (this.#findOpen ? this.actions.closeFind() : this.openFind()),
    find: (query, options) => {
      const finder = this.#findIn();
      if (!query) {
        this.findResult = null;
        finder?.close();
        return;
      }
      finder?.find(query, options);
    },
    closeFind: () => {
      this.#findOpen = false;
      this.findResult = null;
      this.#findIn()?.close();
      void this.#host.updateComplete.then(() => this.#part('find-button')?.focus());
    },
    download: () => void this.#host.download(),
    print: () => void this.#host.print(),
    toggleSidebar: () => this.#options.toggleSidebar(false),
  };

  openFind(): void {
    if (!this.#options.active()) return;
    this.#findOpen = true;
    this.#host.requestUpdate();
    if (this.#findBar) {
      void this.#host.updateComplete.then(() => this.#part('find-input')?.focus());
      return;
    }
    import('./find/find-bar.ts').then(
      (findBar) => {
        if (!this.#findBar) adoptSheet(this.#host.renderRoot, findBar.findBarStyles.styleSheet);
        this.#findBar = findBar;
        this.#host.requestUpdate();
        if (this.#findOpen) void this.#host.updateComplete.then(() => this.#part('find-input')?.focus());
      },
      () => {
        // Offline, say: find closes again, and opening it asks for its code again.
        this.#findOpen = false;
        this.#host.requestUpdate();
      },
    );
  }

  /** The find bar while find is open, once its code is there; `progress`: share of the document loaded (0–100). */
  #renderFindBar(progress: number | null): TemplateResult | typeof nothing {
    if (!this.#findOpen || !this.#findBar) return nothing;
    return this.#findBar.renderFindBar({ strings: this.#options.strings(), result: this.#findResult, progress }, this.actions);
  }

  /** Find in the open document's pages, once the find code is here. */
  #findIn(): DocumentSearch | null {
    const pages = this.#options.pages();
    if (!pages || !this.#findBar) return null;
    if (this.#finder?.pages !== pages) {
      const onResult = (result: FindResult) => (this.findResult = result);
      // pdf.js's find for pdf.js's pages.
      this.#finder = this.#options.search?.(onResult) ?? new this.#findBar.Finder(pages as PageViewer, onResult);
    }
    return this.#finder;
  }

  /** The keymap's: scrolls the pages by `delta` pixels. */
  scrollBy(delta: number): void {
    this.#options.viewport()?.scrollBy({ top: delta });
  }

  /** The keymap's: opens or closes the sidebar, focus moving into it when it opens. */
  toggleSidebar(fromKeyboard: boolean): void {
    this.#options.toggleSidebar(fromKeyboard);
  }

  /** Zooms one step in (1) or out (-1). */
  zoomBy(direction: 1 | -1): void {
    const pages = this.#options.pages();
    if (!pages) return;
    if (direction > 0) pages.zoomIn();
    else pages.zoomOut();
    this.#host.zoom = pages.zoom;
  }

  #loadKeymap(): void {
    if (this.#keymap || this.#keymapLoading) return;
    this.#keymapLoading = true;
    import('./keyboard.ts').then(
      (keymap) => {
        this.#keymap = keymap;
      },
      // Offline, say: the next document, or the next key, asks again.
      () => {
        this.#keymapLoading = false;
      },
    );
  }

  #part(name: string): HTMLElement | null {
    return this.#host.renderRoot.querySelector<HTMLElement>(`[part~="${name}"]`);
  }

  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (!this.#options.active()) return;
    // Escape is not in the reading keymap: it stays with whoever else wants it (a dialog, the find
    // field) unless a print is being prepared, which it cancels.
    if (event.key === 'Escape' && this.#options.cancelPrint()) {
      event.preventDefault();
      return;
    }
    if (this.#keymap) this.#keymap.runKey(event, this.#host, this);
    else this.#loadKeymap();
  };
}
