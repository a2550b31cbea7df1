import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ViewerErrorInfo } from './errors.ts';
import { createViewerEvent, type SecureViewerEventDetail, type SecureViewerEventName } from './events.ts';
import { DocumentSource } from './document-source.ts';
import { ExportController } from './export/export-controller.ts';
import { LoadController } from './load-controller.ts';
import { WatermarkController } from './pdf/watermark-controller.ts';
import { parseZoom, type Zoom } from './pdf/zoom.ts';
import { secureViewerStyles } from './secure-viewer.styles.ts';
import type { RenewTokenCallback } from './token/host-source.ts';
import type { ExchangePasswordCallback } from './token/password-exchange.ts';
import { TokenController } from './token/token-controller.ts';
import { CopyGuard } from './ui/copy-guard.ts';
import { PasswordFlow } from './ui/password/password-flow.ts';
import { ReaderControls } from './ui/reader-controls.ts';
import { resolveStrings, type ViewerStringOverrides } from './i18n/strings.ts';
import { SidebarController } from './ui/sidebar/sidebar-controller.ts';
import { TouchInput } from './ui/touch/touch-input.ts';
import { languageController } from './i18n/language-controller.ts';

export type { Zoom } from './pdf/zoom.ts';
export { parseZoom } from './pdf/zoom.ts';
export type { ExchangePasswordCallback } from './token/password-exchange.ts';

/** How pages are drawn: by pdf.js from the PDF's bytes, or by the document's server as images. */
export type RenderMode = 'pdf' | 'server';

/** The element's lifecycle, reflected as the `state` attribute. */
export type ViewerState = 'idle' | 'loading' | 'password' | 'ready' | 'error';

