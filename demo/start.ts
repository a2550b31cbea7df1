// `npm start`: the reference backend and the demo pages on one origin (default port 5173).
import path from 'node:path';
import { repoRoot, startDemo } from './demo-server.ts';

const dataDir = process.env.SV_DATA_DIR ?? path.join(repoRoot, '.data');
const demo = await startDemo({
  port: Number(process.env.PORT ?? 5173),
  host: process.env.HOST ?? '127.0.0.1',
  dataDir,
  ...(process.env.SV_API_KEY ? { apiKey: process.env.SV_API_KEY } : {}),
  allowedOrigins: (process.env.SV_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
});

console.log(`secure-viewer demo: ${demo.url}/demo/`);
// Shown once, when it was generated, so the host-backend API (/api/documents, /api/tokens) can be tried.
if (demo.apiKeyGenerated) console.log(`API key (kept in ${dataDir}): ${demo.apiKey}`);

async function shutdown(): Promise<void> {
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
