import { declaredLanguage } from './language-tags.ts';

/** The languages shipped besides English, each a chunk of its own (`src/i18n/languages/`). */
export const SHIPPED_LANGUAGES = ['de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'ja', 'zh', 'ar'] as const;

/** English, or one of the shipped languages. */
export type ReaderLanguage = 'en' | (typeof SHIPPED_LANGUAGES)[number];

/**
 * The languages to show the element's UI in, in order: its `lang`, or that of its nearest
 * ancestor with one (across shadow roots), then the browser's languages.
 */
export function languageTags(element: Element): string[] {
  const declared = declaredLanguage(element);
  return declared === null ? [...navigator.languages] : [declared, ...navigator.languages];
}

/** The first of the tags (BCP 47, in order of preference) that asks for English or a shipped language; English when none does. */
export function pickLanguage(tags: readonly string[]): ReaderLanguage {
  for (const tag of tags) {
    const language = shippedLanguage(tag);
    if (language) return language;
  }
  return 'en';
}

/**
 * The shipped language a tag asks for, by its primary subtag. Chinese is shipped in simplified
 * script only: a tag for traditional script (zh-Hant, or Taiwan, Hong Kong, Macao, unless it
 * names simplified script) asks for none, so the next tag is tried.
 */
export function shippedLanguage(tag: string): ReaderLanguage | null {
  const primary = tag.toLowerCase().split('-')[0]!;
  if (primary === 'zh' && !/-hans\b/i.test(tag) && /-(hant|tw|hk|mo)\b/i.test(tag)) return null;
  return primary === 'en' || (SHIPPED_LANGUAGES as readonly string[]).includes(primary) ? (primary as ReaderLanguage) : null;
}
