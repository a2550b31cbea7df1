// The host side in one object: token service, document, password-exchange and refresh handlers
// over one store, and a router for the conventional paths
// `<base>/:id/content`, `<base>/:id/password-token`, `<base>/:id/refresh`, and the public keys at
// `/.well-known/jwks.json`.
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
  /** Answers the document routes under the base path and `/.well-known/jwks.json`; null for any other path. */
  handle(request: Request, client: ClientInfo): Promise<Response | null>;
}

const ID = '([A-Za-z0-9][A-Za-z0-9_-]{0,63})';
const JWKS_PATH = '/.well-known/jwks.json';

export function createSecureViewerServer(options: SecureViewerServerOptions): SecureViewerServer {
  const base = (options.basePath ?? '/api/documents').replace(/\/$/, '');
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const route = new RegExp(`^${escaped}/${ID}/(content|password-token|refresh)$`);
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
  const content = createDocumentHandler({
    tokens,
    documents: options.documents,
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.streams ? { streams: options.streams } : {}),
  });
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
    async handle(request, client) {
      const pathname = new URL(request.url).pathname;
      if (pathname === JWKS_PATH) return jwks(request);
      const match = route.exec(pathname);
      if (!match) return null;
      const [, id, action] = match as unknown as [string, string, string];
      if (action === 'content') return content(request, id, client);
      if (action === 'password-token') return passwordExchange(request, id, client);
      return refresh(request, id, client);
    },
  };
}
