// `npm run serve`: the reference backend on its own (no demo pages, no /demo/session-token).
// Environment: see config.ts and demo/server/README.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackend } from './app.ts';
import { backendOptions, checkDataDir, parseConfig } from './config.ts';
import { startOrExit } from './startup.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const backend = await startOrExit(async () => {
  const config = parseConfig(process.env, path.join(repoRoot, '.data'));
  // The port first, then the data folder: a port in use leaves the folder untouched.
  return startBackend({
    ...backendOptions(config),
    limits: { maxConnections: config.maxConnections },
    // A published password is for the demo (npm start), never for a production start.
    seedPublishedPasswords: false,
    beforeStart: () => checkDataDir(config.dataDir),
  });
});

console.log(`secure-viewer reference backend: ${backend.url}`);
if (backend.apiKeyGenerated) {
  // Printed once, on the start that created it; the data folder keeps only its hash.
  console.log(`API key "default", every scope (kept as a hash, shown only now; more with npm run keys): ${backend.apiKey}`);
}

async function shutdown(): Promise<void> {
  await backend.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
