import type { ReactiveController } from 'lit';
import { adoptSheet } from '../internal/adopt-sheet.ts';
import { messageFormatter } from './message-format.ts';
import { PDFJS_STRINGS, PdfjsL10n } from './pdfjs-l10n.ts';
import { LANG_CHANGES, type ElementLanguage, type LocalizationHost, type LocalizationOptions } from './element-language.ts';
import { languageTags, pickLanguage } from './shipped-languages.ts';
import { rtlStyles } from './rtl.styles.ts';
import { FORMATTER, resolveStrings, type Formatter, type LocalizedStrings, type TranslatedStrings, type Translation } from './strings.ts';
import { loadTranslation } from './translation.ts';

/**
 * The element's UI in a shipped language: its strings (with the host's over them), its number and
 * plural rules, its direction, and pdf.js's messages in its pages. Loaded the first time a
 * language other than English is asked for, it follows `lang` and the browser's languages from
 * then on; back in English, it keeps pdf.js's messages in step.
 */
export class Localization implements ReactiveController {
  readonly #host: LocalizationHost;
  readonly #options: LocalizationOptions;
  readonly #language: ElementLanguage;
  readonly #observer = new MutationObserver(() => void this.#follow());
  readonly #onLanguageChange = () => void this.#follow();
  /** The languages asked for, as last seen: a load for earlier ones is dropped when it arrives. */
  #tags = '';
  /** Null for English. */
  #translation: (Translation & { format: Formatter }) | null = null;
  readonly #pdfjs = new PdfjsL10n();

  constructor(host: LocalizationHost, options: LocalizationOptions, language: ElementLanguage) {
    this.#host = host;
    this.#options = options;
    this.#language = language;
    adoptSheet(this.#host.renderRoot, rtlStyles.styleSheet);
    // Calls hostConnected at once when the element is connected.
    this.#host.addController(this);
  }

  hostConnected(): void {
    this.#observer.observe(document, LANG_CHANGES);
    this.#observer.observe(this.#host, LANG_CHANGES);
    addEventListener('languagechange', this.#onLanguageChange);
    void this.#follow();
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
    removeEventListener('languagechange', this.#onLanguageChange);
  }

  /** Before each render: the strings to show, from the language and the host's strings of now. */
  hostUpdate(): void {
    const translation = this.#translation;
    this.#language.strings = translation && this.#strings(translation);
  }

  /** After each render: the UI's direction, and pdf.js's messages in the open document's pages in the same language. */
  hostUpdated(): void {
    const translation = this.#translation;
    const options = this.#options;
    // English follows the page's direction, as the element does without a language loaded.
    const frame = this.#host.renderRoot.querySelector('.frame');
    if (translation) frame?.setAttribute('dir', translation.dir);
    else frame?.removeAttribute('dir');
    const strings = translation ? this.#strings(translation) : { ...PDFJS_STRINGS, ...resolveStrings(options.overrides()) };
    this.#pdfjs.update(translation?.locale ?? 'en', translation?.dir ?? 'ltr', strings);
    const pages = options.pages();
    if (pages) this.#pdfjs.localize(pages);
  }

  /** Shows the first shipped language asked for once its strings are here, unless others were asked for meanwhile. */
  async #follow(): Promise<void> {
    const tags = languageTags(this.#host);
    const key = tags.join();
    if (key === this.#tags) return;
    this.#tags = key;
    const language = pickLanguage(tags);
    let translation: Translation | null = null;
    try {
      if (language !== 'en') translation = await loadTranslation(language);
    } catch {
      // Without its chunk the UI stays in the language it is in; the next change tries again.
      this.#tags = '';
      return;
    }
    if (key !== this.#tags) return;
    this.#translation = translation && { ...translation, format: messageFormatter(translation.locale) };
    this.#host.requestUpdate();
  }

  /** The language's strings with the host's over them (`errors` merged per code). */
  #strings(translation: Translation & { format: Formatter }): LocalizedStrings & TranslatedStrings {
    const overrides = this.#options.overrides();
    const strings = translation.strings;
    return { ...strings, ...overrides, errors: { ...strings.errors, ...overrides?.errors }, [FORMATTER]: translation.format };
  }
}