/**
 * Shows a protected PDF. The document is fetched with a short-lived token in an
 * `Authorization: Bearer` header (never in a URL) and renewed through the host before or when
 * it expires, while the reader keeps reading.
 *
 * @summary A secure, token-authenticated PDF viewer.
 *
 * @attr {string} lang - The language of the element's own UI, a BCP 47 tag as on any element; without
 * it, the nearest ancestor's `lang`, then the browser's languages. English is built in; German,
 * French, Spanish, Italian, Portuguese, Dutch, Polish, Japanese, Simplified Chinese and Arabic
 * (right to left) load on first use. Followed live as it changes, here or on an ancestor.
 *
 * @fires {CustomEvent<SvLoadDetail>} sv-load - The document opened; `detail.numPages`.
 * @fires {CustomEvent<SvErrorDetail>} sv-error - Loading failed; `detail` is `{ code, message, status? }`.
 * @fires {CustomEvent<SvPageChangeDetail>} sv-page-change - The current page changed.
 * @fires {CustomEvent<SvProgressDetail>} sv-progress - Document bytes arrived.
 * @fires {CustomEvent<SvTokenRenewDetail>} sv-token-renew - A new token was obtained (the token itself is never in the event).
 * @fires {CustomEvent<SvPasswordRequiredDetail>} sv-password-required - A password is needed.
 * @fires {CustomEvent<SvSidebarToggleDetail>} sv-sidebar-toggle - The reader opened or closed the sidebar; `detail.open`.
 * @fires {CustomEvent<SvPageViewDetail>} sv-page-view - A page held the reader's attention; `detail` is `{ page, visibleMs }` (`ms` too, the same).
 * @fires {CustomEvent<SvCopyDetail>} sv-copy - The reader copied text; `detail.chars` (never the text).
 * @fires {CustomEvent<SvExportDetail>} sv-print - The reader printed the document.
 * @fires {CustomEvent<SvExportDetail>} sv-download - The reader saved the document.
 * @fires {CustomEvent<SvZoomDetail>} sv-zoom - The zoom changed; `detail` is `{ zoom, scale }`.
 * @fires {CustomEvent<SvFindDetail>} sv-find - The reader searched; `detail.query` only with `share-find-query`.
 *
 * @attr share-find-query - `sv-find` carries the reader's query (see the `shareFindQuery` property, which wins when set).
 *
 * @csspart toolbar - The toolbar: navigation, zoom, fit, rotate, find, download and print.
 * @csspart viewport - The scrolling area that holds the pages.
 * @csspart page - Each page box (pdf.js draws the page canvas, text and links inside it).
 * @csspart status - The loading indicator.
 * @csspart error - The error panel with its message and retry button.
 * @csspart retry-button - The button in the error panel that calls `reload()` (or reopens the password dialog).
 * @csspart sidebar-toggle-button - Toolbar: open or close the sidebar (also F4).
 * @csspart sidebar - The sidebar beside the pages (over them under 520 px): outline and thumbnails tabs.
 * @csspart outline-tab - Sidebar: the outline tab (only when the document has bookmarks).
 * @csspart thumbnails-tab - Sidebar: the thumbnails tab.
 * @csspart outline - Sidebar: the outline tree (ARIA tree) of the document's bookmarks.
 * @csspart outline-item - Sidebar: one bookmark in the outline tree.
 * @csspart thumbnails - Sidebar: the scrolling panel of page thumbnails.
 * @csspart thumbnail - Sidebar: one page thumbnail (a button; the current page has `aria-current="page"`).
 * @csspart previous-button - Toolbar: previous page.
 * @csspart next-button - Toolbar: next page.
 * @csspart page-input - Toolbar: the current page number field.
 * @csspart zoom-in-button - Toolbar: zoom in.
 * @csspart zoom-out-button - Toolbar: zoom out.
 * @csspart fit-width-button - Toolbar: fit the page width.
 * @csspart fit-page-button - Toolbar: fit the whole page.
 * @csspart rotate-button - Toolbar: rotate pages clockwise.
 * @csspart find-button - Toolbar: open or close find.
 * @csspart more-button - Toolbar: the menu that holds secondary tools on narrow widths.
 * @csspart download-button - Toolbar: save the file (only with the `download` permission).
 * @csspart print-button - Toolbar: print the document (only with the `print` permission).
 * @csspart find-bar - The find bar under the toolbar.
 * @csspart find-input - The search field.
 * @csspart find-previous-button - Find: previous match.
 * @csspart find-next-button - Find: next match.
 * @csspart find-close-button - Find: close and clear highlights.
 * @csspart password-dialog - The password dialog (access and PDF passwords).
 * @csspart password-input - The password field.
 * @csspart password-submit - The dialog's submit button.
 * @csspart password-cancel - The dialog's cancel button.
 *
 * @cssprop [--sv-color=#1f2328] - Text colour of the element's own UI.
 * @cssprop [--sv-background=#e9ecef] - Background behind the pages.
 * @cssprop [--sv-font-family=system-ui, sans-serif] - Font of the element's own UI.
 * @cssprop [--sv-font-size=14px] - Font size of the element's own UI.
 * @cssprop [--sv-spacing=12px] - Spacing unit of the element's own UI.
 * @cssprop [--sv-radius=6px] - Corner radius of buttons and fields.
 * @cssprop [--sv-border-color=#8c959f] - Border colour of buttons, fields and the toolbar.
 * @cssprop [--sv-button-background=#ffffff] - Button background.
 * @cssprop [--sv-button-color=#1f2328] - Button text colour.
 * @cssprop [--sv-button-hover-background=rgb(127 127 127 / 0.16)] - Toolbar button background on hover.
 * @cssprop [--sv-focus-color=#0b69d4] - Focus ring colour.
 * @cssprop [--sv-toolbar-background=#f6f8fa] - Toolbar and find bar background.
 * @cssprop [--sv-toolbar-color=#1f2328] - Toolbar text and icon colour.
 * @cssprop [--sv-input-background=#ffffff] - Background of fields.
 * @cssprop [--sv-input-color=#1f2328] - Text colour of fields.
 * @cssprop [--sv-dialog-background=#ffffff] - Password dialog background.
 * @cssprop [--sv-dialog-color=#1f2328] - Password dialog text colour.
 * @cssprop [--sv-accent-background=#0b69d4] - Background of the dialog's main button.
 * @cssprop [--sv-accent-color=#ffffff] - Text colour of the dialog's main button.
 * @cssprop [--sv-error-color=#b42318] - Colour of error messages in the dialog.
 * @cssprop [--sv-overlay-background=transparent] - Background of the loading overlay.
 * @cssprop [--sv-sidebar-width=200px] - Width of the sidebar.
 * @cssprop [--sv-sidebar-background=#f6f8fa] - Sidebar background.
 * @cssprop [--sv-current-color=#0b69d4] - Outline of the current page's thumbnail.
 * @cssprop [--sv-watermark-color=rgba(200, 30, 30, 0.28)] - Colour of the watermark text.
 * @cssprop [--sv-watermark-font-family=system-ui, sans-serif] - Font of the watermark text.
 */
