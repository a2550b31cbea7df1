import '../src/index.ts';
import type { SecureViewer } from '../src/index.ts';
import { logEvents } from './log.ts';

const access = document.querySelector<SecureViewer>('#access')!;
const encrypted = document.querySelector<SecureViewer>('#encrypted')!;
logEvents(access, 'access password');
logEvents(encrypted, 'encrypted PDF');

// The encrypted file itself is token-protected like any other document.
encrypted.tokenUrl = '/demo/session-token?doc=encrypted&ttl=300';
encrypted.src = '/api/documents/encrypted/content';
