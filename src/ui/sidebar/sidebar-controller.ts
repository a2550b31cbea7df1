import { html, type PropertyValues, type ReactiveController, type TemplateResult } from 'lit';
import { createViewerEvent } from '../../events.ts';
import type { CoreStrings } from '../../i18n/strings.ts';
import type { SidebarHost, SidebarOptions } from './sidebar-options.ts';
import type { SidebarPanel } from './sidebar-panel.ts';

/**
 * The sidebar: open or closed. What it shows (outline, thumbnails), and how, is a chunk of its
 * own, loaded the first time it opens: until then an empty landmark stands in for it and the
 * pages make room for it at once.
 */
export class SidebarController implements ReactiveController {
  readonly #host: SidebarHost;
  readonly #options: SidebarOptions;
  #open = false;
  #panel: SidebarPanel | null = null;
  #loading = false;
  /** Focus goes into the sidebar once its content is there (opened from the keyboard). */
  #focusWhenLoaded = false;

  constructor(host: SidebarHost, options: SidebarOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get open(): boolean {
    return this.#open;
  }

  set open(open: boolean) {
    if (open === this.#open) return;
    this.#open = open;
    const host = this.#host;
    // The reader's toggle reaches the property, and the host hears of it; the host's own does not come back.
    if (host.sidebarOpen !== open) {
      host.sidebarOpen = open;
      host.dispatchEvent(createViewerEvent('sv-sidebar-toggle', { open }));
    }
    host.requestUpdate();
    if (open) this.#prepare();
    else this.#focusWhenLoaded = false;
  }

  toggle(focusInside = false): void {
    this.open = !this.#open;
    if (!this.#open || !focusInside) return;
    if (this.#panel) void this.#panel.focusInside();
    else this.#focusWhenLoaded = true;
  }

  /** The element is about to update with these changes (its `willUpdate`): the host's `sidebarOpen` opens or closes it. */
  willUpdate(changed: PropertyValues): void {
    if (changed.has('sidebarOpen')) this.open = this.#host.sidebarOpen;
  }

  hostConnected(): void {
    // Back on the page after a removal: the next update lays the thumbnails out again.
    if (this.#open) this.#prepare();
  }

  hostDisconnected(): void {
    this.#panel?.disconnect();
  }

  hostUpdated(): void {
    this.#panel?.updated(this.#open);
  }

  /** A new document (or none): outline and thumbnails are read again when next needed. */
  reset(): void {
    this.#panel?.reset();
    this.#host.requestUpdate();
  }

  /** The document is open: start what an open sidebar shows. */
  documentReady(): void {
    if (this.#open) this.#prepare();
  }

  /** The current page changed: its thumbnail is highlighted and kept in the sidebar's view. */
  showPage(page: number): void {
    this.#panel?.showPage(page);
  }

  render(strings: CoreStrings): TemplateResult {
    if (this.#panel) return this.#panel.render(this.#open);
    return html`<nav part="sidebar" class="sidebar" id="sv-sidebar" aria-label=${strings.sidebar} ?hidden=${!this.#open}></nav>`;
  }

  /** Loads the sidebar's content if needed, and has it read the open document's outline. */
  #prepare(): void {
    if (this.#panel) {
      this.#panel.prepare();
      return;
    }
    if (this.#loading) return;
    this.#loading = true;
    import('./sidebar-panel.ts').then(
      ({ SidebarPanel }) => {
        this.#loading = false;
        this.#panel = new SidebarPanel(this.#host, { ...this.#options, close: () => (this.open = false) });
        this.#host.requestUpdate();
        if (!this.#open) return;
        this.#panel.prepare();
        if (!this.#focusWhenLoaded) return;
        this.#focusWhenLoaded = false;
        void this.#panel.focusInside();
      },
      () => {
        // Offline, say: the sidebar stays empty, and opening it again asks for its code again.
        this.#loading = false;
      },
    );
  }
}
