import type { ReaderLanguage } from './shipped-languages.ts';
import type { Translation } from './strings.ts';

/** Each language is a chunk of its own: a reader loads only theirs. */
const LANGUAGES: Record<Exclude<ReaderLanguage, 'en'>, () => Promise<{ default: Translation }>> = {
  de: () => import('./languages/de.ts'),
  fr: () => import('./languages/fr.ts'),
  es: () => import('./languages/es.ts'),
  it: () => import('./languages/it.ts'),
  pt: () => import('./languages/pt.ts'),
  nl: () => import('./languages/nl.ts'),
  pl: () => import('./languages/pl.ts'),
  ja: () => import('./languages/ja.ts'),
  zh: () => import('./languages/zh.ts'),
  ar: () => import('./languages/ar.ts'),
};

export async function loadTranslation(language: Exclude<ReaderLanguage, 'en'>): Promise<Translation> {
  return (await LANGUAGES[language]()).default;
}
