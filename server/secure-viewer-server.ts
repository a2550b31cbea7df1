// The host side in one object: token service, document, password-exchange, refresh and reader
// event handlers over one store, the accountability log's queries, and a router for the
// conventional paths `<base>/:id/content`, `<base>/:id/password-token`, `<base>/:id/refresh`,
// `<base>/:id/events`, and the public keys at `/.well-known/jwks.json`.
import { PageMaps } from './accountability/page-maps.ts';
import { ServedRecorder } from './accountability/served-recorder.ts';
import { ANALYTICS_RATE, createAnalyticsHandler, type AnalyticsHandler } from './handlers/analytics-handler.ts';
import type { ClientInfo } from './handlers/client-info.ts';
import type { AuditLog } from './handlers/audit.ts';
import { createDocumentHandler, type DocumentHandler, type ServedDocument } from './handlers/document-handler.ts';
import { createPasswordExchangeHandler, type PasswordExchangeHandler, type PasswordProtectedDocument } from './handlers/password-exchange-handler.ts';
import { createRefreshHandler, type RefreshHandler } from './handlers/refresh-handler.ts';
import { PasswordHasher, type PasswordHasherOptions } from './password-hasher.ts';
import { PasswordThrottle } from './password-throttle.ts';
import { SigningKeyRing } from './signing-key-ring.ts';
import type { StreamLimits } from './open-streams.ts';
import type { SigningKeys } from './signing-keys.ts';
import { createJwksHandler, type JwksHandler } from './handlers/jwks-handler.ts';
import type { AccountabilityQuery, ServedRecord, StoredReaderEvent } from './store/accountability-log.ts';
import { MemoryAccountabilityLog } from './store/memory-accountability-log.ts';
import type { SharedStore } from './store/shared-store.ts';
import { TokenService } from './token-service.ts';

/** Everything the handlers need to know about one document. */
export type HostedDocument = ServedDocument & PasswordProtectedDocument;

export interface SecureViewerServerOptions {
  store: SharedStore;
  /**
   * One fixed key, or a ring over the store's key set (`await SigningKeyRing.open(store, { first })`),
   * which can be rotated without downtime: the newest key signs, every key in the set verifies.
   */
  keys: SigningKeys | SigningKeyRing;
  /** The document by id, or null. Called on every request: keep it fast (cache). */
  documents(id: string): Promise<HostedDocument | null>;
  /** Pages on these origins may post passwords and refresh; default: none (same-origin requests carry your own origin, list it). */
  originAllowed?(origin: string): boolean;
  /** Path prefix of the document routes; default `/api/documents`. */
  basePath?: string;
  passwordHashing?: PasswordHasherOptions;
  clockToleranceSeconds?: number;
  audit?: AuditLog;
  /** Bounds on document bodies being sent (idle time, per token, per client address). */
  streams?: Partial<StreamLimits>;
}

export interface SecureViewerServer {
  tokens: TokenService;
  hasher: PasswordHasher;
  content: DocumentHandler;
  passwordExchange: PasswordExchangeHandler;
  refresh: RefreshHandler;
  /** The signing keys (rotate, retire, list); a fixed key when `keys` was a plain key pair. */
  keys: SigningKeyRing;
  /** GET: the public signing keys as a JWKS document (`application/jwk-set+json`). */
  jwks: JwksHandler;
  /** Takes the element's reader events (`analytics-url`), identity and document from the token. */
  analytics: AnalyticsHandler;
  /** What readers did and what left the server, per token id. */
  accountability: Accountability;
  /** Answers the document routes under the base path and `/.well-known/jwks.json`; null for any other path. */
  handle(request: Request, client: ClientInfo): Promise<Response | null>;
}

/** The accountability log's queries, over the store's log. */
export interface Accountability {
  /**
   * Per token id of a document: pages whose content was served, byte spans, bytes, first and last
   * time. The document's page map is read (once per version) when a query first needs it.
   */
  served(query: AccountabilityQuery): Promise<ServedRecord[]>;
  /** The reader events the element sent for a document, newest first. */
  readerEvents(query: AccountabilityQuery): Promise<StoredReaderEvent[]>;
  /** Writes served records still merged in memory (they are written every second); call before shutdown. */
  flush(): Promise<void>;
}

const ID = '([A-Za-z0-9][A-Za-z0-9_-]{0,63})';
const JWKS_PATH = '/.well-known/jwks.json';

export function createSecureViewerServer(options: SecureViewerServerOptions): SecureViewerServer {
  const base = (options.basePath ?? '/api/documents').replace(/\/$/, '');
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const route = new RegExp(`^${escaped}/${ID}/(content|password-token|refresh|events)$`);
  const keys = options.keys instanceof SigningKeyRing ? options.keys : SigningKeyRing.fixed(options.keys);
  const jwks = createJwksHandler(keys);
  const tokens = new TokenService({
    keys,
    revocations: options.store.revocations,
    ...(options.clockToleranceSeconds !== undefined ? { clockToleranceSeconds: options.clockToleranceSeconds } : {}),
  });
  const hasher = new PasswordHasher(options.passwordHashing);
  const originAllowed = options.originAllowed ?? (() => false);
  const shared = { tokens, refreshFamilies: options.store.refreshFamilies, originAllowed, ...(options.audit ? { audit: options.audit } : {}) };
  const cookie = { path: (id: string) => `${base}/${id}/` };
  const log = options.store.accountability ?? MemoryAccountabilityLog.inMemory();
  const failure = (error: unknown): void => options.audit?.(`accountability.failure reason=${error instanceof Error ? error.name : 'unknown'}`);
  const recorder = new ServedRecorder({ log, onError: failure });
  const pageMaps = new PageMaps(options.documents, failure);
  const content = createDocumentHandler({
    tokens,
    documents: options.documents,
    onServed: (served) => recorder.record(served),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.streams ? { streams: options.streams } : {}),
  });
  const analytics = createAnalyticsHandler({ tokens, log, limiter: options.store.limiter(ANALYTICS_RATE), ...(options.audit ? { audit: options.audit } : {}) });
  const accountability: Accountability = {
    async served(query) {
      await recorder.flush();
      const entries = await log.served(query);
      return Promise.all(entries.map(async (entry) => ({ ...entry, pages: await pageMaps.pagesOf(entry.doc, entry.size, entry.spans) })));
    },
    readerEvents: (query) => log.readerEvents(query),
    flush: () => recorder.flush(),
  };
  const passwordExchange = createPasswordExchangeHandler({
    ...shared,
    hasher,
    throttle: new PasswordThrottle(options.store),
    documents: options.documents,
    cookie,
  });
  const refresh = createRefreshHandler({ ...shared, documents: options.documents, cookie });
  return {
    tokens,
    hasher,
    content,
    passwordExchange,
    refresh,
    keys,
    jwks,
    analytics,
    accountability,
    async handle(request, client) {
      const pathname = new URL(request.url).pathname;
      if (pathname === JWKS_PATH) return jwks(request);
      const match = route.exec(pathname);
      if (!match) return null;
      const [, id, action] = match as unknown as [string, string, string];
      if (action === 'content') return content(request, id, client);
      if (action === 'password-token') return passwordExchange(request, id, client);
      if (action === 'events') return analytics(request, id);
      return refresh(request, id, client);
    },
  };
}
