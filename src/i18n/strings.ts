import type { ErrorCode } from '../errors.ts';
import { DEFAULT_MESSAGES } from '../errors.ts';

/**
 * Every visible string of the element. Set the `strings` property to a partial object to replace
 * any of them (for example for another language); `{seconds}` and `{page}`/`{count}` are filled in.
 */
export interface ViewerStrings {
  documentLabel: string;
  loading: string;
  loadingProgress: string;
  retry: string;
  errors: Record<ErrorCode, string>;
  accessPasswordTitle: string;
  accessPasswordDescription: string;
  sessionExpiredDescription: string;
  documentPasswordTitle: string;
  documentPasswordDescription: string;
  passwordLabel: string;
  passwordSubmit: string;
  passwordCancel: string;
  passwordIncorrect: string;
  passwordRateLimited: string;
  passwordUnavailable: string;
  enterPassword: string;
  passwordReopen: string;
  toolbarLabel: string;
  previousPage: string;
  nextPage: string;
  pageNumber: string;
  pageCount: string;
  pageAnnouncement: string;
  pageLabel: string;
  zoomIn: string;
  zoomOut: string;
  zoomLevel: string;
  fitWidth: string;
  fitPage: string;
  rotate: string;
  moreTools: string;
  find: string;
  findLabel: string;
  findNext: string;
  findPrevious: string;
  findClose: string;
  findResults: string;
  findNoMatches: string;
  findSearching: string;
  download: string;
  print: string;
  printPreparing: string;
  sidebar: string;
  outline: string;
  thumbnails: string;
  preparing: string;
}

/** The `strings` property: any subset of the strings, `errors` merged per code. */
export type ViewerStringOverrides = Partial<Omit<ViewerStrings, 'errors'>> & { errors?: Partial<Record<ErrorCode, string>> };

/** The find bar's own strings, loaded with it. */
export type FindStrings = Pick<ViewerStrings, 'findLabel' | 'findNext' | 'findPrevious' | 'findClose' | 'findResults' | 'findNoMatches' | 'findSearching'>;

/** The password dialog's own strings, loaded with it. */
export type PasswordStrings = Pick<
  ViewerStrings,
  | 'accessPasswordTitle'
  | 'accessPasswordDescription'
  | 'sessionExpiredDescription'
  | 'documentPasswordTitle'
  | 'documentPasswordDescription'
  | 'passwordLabel'
  | 'passwordSubmit'
  | 'passwordCancel'
  | 'passwordIncorrect'
  | 'passwordRateLimited'
  | 'passwordUnavailable'
  | 'enterPassword'
>;

/** The print button's own string while a print is prepared, loaded with the print code. */
export type PrintStrings = Pick<ViewerStrings, 'printPreparing'>;

/** The sidebar's own strings, loaded with it. */
export type SidebarStrings = Pick<ViewerStrings, 'outline' | 'thumbnails'>;

/**
 * What pdf.js writes into the pages in a language other than English (pdf.js's own English is
 * used otherwise): the label of an annotation's icon (`{type}`: the PDF's icon name, such as
 * `Comment`) and of the button that shows a comment.
 */
export interface PdfjsStrings {
  annotationLabel: string;
  commentButton: string;
}

/** A shipped language's strings: every one of the element's and its parts', and pdf.js's. */
export type TranslatedStrings = ViewerStrings & PdfjsStrings;

/** One shipped language: what a module in `languages/` exports. */
export interface Translation {
  /** The BCP 47 tag whose number, plural and date rules `Intl` applies. */
  locale: string;
  dir: 'ltr' | 'rtl';
  strings: TranslatedStrings;
}

/** The strings that load with the element; the parts loaded on use bring their own defaults. */
export type CoreStrings = Omit<ViewerStrings, keyof SidebarStrings | keyof PasswordStrings | keyof FindStrings | keyof PrintStrings>;

export const DEFAULT_STRINGS: CoreStrings = {
  documentLabel: 'Document',
  loading: 'Loading document…',
  loadingProgress: 'Loading progress',
  retry: 'Try again',
  errors: { ...DEFAULT_MESSAGES },
  passwordReopen: 'Enter password',
  toolbarLabel: 'Document tools',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  pageNumber: 'Page number',
  pageCount: 'of {count}',
  pageAnnouncement: 'Page {page} of {count}',
  pageLabel: 'Page {page}',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  zoomLevel: '{percent} %',
  fitWidth: 'Fit width',
  fitPage: 'Fit page',
  rotate: 'Rotate',
  moreTools: 'More tools',
  find: 'Find',
  download: 'Download',
  print: 'Print',
  sidebar: 'Sidebar',
  preparing: 'Preparing…',
};

/** Merges a host's partial strings over the defaults (one level deep for `errors`). */
export function resolveStrings(overrides: ViewerStringOverrides | null): CoreStrings {
  if (!overrides) return DEFAULT_STRINGS;
  return { ...DEFAULT_STRINGS, ...overrides, errors: { ...DEFAULT_STRINGS.errors, ...overrides.errors } };
}

/**
 * The strings of a part loaded on use: the element's, and the part's own defaults (which load with
 * it) where the host gave no replacement; `resolveStrings` carries every replacement given.
 */
export function partStrings<T extends Partial<ViewerStrings>>(defaults: T, overrides: ViewerStringOverrides | null): CoreStrings & T {
  return { ...defaults, ...resolveStrings(overrides) };
}

/** Fills a template's placeholders with values, as text, by a language's number and plural rules. */
export type Formatter = (template: string, values: Record<string, string | number>) => string;

/**
 * Where strings in a language other than English carry its formatter: a symbol, so it travels
 * through every merge of strings objects and never collides with a string's name.
 */
export const FORMATTER = Symbol();

/** Strings in a language, which may carry its formatter. */
export type LocalizedStrings = ViewerStringOverrides & { [FORMATTER]?: Formatter };

/**
 * Fills `{name}` placeholders with values, as text. Given the strings the template came from, and
 * they are in a language other than English, by that language's formatter (numbers and plural
 * forms through `Intl`).
 */
export function format(template: string, values: Record<string, string | number>, strings?: object): string {
  const formatter = (strings as { [FORMATTER]?: Formatter } | undefined)?.[FORMATTER];
  if (formatter) return formatter(template, values);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}
