import type { ViewerError } from '../errors.ts';
import { findInPage, type TextMatch } from './page-text.ts';
import type { PageTexts } from './page-texts.ts';
import type { ServerPageView } from './server-page-view.ts';

/** Where a search stands, as the find bar shows it (the same shape as in PDF mode). */
export interface ServerFindResult {
  status: 'pending' | 'found' | 'not-found' | 'wrapped';
  current: number;
  total: number;
}

export interface ServerFinderOptions {
  pages: ServerPageView;
  /** The pages' text, shared with the text layers (not allowed: find finds nothing). */
  texts: PageTexts;
  onResult: (result: ServerFindResult) => void;
  /** A failure that ends the document (a revoked session met while reading the text). */
  onError: (error: ViewerError) => void;
}

/** Page texts read at once. */
const TEXTS_AT_ONCE = 2;
const PASSING = new Set(['rate-limited', 'server', 'network']);

/**
 * Find in a server-rendered document: reads the pages' text from the server (once each, in page
 * order, shared with the text layers), highlights every match on its page and scrolls to the
 * current one. The text is held by the document: a new document or a dropped one lets go of it.
 */
export class ServerFinder {
  readonly pages: ServerPageView;
  readonly #options: ServerFinderOptions;
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
      const { texts } = this.#options;
      this.#matches = Array.from({ length: this.pages.pageCount }, (_, index) => texts.known(index + 1) ?? null).flatMap((text) => (text ? findInPage(text, query) : []));
      // The first match at or after the page the reader is on.
      const from = this.#matches.findIndex((match) => match.page >= this.pages.page);
      this.#current = this.#matches.length === 0 ? -1 : Math.max(from, 0);
      this.#show(this.#matches.length === 0 ? 'not-found' : 'found');
    });
  }

  /** Removes the highlights and forgets the search (the texts read stay with the document). */
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
      const { texts } = this.#options;
      if (!texts.allowed) return;
      let next = 1;
      const count = this.pages.pageCount;
      // Past the render budget, asking on would only be refused: this search has what was read.
      let limited = false;
      const worker = async () => {
        while (next <= count && !limited) {
          const page = next++;
          if (texts.known(page) !== undefined) continue;
          try {
            await texts.read(page);
          } catch (error) {
            const failure = error as ViewerError;
            if (!PASSING.has(failure.code)) {
              this.#options.onError(failure);
              throw failure;
            }
            // A passing failure (a busy server, the render budget): read again with the next search.
            if (failure.code === 'rate-limited') limited = true;
          }
        }
      };
      await Promise.all(Array.from({ length: TEXTS_AT_ONCE }, worker));
      for (let page = 1; page <= count; page++) if (texts.known(page) === undefined) this.#reading = null;
    })().catch(() => {});
    return this.#reading;
  }
}
