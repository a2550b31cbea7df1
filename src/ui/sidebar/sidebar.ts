import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { OutlineEntry } from '../../pdf/outline.ts';
import type { ViewerStrings } from '../../i18n/strings.ts';

export type SidebarTab = 'outline' | 'thumbnails';

/** One row of the outline tree as shown: the entry, its depth and its place among its siblings. */
export interface OutlineRow {
  entry: OutlineEntry;
  level: number;
  position: number;
  siblings: number;
  expanded: boolean | null;
}

/** What the sidebar shows. */
export interface SidebarModel {
  strings: Pick<ViewerStrings, 'sidebar' | 'outline' | 'thumbnails'>;
  open: boolean;
  tab: SidebarTab;
  /** null while the outline is being read; empty when the document has none (the tab is hidden). */
  outline: OutlineRow[] | null;
  /** The tree item that takes focus (roving tabindex). */
  focusedEntry: string | null;
}

/** What its controls do. */
export interface SidebarActions {
  selectTab(tab: SidebarTab): void;
  outlineClick(entry: OutlineEntry): void;
  outlineKeydown(event: KeyboardEvent): void;
  tabKeydown(event: KeyboardEvent): void;
}

/**
 * The sidebar (part `sidebar`): an outline tab (an ARIA tree of the document's bookmarks, hidden
 * when it has none) and a thumbnails tab, whose thumbnails the sidebar controller adds itself.
 */
export function renderSidebar(model: SidebarModel, actions: SidebarActions): TemplateResult {
  const { strings, tab } = model;
  const hasOutline = model.outline !== null && model.outline.length > 0;
  const tabButton = (name: SidebarTab, label: string) => html`<button type="button" role="tab" part="${name}-tab" id="sv-tab-${name}"
      aria-selected=${tab === name ? 'true' : 'false'} aria-controls="sv-panel-${name}" tabindex=${tab === name ? 0 : -1}
      @click=${() => actions.selectTab(name)}>${label}</button>`;
  return html`<nav part="sidebar" class="sidebar" id="sv-sidebar" aria-label=${strings.sidebar} ?hidden=${!model.open}>
    <div class="sidebar-tabs" role="tablist" aria-label=${strings.sidebar} @keydown=${actions.tabKeydown}>
      ${hasOutline ? tabButton('outline', strings.outline) : nothing}
      ${tabButton('thumbnails', strings.thumbnails)}
    </div>
    <div class="sidebar-panel" id="sv-panel-outline" role="tabpanel" aria-labelledby="sv-tab-outline" ?hidden=${tab !== 'outline' || !hasOutline}>
      ${hasOutline
        ? html`<div part="outline" class="outline" role="tree" aria-label=${strings.outline} @keydown=${actions.outlineKeydown}>
            ${model.outline!.map((row) => renderRow(row, model.focusedEntry, actions))}
          </div>`
        : nothing}
    </div>
    <div class="sidebar-panel thumbnails" part="thumbnails" id="sv-panel-thumbnails" role="tabpanel" aria-labelledby="sv-tab-thumbnails"
      ?hidden=${tab !== 'thumbnails'}></div>
  </nav>`;
}

function renderRow(row: OutlineRow, focused: string | null, actions: SidebarActions): TemplateResult {
  const { entry } = row;
  return html`<div part="outline-item" class="outline-item" role="treeitem" data-entry=${entry.id}
    aria-level=${row.level} aria-setsize=${row.siblings} aria-posinset=${row.position}
    aria-expanded=${row.expanded === null ? nothing : row.expanded ? 'true' : 'false'}
    tabindex=${entry.id === focused ? 0 : -1} style=${styleMap({ '--level': String(row.level) })}
    @click=${() => actions.outlineClick(entry)}>${entry.title}</div>`;
}
