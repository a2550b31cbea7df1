// The demo pages and the reference backend on one origin. One origin means no CORS preflights and
// same-origin cookies for token-url, as in most hosts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';
import type { TrustedProxies } from '../server/client-address.ts';
import { DEFAULT_LIMITS, createBackend } from './server/app.ts';
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
}

export interface Demo {
  url: string;
  apiKey: string;
  apiKeyGenerated: boolean;
  close(): Promise<void>;
}

const backendPaths = /^\/(api|demo\/session-token)(\/|\?|$)/;

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  let ownOrigins: string[] = [];
  const backend = await createBackend({
    dataDir: options.dataDir,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
    allowedOrigins: options.allowedOrigins ?? [],
    publicOrigins: (origin) => ownOrigins.includes(origin) || (options.publicOrigins ?? []).includes(origin),
    demoSessionTokens: true,
    ...(options.log ? { log: options.log } : {}),
  });
  let handleVite: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer({ headersTimeout: DEFAULT_LIMITS.headersTimeoutMs, requestTimeout: DEFAULT_LIMITS.requestTimeoutMs }, (req, res) => {
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
    handleVite?.(req, res);
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
      return { base, app };
    }),
  );
  const notFound = (res: ServerResponse) => () => {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  };
  handleVite = (req, res) => {
    const url = req.url ?? '/';
    const app = apps.find(({ base }) => url.startsWith(base));
    if (app) app.app.middlewares(req, res, notFound(res));
    else vite.middlewares(req, res, notFound(res));
  };
  server.maxConnections = options.maxConnections ?? DEFAULT_LIMITS.maxConnections;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, resolve);
    });
  } catch (error) {
    await Promise.allSettled([vite.close(), ...apps.map(({ app }) => app.close()), backend.close()]);
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  ownOrigins = listenOrigins(host, port);
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    apiKey: backend.apiKey,
    apiKeyGenerated: backend.apiKeyGenerated,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([vite.close(), ...apps.map(({ app }) => app.close()), backend.close()]);
    },
  };
}
