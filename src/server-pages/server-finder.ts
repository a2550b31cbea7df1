import type { ViewerError } from '../errors.ts';
import { fillTemplate } from './manifest.ts';
import { findInPage, type PageText, type TextMatch } from './page-text.ts';
import type { ServerPagesClient } from './server-client.ts';
import type { ServerPageView } from './server-page-view.ts';

/** Where a search stands, as the find bar shows it (the same shape as in PDF mode). */
export interface ServerFindResult {
  status: 'pending' | 'found' | 'not-found' | 'wrapped';
  current: number;
  total: number;
}

export interface ServerFinderOptions {
  pages: ServerPageView;
  client: ServerPagesClient;
  /** The manifest's text template (null: the token does not allow the text, and find finds nothing). */
  textTemplate: string | null;
  manifestUrl: string;
  onResult: (result: ServerFindResult) => void;
  /** A failure that ends the document (a revoked session met while reading the text). */
  onError: (error: ViewerError) => void;
}

/** Page texts read at once. */
const TEXTS_AT_ONCE = 2;
const PASSING = new Set(['rate-limited', 'server', 'network']);

/**
 * Find in a server-rendered document: reads the pages' text from the server (once each, in page
 * order), highlights every match on its page and scrolls to the current one. The text is held only
 * as long as this finder: a new document or a dropped one lets go of it with the finder.
 */
export class ServerFinder {
  readonly pages: ServerPageView;
  readonly #options: ServerFinderOptions;
  readonly #texts = new Map<number, PageText | null>();
  #reading: Promise<void> | null = null;
  #query = '';
  #matches: TextMatch[] = [];
  #current = -1;
  #marks: HTMLElement[] = [];
  #closed = false;

  constructor(options: ServerFinderOptions) {
    this.pages = options.pages;
    this.#options = options;
  }

  find(query: string, options: { again?: boolean; previous?: boolean } = {}): void {
    this.#closed = false;
    const again = options.again === true && query === this.#query && this.#matches.length > 0;
    this.pages.events.dispatch('find', { type: options.again === true && query === this.#query ? 'again' : '', query });
    if (again) {
      const count = this.#matches.length;
      const next = this.#current + (options.previous ? -1 : 1);
      const wrapped = next < 0 || next >= count;
      this.#current = (next + count) % count;
      this.#show(wrapped ? 'wrapped' : 'found');
      return;
    }
    this.#query = query;
    this.#matches = [];
    this.#current = -1;
    this.#clearMarks();
    this.#options.onResult({ status: 'pending', current: 0, total: 0 });
    void this.#readAll().then(() => {
      if (this.#closed || query !== this.#query) return;
      this.#matches = [...this.#texts.values()].flatMap((text) => (text ? findInPage(text, query) : []));
      // The first match at or after the page the reader is on.
      const from = this.#matches.findIndex((match) => match.page >= this.pages.page);
      this.#current = this.#matches.length === 0 ? -1 : Math.max(from, 0);
      this.#show(this.#matches.length === 0 ? 'not-found' : 'found');
    });
  }

  /** Removes the highlights and forgets the search (the texts read stay with this finder). */
  close(): void {
    this.#closed = true;
    this.#query = '';
    this.#matches = [];
    this.#current = -1;
    this.#clearMarks();
  }

  #show(status: ServerFindResult['status']): void {
    this.#clearMarks();
    this.#matches.forEach((match, index) => {
      const box = this.pages.pageBox(match.page);
      if (!box) return;
      for (const rect of match.boxes) {
        const mark = document.createElement('div');
        mark.className = index === this.#current ? 'sv-match selected' : 'sv-match';
        mark.style.cssText = `left:${rect.left * 100}%;top:${rect.top * 100}%;width:${rect.width * 100}%;height:${rect.height * 100}%`;
        box.append(mark);
        this.#marks.push(mark);
      }
    });
    const current = this.#matches[this.#current];
    if (current) this.pages.reveal(current.page, current.boxes[0]!.top);
    this.#options.onResult({ status, current: current ? this.#current + 1 : 0, total: this.#matches.length });
  }

  #clearMarks(): void {
    for (const mark of this.#marks) mark.remove();
    this.#marks = [];
  }

  /** Reads every page's text not read yet, a few at a time; a page that cannot be had counts as empty. */
  #readAll(): Promise<void> {
    this.#reading ??= (async () => {
      const { textTemplate, manifestUrl, client } = this.#options;
      if (textTemplate === null) return;
      let next = 1;
      const count = this.pages.pageCount;
      // Past the render budget, asking on would only be refused: this search has what was read.
      let limited = false;
      const worker = async () => {
        while (next <= count && !limited) {
          const page = next++;
          if (this.#texts.has(page)) continue;
          const url = fillTemplate(textTemplate, manifestUrl, { page });
          if (url === null) {
            this.#texts.set(page, null);
            continue;
          }
          try {
            this.#texts.set(page, await client.text(url));
          } catch (error) {
            const failure = error as ViewerError;
            if (!PASSING.has(failure.code) && failure.code !== 'invalid-document') {
              this.#options.onError(failure);
              throw failure;
            }
            // A passing failure (a busy server, the render budget): read again with the next search.
            if (failure.code === 'invalid-document') this.#texts.set(page, null);
            if (failure.code === 'rate-limited') limited = true;
          }
        }
      };
      await Promise.all(Array.from({ length: TEXTS_AT_ONCE }, worker));
      if (this.#texts.size < count) this.#reading = null;
    })().catch(() => {});
    return this.#reading;
  }
}
