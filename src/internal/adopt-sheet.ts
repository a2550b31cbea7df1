/**
 * Adds a constructed stylesheet to the element's shadow root, once: first (pdf.js's, which the
 * element's own styles override) or last (the styles of a part loaded on use). Constructed sheets,
 * as Lit adopts the element's own: a strict CSP needs no 'unsafe-inline'.
 */
export function adoptSheet(root: HTMLElement | DocumentFragment, sheet: CSSStyleSheet | undefined, first = false): void {
  const shadow = root as ShadowRoot;
  if (!sheet || shadow.adoptedStyleSheets.includes(sheet)) return;
  shadow.adoptedStyleSheets = first ? [sheet, ...shadow.adoptedStyleSheets] : [...shadow.adoptedStyleSheets, sheet];
}
