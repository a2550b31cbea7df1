// The state several server instances must agree on, behind one interface: revocations, throttle
// counters, refresh-token families, the document index and the accountability log.
// `createMemoryStore` keeps it in this process; `createRedisStore` shares it through Redis.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DocumentMeta } from '../document-meta.ts';
import type { StoredSigningKey } from '../signing-keys.ts';
import type { AccountabilityLog } from './accountability-log.ts';

/** A counter: at most `points` consumptions per key within `durationSeconds`. */
export interface LimiterRule {
  /** Distinguishes this counter's keys from every other's. */
  name: string;
  points: number;
  durationSeconds: number;
}

/** What verification needs to know about a token to decide whether it was revoked. */
export interface RevocationSubject {
  jti: string;
  doc: string;
  /** Issued-at, seconds. */
  iat: number;
}

/**
 * Revoked tokens and documents. Checks read a local view (no I/O per request); changes are
 * written to the store and reach other instances' views.
 */
export interface RevocationList {
  /** True when this token was revoked by id or by its document's revocation time. */
  isRevoked(token: RevocationSubject): boolean;
  /** Seconds: tokens of `doc` issued at or before this time are refused (0 when never revoked). */
  revokedBefore(doc: string): number;
  /**
   * The document's "revoked before" time as the store holds it now (a shared store reads it, not
   * only the local view). Token issuing reads it before and after signing. Optional for stores
   * written before it existed: `revokedBefore` is used instead.
   */
  currentRevocation?(doc: string): Promise<number>;
  /** Refuses one token until `expiresAt` (seconds, by the server's clock; kept at most 17 minutes ahead). */
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  /** Refuses every token of `doc` issued at or before `at` (seconds). */
  revokeDocument(doc: string, at: number): Promise<void>;
}

export type RotateResult =
  | { kind: 'ok'; token: string; doc: string; maxAgeSeconds: number }
  | { kind: 'invalid' }
  | { kind: 'reuse'; doc: string };

/**
 * Refresh-token families: each use rotates the token; a rotated token used again (after a short
 * grace window) revokes its whole family. Rotation is atomic, also across instances.
 */
export interface RefreshFamilies {
  /** Starts a family for `doc`; returns the raw token (only its hash is stored). */
  create(doc: string): Promise<{ token: string; maxAgeSeconds: number }>;
  /** Exchanges a token for its successor, for `doc` only. */
  rotate(token: string, doc: string): Promise<RotateResult>;
  /** Revokes every family of `doc`. */
  revokeDocument(doc: string): Promise<void>;
}

/** Document metadata by id. */
export interface DocumentIndex {
  get(id: string): Promise<DocumentMeta | null>;
  put(meta: DocumentMeta): Promise<void>;
  list(): Promise<DocumentMeta[]>;
}

/**
 * The token signing key set, shared by every instance: the newest key signs, every key in the set
 * verifies. Changes are atomic with other instances' changes.
 */
export interface SigningKeyStore {
  /** The set; when it is empty, `first()` makes its first key (all instances end up with one). */
  load(first: () => Promise<StoredSigningKey>): Promise<StoredSigningKey[]>;
  /** Adds a key; returns the new set. */
  add(key: StoredSigningKey): Promise<StoredSigningKey[]>;
  /** Removes a key (it stops verifying); returns the new set. */
  remove(kid: string): Promise<StoredSigningKey[]>;
  /** Calls `listener` when another instance may have changed the set (a shared store only). */
  onChange?(listener: () => void): void;
}

/** What an API key grants: creating viewer tokens, uploading, revoking, listing, managing keys. */
export type ApiKeyScope = 'tokens' | 'upload' | 'revoke' | 'list' | 'keys';

/** A stored API key: its hash and what is known about it, never the key. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** `live`/`test` from the key's prefix; `legacy` for a key of the older format. */
  environment: 'live' | 'test' | 'legacy';
  scopes: ApiKeyScope[];
  /** SHA-256 of the key, base64url. */
  hash: string;
  /** Prefix and the first random characters, for people to tell keys apart. */
  preview: string;
  /** ms since 1970 */
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** API keys by hash, shared by every instance. */
export interface ApiKeyStore {
  byHash(hash: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  add(record: ApiKeyRecord): Promise<void>;
  /** Adds `record` only while there is no key at all (a fresh deployment's first key); true when it did. */
  addFirst(record: ApiKeyRecord): Promise<boolean>;
  /** Changes the last-used or revocation time; returns the record after the change, or null. */
  update(id: string, change: { lastUsedAt?: number; revokedAt?: number }): Promise<ApiKeyRecord | null>;
}

/** All shared state of a server. */
export interface SharedStore {
  readonly revocations: RevocationList;
  readonly refreshFamilies: RefreshFamilies;
  readonly documents: DocumentIndex;
  /** The signing key set (optional for stores written before it existed: keys are then passed in). */
  readonly signingKeys?: SigningKeyStore;
  /** API keys (optional for stores written before it existed). */
  readonly apiKeys?: ApiKeyStore;
  /**
   * Reader events and what each token was served. Both stores have one; a store of your own
   * without it gets one in memory only from `createSecureViewerServer`.
   */
  readonly accountability?: AccountabilityLog;
  /** An atomic counter with expiry (rate-limiter-flexible), shared like the rest of the store. */
  limiter(rule: LimiterRule): RateLimiterAbstract;
  /** Waits for pending writes and releases connections. */
  close(): Promise<void>;
}
