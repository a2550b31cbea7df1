// `npm start`: the reference backend and the demo pages on one origin (default port 5173).
// One origin means no CORS preflights and same-origin cookies for token-url, as in most hosts.
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';
import { createBackend } from './server/app.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 5173);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.SV_DATA_DIR ?? path.join(root, '.data');

const backend = await createBackend({
  dataDir,
  ...(process.env.SV_API_KEY ? { apiKey: process.env.SV_API_KEY } : {}),
  allowedOrigins: (process.env.SV_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
});

// Vite serves the demo pages and compiles src/ on the fly, so edits show up on reload.
const vite = await createViteServer({
  root,
  configFile: false,
  appType: 'mpa',
  logLevel: 'warn',
  server: { middlewareMode: true, hmr: false, ws: false },
});

const backendPaths = /^\/(api|demo\/session-token)(\/|\?|$)/;
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (backendPaths.test(url)) {
    backend.handle(req, res);
    return;
  }
  if (url === '/' || url === '/index.html') {
    res.writeHead(302, { Location: '/demo/' }).end();
    return;
  }
  vite.middlewares(req, res, () => {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  });
});

server.listen(port, host, () => {
  console.log(`secure-viewer demo: http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/demo/`);
  // Shown once, when it was generated, so the host-backend API (/api/documents, /api/tokens) can be tried.
  if (backend.apiKeyGenerated) console.log(`API key (kept in ${dataDir}): ${backend.apiKey}`);
});

async function shutdown(): Promise<void> {
  server.close();
  await Promise.allSettled([vite.close(), backend.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
