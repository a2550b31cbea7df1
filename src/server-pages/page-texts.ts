import { ViewerError } from '../errors.ts';
import { fillTemplate } from './manifest.ts';
import type { PageText } from './page-text.ts';
import type { ServerPagesClient } from './server-client.ts';

/**
 * The pages' text of a server-rendered document, each page read from the server once and shared
 * by find and the text layers. Held as long as the document: closing it lets go of all of it.
 */
export class PageTexts {
  readonly #client: ServerPagesClient;
  readonly #template: string | null;
  readonly #manifestUrl: string;
  readonly #texts = new Map<number, PageText | null>();
  readonly #reading = new Map<number, Promise<PageText | null>>();
  #cleared = false;

  constructor(client: ServerPagesClient, template: string | null, manifestUrl: string) {
    this.#client = client;
    this.#template = template;
    this.#manifestUrl = manifestUrl;
  }

  /** The token allows the text (the manifest has its template). */
  get allowed(): boolean {
    return this.#template !== null;
  }

  /** Page `page`'s text if read already: null when it has none to offer, undefined when not read yet. */
  known(page: number): PageText | null | undefined {
    return this.#texts.get(page);
  }

  /**
   * Page `page`'s text, asked for at most once at a time; null when there is none to be had (not
   * allowed, or an answer not in the expected form). Rejects with the request's `ViewerError`
   * for any other failure, which is not remembered: the next call asks again.
   */
  read(page: number): Promise<PageText | null> {
    if (this.#texts.has(page)) return Promise.resolve(this.#texts.get(page)!);
    let pending = this.#reading.get(page);
    if (!pending) {
      pending = this.#fetch(page).finally(() => this.#reading.delete(page));
      this.#reading.set(page, pending);
    }
    return pending;
  }

  /** Forgets every text; answers still on their way are not kept. */
  clear(): void {
    this.#cleared = true;
    this.#texts.clear();
    this.#reading.clear();
  }

  async #fetch(page: number): Promise<PageText | null> {
    const url = this.#template === null ? null : fillTemplate(this.#template, this.#manifestUrl, { page });
    let text: PageText | null = null;
    if (url !== null) {
      try {
        text = await this.#client.text(url);
      } catch (error) {
        if (!(error instanceof ViewerError) || error.code !== 'invalid-document') throw error;
      }
    }
    if (!this.#cleared) this.#texts.set(page, text);
    return text;
  }
}
