// The demo pages and the reference backend on one origin. One origin means no CORS preflights and
// same-origin cookies for token-url, as in most hosts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import type { TrustedProxies } from '../server/client-address.ts';
import { DEFAULT_LIMITS, createBackend, type Backend } from './server/app.ts';
import { listen } from './server/listen.ts';
import { listenOrigins } from './server/own-origins.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DemoOptions {
  port: number;
  host?: string;
  dataDir: string;
  apiKey?: string;
  allowedOrigins?: string[];
  /** Origins the demo is reached at besides its listen address (behind a proxy). */
  publicOrigins?: string[];
  trustedProxies?: TrustedProxies;
  redisUrl?: string;
  maxConnections?: number;
  /** Where the backend writes its request log (default: the console). */
  log?: (line: string) => void;
  /**
   * Runs once the port is bound and before the backend seeds or writes anything; a rejection
   * ends the start (`npm start` checks the data folder here).
   */
  beforeStart?: () => Promise<void>;
}

export interface Demo {
  url: string;
  apiKey: string;
  apiKeyGenerated: boolean;
  close(): Promise<void>;
}

const backendPaths = /^\/(api|demo\/session-token)(\/|\?|$)/;

/** The demo's request handling once everything runs. */
interface Running {
  backend: Backend;
  vite: ViteDevServer;
  apps: Array<{ base: string; app: ViteDevServer }>;
}

/**
 * Listens first, then starts the backend and Vite: a port in use is found before the data folder
 * is touched. Until everything runs, requests get 503.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  let ownOrigins: string[] = [];
  let running: Running | null = null;
  const server: Server = createServer({ headersTimeout: DEFAULT_LIMITS.headersTimeoutMs, requestTimeout: DEFAULT_LIMITS.requestTimeoutMs }, (req, res) => {
    if (running) route(running, req, res);
    else res.writeHead(503, { 'Retry-After': '1', 'Content-Length': '0' }).end();
  });
  server.maxConnections = options.maxConnections ?? DEFAULT_LIMITS.maxConnections;
  const port = await listen(server, options.port, host);
  ownOrigins = listenOrigins(host, port);

  let backend: Backend | null = null;
  const vites: ViteDevServer[] = [];
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...vites.map((vite) => vite.close()), backend?.close()]);
  };
  try {
    await options.beforeStart?.();
    backend = await createBackend({
      dataDir: options.dataDir,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
      allowedOrigins: options.allowedOrigins ?? [],
      publicOrigins: (origin) => ownOrigins.includes(origin) || (options.publicOrigins ?? []).includes(origin),
      demoSessionTokens: true,
      ...(options.log ? { log: options.log } : {}),
    });
    // Vite serves the demo pages and compiles src/ on the fly; its live-reload socket shares this
    // server, so a second demo on another port does not collide with the first.
    const vite = await createViteServer({
      root: repoRoot,
      configFile: false,
      appType: 'mpa',
      logLevel: 'warn',
      server: { middlewareMode: true, hmr: { server } },
    });
    vites.push(vite);
    // The React and Vue apps use the built package (dist/), each with its own Vite config.
    const apps = await Promise.all(
      (['react', 'vue'] as const).map(async (name) => {
        const base = `/demo/${name}/`;
        const app = await createViteServer({
          configFile: path.join(repoRoot, 'demo', name, 'vite.config.ts'),
          base,
          // Each Vite server keeps its own dependency cache; sharing one makes them invalidate each other.
          cacheDir: path.join(repoRoot, 'node_modules', '.vite', `demo-${name}`),
          logLevel: 'warn',
          appType: 'spa',
          server: { middlewareMode: true, hmr: { server, path: `${base}__hmr` } },
        });
        vites.push(app);
        return { base, app };
      }),
    );
    running = { backend, vite, apps };
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    apiKey: backend.apiKey,
    apiKeyGenerated: backend.apiKeyGenerated,
    close: stop,
  };
}

function notFound(res: ServerResponse): () => void {
  return () => {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  };
}

function route({ backend, vite, apps }: Running, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  if (backendPaths.test(url)) {
    backend.handle(req, res);
    return;
  }
  if (url === '/demo/react' || url === '/demo/vue') {
    res.writeHead(302, { Location: `${url}/` }).end();
    return;
  }
  if (url === '/' || url === '/index.html') {
    res.writeHead(302, { Location: '/demo/' }).end();
    return;
  }
  const app = apps.find(({ base }) => url.startsWith(base));
  if (app) app.app.middlewares(req, res, notFound(res));
  else vite.middlewares(req, res, notFound(res));
}
