// The reference backend: wiring, routing, request logging and lifecycle.
// `createBackend` gives a request handler (mounted by demo/start.ts next to the demo pages);
// `startBackend` also listens (used by `npm run serve` and the tests). With `testSwitches` the
// test harness is composed around the pieces built here (backend-layer.ts); nothing in this
// file knows what it adds.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { chmod, mkdir } from 'node:fs/promises';
import {
  ApiKeyRegistry,
  createMemoryStore,
  createRedisRenderCache,
  createRedisStore,
  createSecureViewerServer,
  createServerRendering,
  DEFAULT_SCRYPT_COST,
  DEFAULT_STREAM_LIMITS,
  DocumentStore,
  errorResponse,
  FileApiKeys,
  loadOrCreateSigningKeys,
  NO_TRUSTED_PROXIES,
  nodeStreamResponse,
  openByteRange,
  parseTrustedProxies,
  SECURITY_HEADERS,
  sendWebResponse,
  SigningKeyRing,
  toWebRequest,
  type ClientInfo,
  type SharedStore,
  type TrustedProxies,
} from '../../server/index.ts';
import { bootstrapApiKey, requireApiKey } from './api-key.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys-api.ts';
import type { BackendLayer, ContentRoute, DocumentLookup, Route } from './backend-layer.ts';
import type { BackendContext } from './context.ts';
import { API_CORS, COOKIE_CORS, Cors, type CorsRoute } from './cors.ts';
import { documentAudit } from './audit-api.ts';
import { issueToken, listDocuments, revokeDocument, revokeToken, uploadDocument } from './documents-api.ts';
import { HttpError, notFound } from './http.ts';
import { listen } from './listen.ts';
import { listenOrigins } from './own-origins.ts';
import { RequestSource, type OriginPolicy } from './request-source.ts';
import { seedSamples } from './seed.ts';
import { demoSessionToken } from './demo-session-token.ts';

/** Bounds on slow or numerous clients (Node's own defaults are 60 s / 300 s and no cap). */
export interface ServerLimits {
  /** Time a client has to send its request headers; default 10 s. */
  headersTimeoutMs?: number;
  /** Time a client has to send its whole request; default 120 s (a 50 MiB upload on a slow link). */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open; default 5 s. */
  keepAliveTimeoutMs?: number;
  /** Open connections at most; more are closed at once. Default 1000. */
  maxConnections?: number;
  /** A document body the client takes no bytes of for this long is ended; default 30 s. */
  bodyIdleTimeoutMs?: number;
  /** Document bodies one token may have open at once; default 16. */
  streamsPerToken?: number;
  /** Document bodies one client address may have open at once; default 64. */
  streamsPerClient?: number;
}

export const DEFAULT_LIMITS: Required<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1000,
  bodyIdleTimeoutMs: DEFAULT_STREAM_LIMITS.idleTimeoutMs,
  streamsPerToken: DEFAULT_STREAM_LIMITS.perToken,
  streamsPerClient: DEFAULT_STREAM_LIMITS.perClient,
};

