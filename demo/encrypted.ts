import '../src/index.ts';
import type { SecureViewer } from '../src/index.ts';
import { logEvents } from './log.ts';

const viewer = document.querySelector<SecureViewer>('#encrypted')!;
logEvents(viewer);
viewer.tokenUrl = '/demo/session-token?doc=encrypted&ttl=300';
viewer.src = '/api/documents/encrypted/content';
