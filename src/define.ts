import { SecureViewer } from './secure-viewer.ts';

// Guarded: a second copy of the package on the page must not throw, and a server-side import
// (no DOM) must not touch `customElements` at all.
if (typeof customElements !== 'undefined' && !customElements.get('secure-viewer')) {
  customElements.define('secure-viewer', SecureViewer);
}

declare global {
  interface HTMLElementTagNameMap {
    'secure-viewer': SecureViewer;
  }
}