export interface BackendOptions {
  port?: number;
  host?: string;
  dataDir: string;
  /**
   * A key with every scope, from the configuration (never stored). When absent and there is no
   * key yet, a first one is generated, shown once and kept as a hash.
   */
  apiKey?: string;
  /** Origins of cross-origin viewer pages (CORS). */
  allowedOrigins?: OriginPolicy;
  /**
   * The origins this server is reached at, for the Origin check of state-changing requests (the
   * Host header is never trusted for it). `startBackend` adds its own listen address.
   */
  publicOrigins?: OriginPolicy;
  /** Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: IPs, CIDRs, `loopback`. */
  trustedProxies?: readonly string[] | TrustedProxies;
  /** Shared state; default: the in-process store in `dataDir`, or Redis when `redisUrl` is set. */
  store?: SharedStore;
  /** Shares state with other instances through this Redis (ignored when `store` is given). */
  redisUrl?: string;
  /**
   * Seeds the `protected` sample, whose access password is published; default true. `npm run serve`
   * sets it to false.
   */
  seedPublishedPasswords?: boolean;
  /** Mounts POST /demo/session-token (unauthenticated token minting, for the demo pages only). */
  demoSessionTokens?: boolean;
  /**
   * Composes the test harness (test-harness/) around the request path: /__test/* (token
   * minting, fault scenarios, request logs). Tests only; without it that code is not even loaded.
   */
  testSwitches?: boolean;
  log?: (line: string) => void;
  /** scrypt N for new password hashes; default 2^17. */
  scryptCost?: number;
  /** Password hash jobs at once (default 4) and waiting (default 32; more get 503). */
  passwordHashing?: { maxConcurrent?: number; maxQueued?: number };
  /** Seconds of clock difference tolerated between instances; default 0, at most 60. */
  clockToleranceSeconds?: number;
  limits?: ServerLimits;
}

/** What `startBackend` takes besides the backend's own options. */
export interface StartOptions extends BackendOptions {
  /**
   * Runs once the port is bound and before the backend opens its store, seeds or writes anything;
   * a rejection ends the start. The entry points check the data folder here, so a port in use
   * leaves the folder untouched.
   */
  beforeStart?: () => Promise<void>;
}

export interface Backend {
  /**
   * The API key this start knows: the configured one, one adopted from an older version's key
   * file, or the first key, made during this start. Empty when keys existed already (the data
   * folder keeps hashes only; `npm run keys -- create` makes more).
   */
  apiKey: string;
  /** True when the API key was generated during this start (print it once). */
  apiKeyGenerated: boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

export interface RunningBackend extends Backend {
  url: string;
  port: number;
}

const CONTENT_PATH = /^\/api\/documents\/([^/]+)\/content$/;
const PASSWORD_PATH = /^\/api\/documents\/([^/]+)\/password-token$/;
const REFRESH_PATH = /^\/api\/documents\/([^/]+)\/refresh$/;
const REVOKE_PATH = /^\/api\/documents\/([^/]+)\/revoke$/;
/** Server-side viewing: manifest, page images, page text and the stamped download. */
const RENDERED_PATH = /^\/api\/documents\/[^/]+\/(?:pages(?:\/\d+\/(?:image|text))?|download)$/;
/** The unstamped file, for the host's backend (API key) only. */
const ORIGINAL_PATH = /^\/api\/documents\/([^/]+)\/original$/;
const EVENTS_PATH = /^\/api\/documents\/([^/]+)\/events$/;
const AUDIT_PATH = /^\/api\/documents\/([^/]+)\/audit$/;
/** Server-to-server routes (API key): no CORS, a browser page has no business calling them. */
const SERVER_TO_SERVER = new Set(['/api/documents', '/api/tokens', '/api/tokens/revoke', '/api/keys']);
const API_KEY_REVOKE_PATH = /^\/api\/keys\/([A-Za-z0-9_-]{1,64})\/revoke$/;

function corsRouteFor(path: string): CorsRoute | null {
  if (SERVER_TO_SERVER.has(path) || REVOKE_PATH.test(path) || ORIGINAL_PATH.test(path) || AUDIT_PATH.test(path)) return null;
  if (PASSWORD_PATH.test(path) || REFRESH_PATH.test(path)) return COOKIE_CORS;
  if (CONTENT_PATH.test(path) || RENDERED_PATH.test(path) || EVENTS_PATH.test(path) || path === '/demo/session-token') return API_CORS;
  return null;
}

function toTrustedProxies(option: BackendOptions['trustedProxies']): TrustedProxies {
  if (option === undefined) return NO_TRUSTED_PROXIES;
  return 'contains' in option ? option : parseTrustedProxies(option);
}

async function openStore(opts: BackendOptions, log: (line: string) => void): Promise<{ store: SharedStore; owned: boolean }> {
  if (opts.store) return { store: opts.store, owned: false };
  if (opts.redisUrl) return { store: await createRedisStore({ url: opts.redisUrl }), owned: true };
  const onPersistError = (error: Error): void => log(`error refresh sessions not written: ${(error as NodeJS.ErrnoException).code ?? error.name}`);
  return { store: await createMemoryStore({ dataDir: opts.dataDir, onPersistError }), owned: true };
}

export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  // The store first: an unreachable Redis stops the start before anything is written.
  const { store, owned } = await openStore(opts, log);
  // Keys, passwords and documents live here: readable by this user only.
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  await chmod(opts.dataDir, 0o700);
  const audit = (line: string): void => log(`${new Date().toISOString()} audit ${line}`);
  const apiKeys = new ApiKeyRegistry({
    store: { limiter: (rule) => store.limiter(rule), apiKeys: store.apiKeys ?? new FileApiKeys(opts.dataDir) },
    audit,
    configured: opts.apiKey ? [{ name: 'SV_API_KEY', key: opts.apiKey }] : [],
  });
  const [keys, apiKeyInfo, documents] = await Promise.all([
    // The store's key set, so keys rotate on every instance; the data folder's key is its first.
    store.signingKeys ? SigningKeyRing.open(store, { first: () => loadOrCreateSigningKeys(opts.dataDir) }) : loadOrCreateSigningKeys(opts.dataDir),
    bootstrapApiKey(apiKeys, opts.dataDir, opts.apiKey, log),
    DocumentStore.open(opts.dataDir, store.documents),
  ]);

