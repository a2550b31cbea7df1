import type { PageViewer } from '../pdf/page-viewer.ts';
import { format, type LocalizedStrings, type PdfjsStrings, type ViewerStrings } from './strings.ts';

type Args = Record<string, string | number>;

/** pdf.js's own English for what it writes into the pages, for a viewer switched back to English. */
export const PDFJS_STRINGS: PdfjsStrings = {
  annotationLabel: '[{type} Annotation]',
  commentButton: 'Show comment',
};

/** What pdf.js's viewer writes into the pages that a reader meets, and the strings that say it. */
export type PdfjsMessageStrings = PdfjsStrings & Pick<ViewerStrings, 'pageLabel'> & LocalizedStrings;

/**
 * pdf.js's localization service for one element, in the element's language: pdf.js marks the
 * elements it creates with `data-l10n-id` (and `data-l10n-args`), and the service fills them in.
 * pdfjs-dist ships only English (built into its viewer), so the messages that reach a reader of
 * this viewer (page landmarks, annotation icons, comment buttons and dates; editing is off) are
 * ours, in every shipped language. Find results, password prompts and errors are the element's
 * own UI, localized with it.
 */
export class PdfjsL10n {
  #locale = 'en';
  #dir: 'ltr' | 'rtl' = 'ltr';
  #strings: PdfjsMessageStrings | null = null;
  readonly #roots = new Set<HTMLElement>();
  readonly #observer = new MutationObserver((records) => this.#translateRecords(records));

  /** Takes over the pages' messages from pdf.js's built-in English service, once per viewer. */
  localize(pages: PageViewer): void {
    const viewer = pages.viewer as unknown as { l10n?: { destroy(): Promise<void> } | PdfjsL10n; container: HTMLElement };
    if (viewer.l10n === this) return;
    void viewer.l10n?.destroy();
    viewer.l10n = this;
    void this.translate(viewer.container);
  }

  /** The language changed (or the host's strings did): everything already written is written again. */
  update(locale: string, dir: 'ltr' | 'rtl', strings: PdfjsMessageStrings): void {
    const before = this.#strings;
    const changed =
      locale !== this.#locale || !before || (['pageLabel', 'annotationLabel', 'commentButton'] as const).some((key) => strings[key] !== before[key]);
    this.#locale = locale;
    this.#dir = dir;
    this.#strings = strings;
    if (changed) for (const root of this.#roots) this.#translateTree(root);
  }

  // pdf.js's L10n interface.

  getLanguage(): string {
    return this.#locale;
  }

  getDirection(): 'ltr' | 'rtl' {
    return this.#dir;
  }

  async get(ids: string | string[], args: Args | null = null): Promise<string | string[] | undefined> {
    return Array.isArray(ids) ? ids.map((id) => this.#message(id, null) ?? '') : this.#message(ids, args) ?? undefined;
  }

  async translate(element: HTMLElement): Promise<void> {
    this.#roots.add(element);
    this.#observe(element);
    this.#translateTree(element);
  }

  async translateOnce(element: HTMLElement): Promise<void> {
    this.#translateTree(element);
  }

  async destroy(): Promise<void> {
    this.#observer.disconnect();
    this.#roots.clear();
  }

  /** pdf.js pauses around large insertions of its own (text layers): nothing waiting is lost. */
  pause(): void {
    this.#translateRecords(this.#observer.takeRecords());
    this.#observer.disconnect();
  }

  resume(): void {
    for (const root of this.#roots) this.#observe(root);
  }

  #observe(root: HTMLElement): void {
    this.#observer.observe(root, { childList: true, subtree: true, attributeFilter: ['data-l10n-id', 'data-l10n-args'] });
  }

  #translateRecords(records: MutationRecord[]): void {
    for (const record of records) {
      if (record.type === 'attributes') this.#translateElement(record.target as Element);
      else for (const node of record.addedNodes) if (node instanceof Element) this.#translateTree(node);
    }
  }

  #translateTree(root: Element): void {
    if (root.hasAttribute('data-l10n-id')) this.#translateElement(root);
    for (const element of root.querySelectorAll('[data-l10n-id]')) this.#translateElement(element);
  }

  #translateElement(element: Element): void {
    const id = element.getAttribute('data-l10n-id');
    if (!id) return;
    let args: Args | null = null;
    try {
      args = JSON.parse(element.getAttribute('data-l10n-args') ?? 'null') as Args | null;
    } catch {
      // Unreadable arguments: the message without them.
    }
    const message = this.#message(id, args);
    if (message === null) return;
    const attribute = MESSAGE_ATTRIBUTES[id];
    if (attribute) element.setAttribute(attribute, message);
    else element.textContent = message;
  }

  /** The message for one of pdf.js's ids, or null for one a reader of this viewer never meets. */
  #message(id: string, args: Args | null): string | null {
    const strings = this.#strings;
    if (!strings) return null;
    switch (id) {
      case 'pdfjs-page-landmark':
        return format(strings.pageLabel, { page: args?.['page'] ?? '' }, strings);
      case 'pdfjs-text-annotation-type':
        return format(strings.annotationLabel, { type: args?.['type'] ?? '' }, strings);
      case 'pdfjs-show-comment-button':
        return strings.commentButton;
      case 'pdfjs-annotation-date-time-string': {
        const date = new Date(Number(args?.['dateObj']));
        return Number.isNaN(date.valueOf()) ? '' : new Intl.DateTimeFormat(this.#locale, { dateStyle: 'short', timeStyle: 'medium' }).format(date);
      }
      default:
        return null;
    }
  }
}

/** Where each message goes (pdf.js's English says the same with `.aria-label`, `.alt`, `.title`); the others are text. */
const MESSAGE_ATTRIBUTES: Record<string, string> = {
  'pdfjs-page-landmark': 'aria-label',
  'pdfjs-text-annotation-type': 'alt',
  'pdfjs-show-comment-button': 'title',
};
