// The event log shown beside each demo viewer. It prints event details only: they never hold a
// token or a password.
import type { SecureViewer } from '../src/index.ts';

export function note(text: string): void {
  const log = document.querySelector<HTMLOListElement>('#log');
  if (!log) return;
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  log.prepend(item);
}

export function logEvents(viewer: SecureViewer, label = ''): void {
  const prefix = label ? `${label}: ` : '';
  viewer.addEventListener('sv-load', (e) => note(`${prefix}sv-load, ${e.detail.numPages} pages`));
  viewer.addEventListener('sv-token-renew', (e) =>
    note(`${prefix}sv-token-renew (${e.detail.reason})${e.detail.expiresAt ? `, expires ${new Date(e.detail.expiresAt).toLocaleTimeString()}` : ''}`),
  );
  viewer.addEventListener('sv-error', (e) => note(`${prefix}sv-error ${e.detail.code}: ${e.detail.message}`));
  viewer.addEventListener('sv-page-change', (e) => note(`${prefix}page ${e.detail.page} of ${e.detail.numPages}`));
  viewer.addEventListener('sv-password-required', (e) => note(`${prefix}sv-password-required (${e.detail.kind}${e.detail.retry ? ', retry' : ''})`));
  viewer.addEventListener('sv-page-view', (e) => note(`${prefix}sv-page-view, page ${e.detail.page} for ${(e.detail.ms / 1000).toFixed(1)} s`));
  viewer.addEventListener('sv-copy', (e) => note(`${prefix}sv-copy, ${e.detail.chars} characters`));
  viewer.addEventListener('sv-print', () => note(`${prefix}sv-print`));
  viewer.addEventListener('sv-download', () => note(`${prefix}sv-download`));
  viewer.addEventListener('sv-zoom', (e) => note(`${prefix}sv-zoom ${e.detail.zoom} (${Math.round(e.detail.scale * 100)} %)`));
  viewer.addEventListener('sv-find', (e) => note(`${prefix}sv-find${e.detail.query === undefined ? '' : ` "${e.detail.query}"`}`));
}

/**
 * Notes every document request the page makes, from the browser's own resource timing: the URL
 * (which never carries the token) and the bytes that came back.
 */
export function logDocumentRequests(): void {
  if (typeof PerformanceObserver === 'undefined') return;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
      const url = new URL(entry.name);
      if (!url.pathname.startsWith('/api/')) continue;
      const size = entry.transferSize > 0 ? `, ${Math.round(entry.transferSize / 1024)} KB` : '';
      note(`request ${url.pathname}${size}`);
    }
  }).observe({ type: 'resource', buffered: true });
}
