// The host page's side: it asks its own backend for a short-lived viewer token and hands the
// element a renewal callback. The token never appears in the page, a URL or the log.
import '../src/index.ts';
import type { SecureViewer } from '../src/index.ts';
import { logDocumentRequests, logEvents, note } from './log.ts';

const viewer = document.querySelector<SecureViewer>('#viewer')!;
const documentId = viewer.dataset['document']!;

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
logEvents(viewer);
logDocumentRequests();

const first = await sessionToken();
viewer.token = first.token;
viewer.src = `/api/documents/${documentId}/content`;
note('host: first token issued (20 s)');
