import type { ReactiveControllerHost } from 'lit';
import type { PageViewer } from '../pdf/page-viewer.ts';
import type { LocalizedStrings, ViewerStringOverrides } from './strings.ts';

/** `lang` anywhere in the page, and on the element (which may stand in a shadow root). */
export const LANG_CHANGES: MutationObserverInit = { attributeFilter: ['lang'], subtree: true };

export interface LocalizationHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface LocalizationOptions {
  /** The host's replacements for visible strings: they win over the language's. */
  overrides(): ViewerStringOverrides | null;
  /** The open document's pages, whose pdf.js messages follow the language. */
  pages(): PageViewer | null;
}

/** The element's side of its language, which the localization chunk fills in. */
export interface ElementLanguage {
  /** While a language other than English is shown: its strings, with the host's over them. */
  strings: LocalizedStrings | null;
}
