import { html, nothing, type TemplateResult } from 'lit';
import { icons } from './icons.ts';
import { format, type CoreStrings } from '../i18n/strings.ts';

/** What the toolbar shows. */
export interface ToolbarModel {
  strings: CoreStrings;
  ready: boolean;
  page: number;
  numPages: number;
  /** Current scale, 1 = 100 %. */
  scale: number;
  canDownload: boolean;
  canPrint: boolean;
  /** A download or print is being prepared. */
  busy: boolean;
  /** The print button while a print is being prepared (from the print code, once it is there). */
  printing: TemplateResult | null;
  moreOpen: boolean;
  findOpen: boolean;
  sidebarOpen: boolean;
  /** The find bar under the toolbar, while find is open (and its code is there). */
  findBar: TemplateResult | typeof nothing;
}

/** What the toolbar's controls do. */
export interface ToolbarActions {
  goToPage(page: number): void;
  zoomIn(): void;
  zoomOut(): void;
  fit(mode: 'page-width' | 'page-fit'): void;
  rotate(): void;
  toggleMore(): void;
  toggleSidebar(): void;
  toggleFind(): void;
  find(query: string, options: { again?: boolean; previous?: boolean }): void;
  closeFind(): void;
  download(): void;
  print(): void;
}

/**
 * The toolbar (part `toolbar`): the sidebar toggle, page navigation, zoom, fit, rotate, find, and the download and
 * print buttons when the token allows them. Secondary tools fold into a menu on narrow widths.
 */
export function renderToolbar(model: ToolbarModel, actions: ToolbarActions): TemplateResult {
  const { strings, ready, page, numPages } = model;
  const disabled = !ready;
  const onPageInput = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const value = Number.parseInt(input.value, 10);
    if (Number.isFinite(value)) actions.goToPage(value);
    else input.value = String(page);
  };
  return html`
    <div part="toolbar" class="toolbar" role="toolbar" aria-label=${strings.toolbarLabel}>
      <div class="group">
        <button type="button" class="icon" part="sidebar-toggle-button" aria-label=${strings.sidebar} title=${strings.sidebar}
          aria-expanded=${model.sidebarOpen ? 'true' : 'false'} aria-controls="sv-sidebar" ?disabled=${disabled}
          @click=${actions.toggleSidebar}>${icons.sidebar}</button>
      </div>
      <div class="group">
        <button type="button" class="icon" part="previous-button" aria-label=${strings.previousPage} title=${strings.previousPage}
          ?disabled=${disabled || page <= 1} @click=${() => actions.goToPage(page - 1)}>${icons.previous}</button>
        <label class="page-number">
          <span class="visually-hidden">${strings.pageNumber}</span>
          <input part="page-input" type="text" inputmode="numeric" enterkeyhint="go" autocomplete="off" size="4"
            .value=${String(page)} ?disabled=${disabled} @change=${onPageInput}
            @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && onPageInput(event)} />
        </label>
        <span class="page-count">${format(strings.pageCount, { count: numPages || '–' }, strings)}</span>
        <button type="button" class="icon" part="next-button" aria-label=${strings.nextPage} title=${strings.nextPage}
          ?disabled=${disabled || page >= numPages} @click=${() => actions.goToPage(page + 1)}>${icons.next}</button>
      </div>
      <div class="group">
        <button type="button" class="icon" part="zoom-out-button" aria-label=${strings.zoomOut} title=${strings.zoomOut}
          ?disabled=${disabled} @click=${actions.zoomOut}>${icons.zoomOut}</button>
        <output class="zoom-level" aria-live="off">${format(strings.zoomLevel, { percent: Math.round(model.scale * 100) }, strings)}</output>
        <button type="button" class="icon" part="zoom-in-button" aria-label=${strings.zoomIn} title=${strings.zoomIn}
          ?disabled=${disabled} @click=${actions.zoomIn}>${icons.zoomIn}</button>
      </div>
      <div class="group secondary ${model.moreOpen ? 'open' : ''}" id="sv-more-tools">
        <button type="button" class="icon" part="fit-width-button" aria-label=${strings.fitWidth} title=${strings.fitWidth}
          ?disabled=${disabled} @click=${() => actions.fit('page-width')}>${icons.fitWidth}</button>
        <button type="button" class="icon" part="fit-page-button" aria-label=${strings.fitPage} title=${strings.fitPage}
          ?disabled=${disabled} @click=${() => actions.fit('page-fit')}>${icons.fitPage}</button>
        <button type="button" class="icon" part="rotate-button" aria-label=${strings.rotate} title=${strings.rotate}
          ?disabled=${disabled} @click=${actions.rotate}>${icons.rotate}</button>
      </div>
      <span class="spacer"></span>
      <div class="group">
        <button type="button" class="icon" part="find-button" aria-label=${strings.find} title=${strings.find}
          aria-expanded=${model.findOpen ? 'true' : 'false'} ?disabled=${disabled} @click=${actions.toggleFind}>${icons.find}</button>
        ${model.canDownload
          ? html`<button type="button" class="icon" part="download-button" aria-label=${strings.download} title=${strings.download}
              ?disabled=${disabled || model.busy} @click=${actions.download}>${icons.download}</button>`
          : nothing}
        ${model.canPrint ? renderPrintButton(model, actions) : nothing}
        <button type="button" class="icon more-button" part="more-button" aria-label=${strings.moreTools} title=${strings.moreTools}
          aria-expanded=${model.moreOpen ? 'true' : 'false'} aria-controls="sv-more-tools" @click=${actions.toggleMore}>${icons.more}</button>
      </div>
    </div>
    ${model.findBar}
  `;
}

/** The print button; while a print is being prepared, the print code's, which shows how far it got and cancels. */
function renderPrintButton(model: ToolbarModel, actions: ToolbarActions): TemplateResult {
  const { strings } = model;
  return (
    model.printing ??
    html`<button type="button" class="icon" part="print-button" aria-label=${strings.print} title=${strings.print}
      ?disabled=${!model.ready || model.busy} @click=${actions.print}>${icons.print}</button>`
  );
}
