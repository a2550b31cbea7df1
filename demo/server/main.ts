// `npm run serve`: the reference backend on its own (no demo pages).
// Environment: PORT (5173), HOST (127.0.0.1), SV_DATA_DIR (<repo>/.data), SV_API_KEY (generated
// and stored in the data folder when unset), SV_ALLOWED_ORIGINS (comma-separated CORS origins).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackend } from './app.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const backend = await startBackend({
  port: Number(process.env.PORT ?? 5173),
  host: process.env.HOST ?? '127.0.0.1',
  dataDir: process.env.SV_DATA_DIR ?? path.join(repoRoot, '.data'),
  ...(process.env.SV_API_KEY ? { apiKey: process.env.SV_API_KEY } : {}),
  allowedOrigins: (process.env.SV_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean),
});

console.log(`secure-viewer reference backend: ${backend.url}`);
if (backend.apiKeyGenerated) {
  // Printed once, on the start that created it; afterwards it is only in the data folder.
  console.log(`generated API key (stored in the data folder, shown only now): ${backend.apiKey}`);
}

async function shutdown(): Promise<void> {
  await backend.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