  // Loaded only when asked for, so a backend without test switches never loads the harness.
  const layer: BackendLayer | null = opts.testSwitches ? (await import('./test-harness/test-switch-layer.ts')).createTestSwitchLayer() : null;
  const stored: DocumentLookup = (id) => documents.get(id);
  const resolve = layer ? layer.documents(stored) : stored;
  const cors = new Cors(opts.allowedOrigins ?? []);
  const source = new RequestSource(toTrustedProxies(opts.trustedProxies), opts.publicOrigins ?? []);
  // The library's handlers serve documents, password exchanges and refreshes.
  async function hostedDocument(id: string) {
    const meta = await resolve(id);
    if (!meta) return null;
    const file = await documents.containedFile(meta);
    if (file === null) {
      audit(`content.refused doc=${id} reason=outside-storage`);
      return null;
    }
    return { title: meta.title, size: meta.size, etag: meta.etag, source: file, permissions: meta.permissions, passwordHash: meta.password_hash };
  }
  const viewer = createSecureViewerServer({
    store,
    keys,
    documents: hostedDocument,
    originAllowed: (origin) => source.isOwnOrigin(origin) || cors.isAllowed(origin),
    passwordHashing: { cost: opts.scryptCost ?? DEFAULT_SCRYPT_COST, ...opts.passwordHashing },
    ...(opts.clockToleranceSeconds !== undefined ? { clockToleranceSeconds: opts.clockToleranceSeconds } : {}),
    audit,
    streams: { idleTimeoutMs: limits.bodyIdleTimeoutMs, perToken: limits.streamsPerToken, perClient: limits.streamsPerClient },
  });
  // Pages rendered here: one render worker beside the request thread; renders shared through Redis when configured.
  const renderCache = opts.redisUrl && !opts.store ? await createRedisRenderCache({ url: opts.redisUrl }) : null;
  const rendering = createServerRendering({
    tokens: viewer.tokens,
    store,
    documents: hostedDocument,
    pool: { size: 1 },
    ...(renderCache ? { cache: renderCache } : {}),
    audit,
  });
  const seeded = await seedSamples(documents, viewer.hasher, { publishedPasswords: opts.seedPublishedPasswords ?? true });
  if (seeded.length > 0) log(`seeded sample documents: ${seeded.join(', ')}`);

