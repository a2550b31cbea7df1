import { LANG_CHANGES, type ElementLanguage, type LocalizationHost, type LocalizationOptions } from './element-language.ts';
import { asksForEnglish } from './language-tags.ts';

/**
 * The language of the element's own UI, as a reactive controller. English is built in: while the
 * language asked for (`lang` on the element or its nearest ancestor with one, else the browser's)
 * is English, only `lang` and the browser's languages are watched, and nothing loads. The first time another language is asked
 * for, the localization chunk takes over: it picks the language shipped, brings what it needs
 * (its strings, number and plural rules, right-to-left layout, pdf.js's messages in the pages)
 * and follows every change from then on.
 */
export function languageController(host: LocalizationHost, options: LocalizationOptions): ElementLanguage {
  const language: ElementLanguage = { strings: null };
  let observer: MutationObserver | null = new MutationObserver(follow);
  function follow(): void {
    if (!observer) return;
    if (asksForEnglish(host)) {
      observer.observe(document, LANG_CHANGES);
      observer.observe(host, LANG_CHANGES);
      addEventListener('languagechange', follow);
      return;
    }
    stop();
    observer = null;
    // Without its chunk the UI stays in English.
    import('./localization.ts').then(({ Localization }) => new Localization(host, options, language), () => {});
  }
  function stop(): void {
    observer?.disconnect();
    removeEventListener('languagechange', follow);
  }
  host.addController({ hostConnected: follow, hostDisconnected: stop });
  return language;
}
