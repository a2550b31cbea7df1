import '../src/index.ts';
import type { SecureViewer } from '../src/index.ts';
import { logEvents } from './log.ts';

logEvents(document.querySelector<SecureViewer>('#viewer')!);
