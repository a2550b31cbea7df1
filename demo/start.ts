// `npm start`: the reference backend and the demo pages on one origin (default port 5173), with
// the demo-only /demo/session-token endpoint. Environment: see demo/server/config.ts.
import path from 'node:path';
import { backendOptions, checkDataDir, parseConfig } from './server/config.ts';
import { startOrExit } from './server/startup.ts';
import { repoRoot, startDemo } from './demo-server.ts';

const { demo, dataDir } = await startOrExit(async () => {
  const config = parseConfig(process.env, path.join(repoRoot, '.data'));
  // The port first, then the data folder: a port in use leaves the folder untouched.
  const started = await startDemo({ ...backendOptions(config), maxConnections: config.maxConnections, beforeStart: () => checkDataDir(config.dataDir) });
  return { demo: started, dataDir: config.dataDir };
});

console.log(`secure-viewer demo: ${demo.url}/demo/`);
// Shown once, when it was generated, so the host-backend API (/api/documents, /api/tokens) can be tried.
if (demo.apiKeyGenerated) console.log(`API key (kept as a hash in ${dataDir}, shown only now): ${demo.apiKey}`);

async function shutdown(): Promise<void> {
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
