// The host page's side: it asks its own backend for a short-lived viewer token and hands the
// element a renewal callback. The token never appears in the page, a URL or the log.
import '../src/index.ts';
import type { SecureViewer } from '../src/index.ts';

const viewer = document.querySelector<SecureViewer>('#viewer')!;
const log = document.querySelector<HTMLOListElement>('#log')!;
const documentId = viewer.dataset['document']!;

function note(text: string): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  log.prepend(item);
}

async function sessionToken(): Promise<{ token: string; expiresAt: number }> {
  const response = await fetch(`/demo/session-token?doc=${encodeURIComponent(documentId)}&ttl=20`, { method: 'POST' });
  if (!response.ok) throw new Error(`session-token ${response.status}`);
  const body = (await response.json()) as { token: string; expires_in: number };
  return { token: body.token, expiresAt: Date.now() + body.expires_in * 1000 };
}

viewer.renewToken = async ({ reason }) => {
  note(`host: renewing the token (${reason})`);
  return sessionToken();
};
viewer.addEventListener('sv-load', (e) => note(`sv-load: ${e.detail.numPages} pages`));
viewer.addEventListener('sv-token-renew', (e) => note(`sv-token-renew: ${e.detail.reason}, expires ${new Date(e.detail.expiresAt ?? 0).toLocaleTimeString()}`));
viewer.addEventListener('sv-error', (e) => note(`sv-error: ${e.detail.code}`));
viewer.addEventListener('sv-page-change', (e) => note(`page ${e.detail.page} of ${e.detail.numPages}`));

const first = await sessionToken();
viewer.token = first.token;
viewer.src = `/api/documents/${documentId}/content`;
note('host: first token issued (20 s)');