export class SecureViewer extends LitElement {
  static override styles = secureViewerStyles;

  static override properties = {
    src: { type: String },
    token: { attribute: false },
    tokenUrl: { type: String, attribute: 'token-url' },
    passwordUrl: { type: String, attribute: 'password-url' },
    renewToken: { attribute: false },
    exchangePassword: { attribute: false },
    page: { type: Number },
    zoom: { converter: { fromAttribute: parseZoom, toAttribute: (zoom: Zoom) => String(zoom) } },
    renewTimeout: { type: Number, attribute: 'renew-timeout' },
    strings: { attribute: false },
    noToolbar: { type: Boolean, attribute: 'no-toolbar' },
    watermark: { type: String },
    sidebarOpen: { type: Boolean, attribute: 'sidebar-open' },
    analyticsUrl: { attribute: 'analytics-url' },
    renderMode: { attribute: 'render', converter: { fromAttribute: (value: string | null): RenderMode => (value === 'server' ? 'server' : 'pdf') } },
  };

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'token'];
  }

  /**
   * URL of the document (http or https). The token travels only in the `Authorization` header of
   * requests to it. Moving to another origin without setting a new `token` in the same update
   * drops the token.
   */
  src: string | null = null;

  /**
   * The session token from the host's backend. Kept in memory only and never reflected; a `token`
   * attribute in server-rendered HTML is read once and removed from the DOM. It belongs to the
   * origin of the document it was first used for: set to null when `src` moves to another origin
   * without a new token.
   */
  token: string | null = null;

  /** Endpoint the element POSTs to (same-origin credentials, no body) for a token, and again to renew it. */
  tokenUrl: string | null = null;

  /** Endpoint that exchanges a reader's password (POSTed as JSON `{password}`) for a token. */
  passwordUrl: string | null = null;

  /**
   * Called to renew the token: `({ reason, src }) => Promise<string | { token, expiresAt? }>`.
   * `src` is the absolute URL of the document the token will be sent to: check it before minting
   * a token when `src` can come from untrusted input.
   */
  renewToken: RenewTokenCallback | null = null;

  /** Exchanges a reader's password for a token, instead of `password-url`. */
  exchangePassword: ExchangePasswordCallback | null = null;

  /** The current page, 1-based. Setting it navigates. */
  page = 1;

  /** `auto`, `page-fit`, `page-width`, or a number where 1 is 100 %. */
  zoom: Zoom = 'auto';

  /** Milliseconds the host may take to give a token before `token-failed` (the first) or `renewal-failed`. */
  renewTimeout = 30_000;

  /**
   * Replaces any visible string. It wins over the reader's language (see `lang`); missing keys
   * keep that language's string, or the English default.
   */
  strings: ViewerStringOverrides | null = null;

  /** Hides the toolbar (keyboard shortcuts keep working). */
  noToolbar = false;

  /**
   * Text drawn diagonally into every page, on screen and in print. `{name}` is filled from the
   * token's claims (for example `{sub}`), `{date}` and `{time}` from the reader's clock; the
   * result is drawn literally, never as markup.
   */
  watermark: string | null = null;

  /**
   * Whether the sidebar (outline and page thumbnails) is open; closed by default. The reader
   * toggles it from the toolbar or with F4, which updates this property and fires `sv-sidebar-toggle`.
   */
  sidebarOpen = false;

  /**
   * Endpoint the reader events (`sv-page-view`, `sv-copy`, `sv-print`, `sv-download`, `sv-zoom`,
   * `sv-find`) are also POSTed to, in batches, as JSON `{ events }` with the document's token in
   * `Authorization: Bearer`. Only on the document's origin (the token's): on another origin nothing
   * is sent. Read once each document is open.
   */
  analyticsUrl: string | null = null;

  /**
   * Whether `sv-find` carries the reader's query (and the events sent to `analytics-url` with it);
   * unset, the `share-find-query` attribute decides. Off by default: what a reader searches for may
   * itself be confidential. Read at each search.
   */
  declare shareFindQuery: boolean | undefined;

  /**
   * `pdf` (default): pages are drawn in the browser from the PDF's bytes. `server` (attribute
   * `render="server"`): `src` is the URL of a server-rendered document's manifest (`GET
   * <base>/:id/pages` of `secure-viewer/server`: page count and sizes, outline, offered image
   * scales, what the token allows, URL templates of page images, page text and the stamped
   * download), and pages are shown as the server's watermarked images: the PDF's bytes are never
   * requested and pdf.js is not loaded. Find and text selection work with `copy` (the server's
   * text), download saves the server's stamped copy, print prints the server's images; rotation and
   * the `watermark` property do not apply. Not named `render`: that is the element's template method.
   */
  renderMode: RenderMode = 'pdf';

  readonly #password = new PasswordFlow(this, () => this.#shown);

  readonly #tokens = new TokenController(this, {
    askReader: (request) => this.#password.askAccess(request),
    onRenewed: ({ expiresAt }, reason) => this.#emit('sv-token-renew', expiresAt === undefined ? { reason } : { reason, expiresAt }),
    onFailure: (error) => this.#load.fail(error),
  });

  readonly #source = new DocumentSource(this, this.#tokens, {
    load: () => this.#load,
    pageLabel: (page) => this.#controls.pageLabel(page),
    view: () => ({ page: this.page, zoom: this.zoom }),
    beforePages: () => this.#watermark.beforePages(),
    onProgress: (loaded, total) => this.#load.progress(loaded, total),
    onLoaded: (numPages) => this.#loaded(numPages),
    onPageChange: (page) => this.#controls.pageShown(page),
    onError: (error) => this.#load.fail(error),
    onPassword: (reason) => this.#password.askDocument(reason === 'incorrect'),
    onPageRendered: (_page, canvas) => this.#watermark.decorate(canvas),
    onScaleChange: (scale) => this.#controls.scaleChanged(scale),
  });

  readonly #watermark = new WatermarkController(this, {
    claims: () => this.#tokens.claims,
    pages: () => this.#source.pdfPages,
  });

  readonly #exports = new ExportController(this, {
    document: () => this.#source.document,
    imageDocument: () => this.#source.imageDocument(),
    disposition: () => this.#source.disposition,
    allows: (permission) => this.#tokens.allows(permission),
    decorate: (canvas) => this.#watermark.decorateWhenReady(canvas),
    onError: (error) => {
      if (this.state === 'ready') this.#emit('sv-error', error.toInfo());
    },
  });

  readonly #controls = new ReaderControls(this, {
    pages: () => this.#source.pages,
    search: (onResult) => this.#source.search(onResult),
    active: () => this.state === 'ready',
    viewport: () => this.renderRoot.querySelector('.viewport'),
    cancelPrint: () => this.#exports.cancelPrint(),
    toggleSidebar: (fromKeyboard) => this.#sidebar.toggle(fromKeyboard),
    strings: () => this.#shown,
    onPageShown: (page) => this.#sidebar.showPage(page),
  });

  readonly #sidebar = new SidebarController(this, {
    document: () => (this.#load.status === 'ready' ? this.#source.sidebarDocument(this.numPages, this.page) : null),
    decorate: (canvas) => this.#watermark.decorateWhenReady(canvas),
    strings: () => this.#shown,
  });

  readonly #load = new LoadController(this, {
    args: () => [this.src, this.renderMode] as const,
    task: ([src, mode], signal) => {
      this.#drop();
      return this.#source.open(src, mode === 'server', signal);
    },
    onError: () => {
      this.#password.close();
      this.#drop();
    },
  });

  readonly #language = languageController(this, { overrides: () => this.strings, pages: () => this.#source.pdfPages });

  constructor() {
    super();
    new CopyGuard(this, () => this.#tokens.allows('copy'));
    new TouchInput(this, {
      viewport: () => this.renderRoot.querySelector('.viewport'),
      pages: () => this.#source.pages,
      active: () => this.state === 'ready',
    });
  }

  /** The element's lifecycle: `idle` (no `src`), `loading`, `password`, `ready` or `error`. */
  get state(): ViewerState {
    return this.#password.isOpen ? 'password' : this.#load.status;
  }

  /** Number of pages of the open document; 0 until it is loaded. */
  get numPages(): number {
    return this.#load.numPages;
  }

  /** The last failure, `{ code, message, status? }`, or null. */
  get error(): ViewerErrorInfo | null {
    return this.#load.error;
  }

  /**
   * What the token allows (`read`, `download`, `print`, `copy`), from its `permissions` claim unless
   * the host sets this property. These are UI hints only: the server decides what it serves.
   */
  get permissions(): readonly string[] {
    return this.#tokens.permissions ?? [];
  }

  set permissions(value: readonly string[] | null) {
    this.#tokens.permissions = value;
  }

  /** Scrolls to page `n` (1-based, clamped to the document). */
  goToPage(n: number): void {
    this.#controls.goToPage(n);
  }

  /**
   * Saves the document as a file (needs the `download` permission). The bytes come through the
   * same authorized requests as the pages; no URL ever carries the token.
   */
  download(): Promise<void> {
    return this.#exports.download();
  }

  /**
   * Prints the document's pages, watermarked (needs the `print` permission). Pages are prepared
   * one at a time as compressed images; the print button shows how far it got, and pressing it
   * again or Escape cancels. Resolves when the print dialog has closed or the print was cancelled.
   */
  print(): Promise<void> {
    return this.#exports.print();
  }

  /** Loads the document again from the start; also the way to retry after an error. */
  reload(): void {
    this.#load.rerun();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name === 'token') this.#tokens.adoptAttribute();
    else super.attributeChangedCallback(name, old, value);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#tokens.willUpdate(changed);
    this.#controls.willUpdate(changed);
    this.#watermark.willUpdate(changed);
    this.#sidebar.willUpdate(changed);
  }

  protected override updated(): void {
    if (this.getAttribute('state') !== this.state) this.setAttribute('state', this.state);
  }

  protected override render(): TemplateResult {
    const strings = resolveStrings(this.#shown);
    const ready = this.state === 'ready';
    const allows = (permission: string) => this.#tokens.allows(permission);
    return html`<div class="frame">
      ${this.#controls.renderToolbar({
        strings,
        ready,
        canDownload: ready && allows('download'),
        canPrint: ready && allows('print'),
        busy: this.#exports.busy,
        printing: this.#exports.renderPrintProgress(this.#shown),
        sidebarOpen: this.#sidebar.open,
        progress: this.#load.percent,
      })}
      <div class="stage ${this.#sidebar.open && ready ? 'with-sidebar' : ''}" ?inert=${this.#password.isOpen}>
        ${ready ? this.#sidebar.render(strings) : nothing}
        <div part="viewport" class="viewport ${allows('copy') ? '' : 'no-copy'} ${allows('print') ? '' : 'no-print'}" tabindex="0" role="region" aria-label=${strings.documentLabel}>
          <div class="pdfViewer"></div>
        </div>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.#controls.announcement}</div>
      ${this.#load.render({ strings, overrides: this.#shown, covered: this.#password.isOpen })}
      ${this.#password.render()}
    </div>`;
  }

  /** The strings to show: the reader's language's (once loaded), with the host's over them. */
  get #shown(): ViewerStringOverrides | null {
    return this.#language.strings ?? this.strings;
  }

  /**
   * Lets go of everything shown or held of the document: pdf.js's document and pages, the bytes
   * read, an export under way, find, the sidebar. On every new load (so the previous document's
   * requests stop before there is a token for the next), and when a load fails: an error shows no
   * document.
   */
  #drop(): void {
    this.#source.close();
    this.#exports.abort();
    this.#controls.reset();
    this.#sidebar.reset();
  }

  /** The load's document is open, in either mode. */
  #loaded(numPages: number): void {
    this.#controls.documentLoaded();
    this.#load.ready(numPages);
    this.#sidebar.documentReady();
    this.#emit('sv-load', { numPages });
  }

  #emit<K extends SecureViewerEventName>(name: K, detail: SecureViewerEventDetail<K>): void {
    this.dispatchEvent(createViewerEvent(name, detail));
  }
}