  const ctx: BackendContext = {
    documents,
    tokens: viewer.tokens,
    refreshFamilies: store.refreshFamilies,
    cors,
    source,
    apiKey: apiKeyInfo.apiKey,
    apiKeys,
    audit,
    accountability: viewer.accountability,
    resolve,
  };
  const clientOf = (req: IncomingMessage): ClientInfo => ({ key: source.throttleKey(req), https: source.isHttps(req) });
  // The content route counts open bodies per client address: only the address is needed. Its
  // CORS headers go with the reply's, so the whole head is written at once.
  const served: ContentRoute = (req, res, id) =>
    viewer.content.node(req, res, id, { key: source.throttleKey(req) }, cors.headers(req.headers.origin ?? null, API_CORS));
  const content: ContentRoute = layer ? layer.content(served, ctx) : served;

  /** Every route but the content's, `Request → Response`; an HttpError is thrown as its reply. */
  async function answer(request: Request, client: ClientInfo, path: string, query: URLSearchParams): Promise<Response> {
    const method = request.method;
    // State-changing requests from a foreign page are refused outright (CSRF).
    if (method !== 'GET' && method !== 'HEAD') cors.assertOrigin(request, source);
    if (path === '/api/documents') {
      if (method === 'GET') return listDocuments(request, client, ctx);
      if (method === 'POST') return uploadDocument(request, client, query, ctx);
    }
    if (path === '/api/keys' && method === 'GET') return listApiKeys(request, client, ctx);
    if (path === '/api/keys' && method === 'POST') return createApiKey(request, client, ctx);
    const keyRevoke = API_KEY_REVOKE_PATH.exec(path);
    if (keyRevoke && method === 'POST') return revokeApiKey(request, client, keyRevoke[1]!, ctx);
    if (path === '/.well-known/jwks.json' && (method === 'GET' || method === 'HEAD')) return viewer.jwks(request);
    if (path === '/api/tokens' && method === 'POST') return issueToken(request, client, ctx);
    if (path === '/api/tokens/revoke' && method === 'POST') return revokeToken(request, client, ctx);
    if (path === '/demo/session-token' && method === 'POST' && opts.demoSessionTokens) return demoSessionToken(request, query, ctx);
    let match = PASSWORD_PATH.exec(path);
    if (match && method === 'POST') return viewer.passwordExchange(request, match[1]!, client);
    match = REFRESH_PATH.exec(path);
    if (match && method === 'POST') return viewer.refresh(request, match[1]!, client);
    match = REVOKE_PATH.exec(path);
    if (match && method === 'POST') return revokeDocument(request, client, match[1]!, ctx);
    match = EVENTS_PATH.exec(path);
    if (match && method === 'POST') return viewer.analytics(request, match[1]!);
    match = AUDIT_PATH.exec(path);
    if (match && method === 'GET') return documentAudit(request, client, match[1]!, query, ctx);
    if (RENDERED_PATH.test(path)) {
      const rendered = await rendering.handle(request);
      if (!rendered) throw notFound();
      return rendered;
    }
    match = ORIGINAL_PATH.exec(path);
    if (match && method === 'GET') {
      // The unstamped file: the host's backend only, with a key that may manage documents.
      await requireApiKey(request, client, ctx, 'upload');
      const hosted = await hostedDocument(match[1]!);
      if (!hosted || hosted.size === 0) throw notFound();
      const headers = { 'Content-Type': 'application/pdf', 'Content-Length': String(hosted.size), 'Cache-Control': 'no-store', ETag: hosted.etag };
      return nodeStreamResponse(await openByteRange(hosted.source, 0, hosted.size - 1), { status: 200, headers });
    }
    throw notFound();
  }

  /** The web routes with their CORS: preflights answered, and the headers on every answer. */
  async function webRoute(request: Request, req: IncomingMessage, path: string, query: URLSearchParams): Promise<Response> {
    const corsRoute = corsRouteFor(path);
    if (request.method === 'OPTIONS') {
      if (!corsRoute || (path === '/demo/session-token' && !opts.demoSessionTokens)) return notFound().response();
      return cors.preflight(request, corsRoute);
    }
    let response: Response;
    try {
      response = await answer(request, clientOf(req), path, query);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      response = error.response();
    }
    return corsRoute ? cors.apply(request, response, corsRoute) : response;
  }

