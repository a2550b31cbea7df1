import type { CSSResult } from 'lit';

/**
 * Adds the styles of a part loaded on use to the element's shadow root, after the element's own.
 * A constructed sheet, as Lit adopts the element's: a strict CSP needs no 'unsafe-inline'.
 */
export function adoptStyles(root: HTMLElement | DocumentFragment, styles: CSSResult): void {
  const sheet = styles.styleSheet;
  const shadow = root as ShadowRoot;
  if (sheet && !shadow.adoptedStyleSheets.includes(sheet)) shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
}
