import { html, svg, type TemplateResult } from 'lit';
import type { EventBus } from 'pdfjs-dist/legacy/web/pdf_viewer.mjs';
import type { PageViewer } from '../../pdf/page-viewer.ts';
import { icon, icons } from '../icons.ts';
import { format, partStrings, type FindStrings, type ViewerStringOverrides } from '../../i18n/strings.ts';
import type { ToolbarActions } from '../toolbar.ts';

export { findBarStyles } from './find-bar.styles.ts';

export const FIND_STRINGS: FindStrings = {
  findLabel: 'Find in document',
  findNext: 'Next match',
  findPrevious: 'Previous match',
  findClose: 'Close find',
  findResults: '{current} of {total}',
  findNoMatches: 'No matches',
  findSearching: 'Searching… {percent} %',
};

/** Where a search stands: `pending` while pages are still being read. */
export interface FindResult {
  status: 'pending' | 'found' | 'not-found' | 'wrapped';
  current: number;
  total: number;
}

export interface FindOptions {
  /** Continue to the next (or previous) match of the same query. */
  again?: boolean;
  previous?: boolean;
}

const FIND_STATUS: Record<number, FindResult['status']> = { 0: 'found', 1: 'not-found', 2: 'wrapped', 3: 'pending' };

/**
 * Find in one document's pages, through pdf.js's find controller on the page viewer's event bus:
 * searches, highlights every match and scrolls to the current one, and says where each search
 * stands.
 */
export class Finder {
  readonly pages: PageViewer;
  readonly #events: EventBus;
  #query = '';

  constructor(pages: PageViewer, onResult: (result: FindResult) => void) {
    this.pages = pages;
    this.#events = pages.events;
    this.#events.on('updatefindcontrolstate', (event: { state?: number; matchesCount: { current: number; total: number } }) =>
      onResult({
        status: event.state === undefined ? 'found' : (FIND_STATUS[event.state] ?? 'not-found'),
        current: event.matchesCount.current,
        total: event.matchesCount.total,
      }),
    );
    this.#events.on('updatefindmatchescount', (event: { matchesCount: { current: number; total: number } }) =>
      onResult({ status: event.matchesCount.total > 0 ? 'found' : 'pending', ...event.matchesCount }),
    );
  }

  find(query: string, options: FindOptions = {}): void {
    const again = options.again === true && query === this.#query;
    this.#query = query;
    this.#events.dispatch('find', {
      source: this,
      type: again ? 'again' : '',
      query,
      caseSensitive: false,
      entireWord: false,
      highlightAll: true,
      findPrevious: options.previous === true,
      matchDiacritics: false,
    });
  }

  /** Removes find highlights. */
  close(): void {
    this.#query = '';
    this.#events.dispatch('findbarclose', { source: this });
  }
}

const up = icon(svg`<path d="M18 15l-6-6-6 6"/>`);
const down = icon(svg`<path d="M6 9l6 6 6-6"/>`);

/** What the find bar shows. */
export interface FindBarModel {
  /** The host's replacements for visible strings. */
  strings: ViewerStringOverrides | null;
  result: FindResult | null;
  /** Share of the document loaded while a search reads every page (0–100). */
  progress: number | null;
}

function findStatus(strings: FindStrings, { result, progress }: FindBarModel): string {
  if (!result) return '';
  if (result.total > 0) return format(strings.findResults, { current: result.current, total: result.total }, strings);
  if (result.status === 'pending') return format(strings.findSearching, { percent: progress ?? 0 }, strings);
  if (result.status === 'not-found') return strings.findNoMatches;
  return '';
}

/**
 * The find bar (part `find-bar`) under the toolbar: a chunk of its own, loaded the first time
 * find opens.
 */
export function renderFindBar(model: FindBarModel, actions: Pick<ToolbarActions, 'find' | 'closeFind'>): TemplateResult {
  const strings = partStrings(FIND_STRINGS, model.strings);
  const onKey = (event: KeyboardEvent) => {
    const input = event.target as HTMLInputElement;
    if (event.key === 'Enter') {
      event.preventDefault();
      actions.find(input.value, { again: true, previous: event.shiftKey });
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      actions.closeFind();
    }
  };
  return html`<div part="find-bar" class="find-bar" role="search">
    <label>
      <span class="visually-hidden">${strings.findLabel}</span>
      <input part="find-input" type="search" placeholder=${strings.findLabel} autocomplete="off" enterkeyhint="search"
        @input=${(event: Event) => actions.find((event.target as HTMLInputElement).value, {})} @keydown=${onKey} />
    </label>
    <span class="find-status" role="status">${findStatus(strings, model)}</span>
    <button type="button" class="icon" part="find-previous-button" aria-label=${strings.findPrevious} title=${strings.findPrevious}
      @click=${(event: Event) => actions.find(findQuery(event), { again: true, previous: true })}>${up}</button>
    <button type="button" class="icon" part="find-next-button" aria-label=${strings.findNext} title=${strings.findNext}
      @click=${(event: Event) => actions.find(findQuery(event), { again: true })}>${down}</button>
    <button type="button" class="icon" part="find-close-button" aria-label=${strings.findClose} title=${strings.findClose}
      @click=${actions.closeFind}>${icons.close}</button>
  </div>`;
}

function findQuery(event: Event): string {
  const bar = (event.currentTarget as HTMLElement).closest('.find-bar');
  return bar?.querySelector('input')?.value ?? '';
}