  const ownRoute: Route = async (req, res, path, query) => {
    const match = CONTENT_PATH.exec(path);
    if (match && (req.method === 'GET' || req.method === 'HEAD')) {
      // Document bytes go the Node way: web Request/Response objects would cost more than
      // serving a 32 KiB range does. The CORS headers are set here too for the test layer's own
      // answers; the reply's own head carries them anyway.
      for (const [name, value] of Object.entries(cors.headers(req.headers.origin ?? null, API_CORS))) res.setHeader(name, value);
      return content(req, res, match[1]!);
    }
    return sendWebResponse(res, await webRoute(toWebRequest(req), req, path, query));
  };
  const route: Route = layer ? layer.route(ownRoute, ctx) : ownRoute;

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = Date.now();
    const rawUrl = req.url ?? '/';
    const queryIndex = rawUrl.indexOf('?');
    // The raw path is matched as-is: no normalisation, so encoded or dotted ids simply don't match.
    const path = queryIndex < 0 ? rawUrl : rawUrl.slice(0, queryIndex);
    res.on('finish', () => log(`${req.method ?? '?'} ${path} ${res.statusCode} ${Date.now() - started}ms`));
    // Document bytes without the test layer: the reply carries the security and CORS headers
    // and writes its head at once (nothing set on `res` before, so Node does no per-header work).
    const contentMatch = layer || (req.method !== 'GET' && req.method !== 'HEAD') ? null : CONTENT_PATH.exec(path);
    let routed: Promise<void>;
    if (contentMatch) routed = served(req, res, contentMatch[1]!);
    else {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      routed = route(req, res, path, new URLSearchParams(queryIndex < 0 ? '' : rawUrl.slice(queryIndex + 1)));
    }
    routed.catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        void sendWebResponse(res, error.response());
        return;
      }
      // Unexpected: log the kind only, answer without details (no stack traces to clients).
      log(`error ${req.method ?? '?'} ${path}: ${error instanceof Error ? error.name : 'unknown'}`);
      void sendWebResponse(res, errorResponse(500, 'internal_error', 'Internal server error.'));
    });
  }

  async function close(): Promise<void> {
    viewer.keys.close();
    await layer?.close();
    await viewer.accountability.flush();
    await rendering.close();
    await renderCache?.close();
    if (owned) await store.close();
  }

  return { apiKey: apiKeyInfo.apiKey, apiKeyGenerated: apiKeyInfo.created, handle, close };
}

/**
 * Listens, then creates the backend: a port in use is found before anything is written. The
 * listen address becomes one of the backend's own origins.
 */
export async function startBackend({ beforeStart, ...opts }: StartOptions): Promise<RunningBackend> {
  const host = opts.host ?? '127.0.0.1';
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  let backend: Backend | null = null;
  const server: Server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node looks for connections past their header/request deadline.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      if (backend) return backend.handle(req, res);
      res.writeHead(503, { 'Retry-After': '1', 'Content-Length': '0' }).end();
    },
  );
  server.maxConnections = limits.maxConnections;
  server.maxHeadersCount = 100;
  const port = await listen(server, opts.port ?? 0, host);
  const ownOrigins = listenOrigins(host, port);
  const configured = opts.publicOrigins ?? [];
  const isConfigured = typeof configured === 'function' ? configured : (origin: string) => configured.includes(origin);
  try {
    await beforeStart?.();
    backend = await createBackend({ ...opts, publicOrigins: (origin) => ownOrigins.includes(origin) || isConfigured(origin) });
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const started = backend;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    ...started,
    url: `http://${urlHost}:${port}`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await started.close();
    },
  };
}
