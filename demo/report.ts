// The reader's side of a realistic document: the element fetches its own token from token-url;
// the log shows its events and every document request (none carries the token).
import '../src/index.ts';
import type { SecureViewer } from '../src/index.ts';
import { logDocumentRequests, logEvents, note } from './log.ts';

const viewer = document.querySelector<SecureViewer>('#viewer')!;
logEvents(viewer);
viewer.addEventListener('sv-sidebar-toggle', (event) => note(`sv-sidebar-toggle, ${event.detail.open ? 'open' : 'closed'}`));
logDocumentRequests();
