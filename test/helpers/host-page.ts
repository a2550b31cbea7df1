// A host page of the test's own making: its stylesheet and markup, as an integrator would write
// them, removed again after each test.
import type { SecureViewer } from '../../src/index.ts';

const mounted: Element[] = [];

/** Adds `css` to the document and `markup` to the body; returns the first <secure-viewer> in it. */
export function mountHostPage(markup: string, css = ''): { root: HTMLElement; viewer: SecureViewer } {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  const root = document.createElement('div');
  root.innerHTML = markup;
  document.body.append(root);
  mounted.push(style, root);
  return { root, viewer: root.querySelector('secure-viewer') as SecureViewer };
}

/** Removes what `mountHostPage` added; call from `afterEach`. */
export function unmountHostPages(): void {
  for (const node of mounted.splice(0)) node.remove();
  document.documentElement.removeAttribute('dir');
}

/** The viewer's scrolling area, where pdf.js lays out the pages. */
export function viewportOf(viewer: SecureViewer): HTMLElement {
  return viewer.shadowRoot!.querySelector<HTMLElement>('[part~="viewport"]')!;
}
