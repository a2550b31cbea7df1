import '../src/index.ts';
import type { SecureViewer } from '../src/index.ts';
import { logEvents } from './log.ts';

const missing = document.querySelector<SecureViewer>('#missing')!;
const refused = document.querySelector<SecureViewer>('#refused')!;
logEvents(missing, 'unknown document');
logEvents(refused, 'malformed token');

missing.tokenUrl = '/demo/session-token?doc=sample&ttl=60';
missing.src = '/api/documents/no-such-document/content';
refused.token = 'not a token';
refused.src = '/api/documents/sample/content';
