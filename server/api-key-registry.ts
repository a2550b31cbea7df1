// API keys for a host backend's own endpoints: several named keys, each with scopes, created (and
// shown) once, kept only as hashes, listed and revoked at run time, with a last-used time. Failed
// attempts are audited and counted per client address in the store; an address with too many is
// refused before any lookup. Every operation goes to the audit log, never a key.
import { randomBytes } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { checkApiKeyFormat, generateApiKey, hashApiKey, MAX_PRESENTED_KEY_LENGTH, previewApiKey, type ApiKeyEnvironment } from './api-key-format.ts';
import type { AuditLog } from './handlers/audit.ts';
import type { ApiKeyRecord, ApiKeyScope, ApiKeyStore, LimiterRule, SharedStore } from './store/shared-store.ts';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['tokens', 'upload', 'revoke', 'list', 'keys'];
/** Failed attempts per client address; beyond it every attempt is refused (429) until the window ends. */
export const API_KEY_FAILURES_PER_CLIENT: LimiterRule = { name: 'api-key-failures', points: 20, durationSeconds: 5 * 60 };
/** A key's last-used time is written at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/** What may be shown of a key. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  environment: ApiKeyRecord['environment'];
  scopes: ApiKeyScope[];
  preview: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  /** Set from the configuration (not stored, cannot be revoked at run time). */
  configured: boolean;
}

export type ApiKeyCheck =
  | { ok: true; key: ApiKeyInfo }
  | { ok: false; status: 401; code: 'invalid_api_key' }
  | { ok: false; status: 403; code: 'insufficient_scope'; scope: ApiKeyScope }
  | { ok: false; status: 429; code: 'rate_limited'; retryAfterSeconds: number };

export interface ApiKeyRegistryOptions {
  store: Pick<SharedStore, 'limiter'> & { apiKeys?: ApiKeyStore | undefined };
  audit?: AuditLog;
  /** Keys from the configuration (e.g. an environment variable): every scope, never stored. */
  configured?: ReadonlyArray<{ name: string; key: string }>;
  now?: () => number;
}

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** For the audit line: a name as one token, whatever it contains. */
const quoted = (text: string): string => JSON.stringify(text);

export class ApiKeyRegistry {
  readonly #store: ApiKeyStore;
  readonly #limiter;
  readonly #audit: AuditLog;
  readonly #configured: Map<string, ApiKeyRecord>;
  readonly #now: () => number;

  constructor(options: ApiKeyRegistryOptions) {
    if (!options.store.apiKeys) throw new TypeError('this store keeps no API keys');
    this.#store = options.store.apiKeys;
    this.#limiter = options.store.limiter(API_KEY_FAILURES_PER_CLIENT);
    this.#audit = options.audit ?? (() => {});
    this.#now = options.now ?? Date.now;
    this.#configured = new Map(
      (options.configured ?? []).map(({ name, key }, index) => {
        const hash = hashApiKey(key);
        const id = index === 0 ? 'configured' : `configured-${index + 1}`;
        const environment = checkApiKeyFormat(key) === 'valid' ? (key.startsWith('sv_test_') ? 'test' : 'live') : 'legacy';
        return [hash, { id, name, environment, scopes: [...API_KEY_SCOPES], hash, preview: previewApiKey(key), createdAt: 0, lastUsedAt: null, revokedAt: null }];
      }),
    );
  }

  /** A new key: returned once, stored as a hash. */
  async create(input: { name: string; scopes: readonly ApiKeyScope[]; environment?: ApiKeyEnvironment }): Promise<{ key: string; info: ApiKeyInfo }> {
    const { key, record } = this.#newRecord(input);
    await this.#store.add(record);
    this.#audit(`apikey.create id=${record.id} name=${quoted(record.name)} environment=${record.environment} scopes=${record.scopes.join(',')}`);
    return { key, info: this.#info(record) };
  }

  /**
   * A deployment's first key, only while there is no key at all (instances starting together
   * create one between them); null when keys exist already.
   */
  async createFirst(input: { name: string; scopes: readonly ApiKeyScope[]; environment?: ApiKeyEnvironment }): Promise<{ key: string; info: ApiKeyInfo } | null> {
    const { key, record } = this.#newRecord(input);
    if (!(await this.#store.addFirst(record))) return null;
    this.#audit(`apikey.create id=${record.id} name=${quoted(record.name)} environment=${record.environment} scopes=${record.scopes.join(',')} first=true`);
    return { key, info: this.#info(record) };
  }

  /** Stores a key that exists already (an older deployment's), by its hash; false when it is known. */
  async adopt(input: { name: string; key: string; scopes: readonly ApiKeyScope[] }): Promise<boolean> {
    const hash = hashApiKey(input.key);
    if (await this.#store.byHash(hash)) return false;
    const id = `ak_${randomBytes(6).toString('hex')}`;
    const format = checkApiKeyFormat(input.key);
    const environment = format === 'valid' ? (input.key.startsWith('sv_test_') ? 'test' : 'live') : 'legacy';
    const record: ApiKeyRecord = { id, name: input.name, environment, scopes: [...input.scopes], hash, preview: previewApiKey(input.key), createdAt: this.#now(), lastUsedAt: null, revokedAt: null };
    await this.#store.add(record);
    this.#audit(`apikey.adopt id=${id} name=${quoted(input.name)} scopes=${record.scopes.join(',')}`);
    return true;
  }

  /** Every key, revoked ones included, the configured ones first. */
  async list(): Promise<ApiKeyInfo[]> {
    const stored = await this.#store.list();
    this.#audit(`apikey.list count=${stored.length + this.#configured.size}`);
    return [...[...this.#configured.values()].map((record) => this.#info(record)), ...stored.sort((a, b) => a.createdAt - b.createdAt).map((record) => this.#info(record))];
  }

  /** Revokes a stored key: it stops working on every instance at its next request. */
  async revoke(id: string): Promise<'revoked' | 'unknown' | 'configured'> {
    if ([...this.#configured.values()].some((record) => record.id === id)) return 'configured';
    const record = await this.#store.update(id, { revokedAt: this.#now() });
    if (record === null) return 'unknown';
    this.#audit(`apikey.revoke id=${id} name=${quoted(record.name)}`);
    return 'revoked';
  }

  /** Checks a presented key for `scope`, counting failures per `client` (a throttle key). */
  async authenticate(presented: string | null, scope: ApiKeyScope, client: string): Promise<ApiKeyCheck> {
    const counted = await this.#limiter.get(client);
    if (counted !== null && counted.consumedPoints >= API_KEY_FAILURES_PER_CLIENT.points) {
      this.#audit(`apikey.throttled client=${client}`);
      return { ok: false, status: 429, code: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil(counted.msBeforeNext / 1000)) };
    }
    const record = await this.#find(presented);
    if (record === null || record === 'malformed' || record.revokedAt !== null) {
      const reason = record === null ? (presented === null ? 'missing' : 'unknown') : record === 'malformed' ? 'malformed' : 'revoked';
      this.#audit(`apikey.failure client=${client} reason=${reason}${typeof record === 'object' && record ? ` id=${record.id}` : ''}`);
      await this.#limiter.penalty(client).catch((error: unknown) => {
        if (!(error instanceof RateLimiterRes)) throw error;
      });
      return { ok: false, status: 401, code: 'invalid_api_key' };
    }
    if (!record.scopes.includes(scope)) {
      this.#audit(`apikey.denied id=${record.id} scope=${scope} client=${client}`);
      return { ok: false, status: 403, code: 'insufficient_scope', scope };
    }
    const now = this.#now();
    if (!this.#configured.has(record.hash) && (record.lastUsedAt === null || now - record.lastUsedAt >= LAST_USED_RESOLUTION_MS)) {
      await this.#store.update(record.id, { lastUsedAt: now });
      record.lastUsedAt = now;
    }
    return { ok: true, key: this.#info(record) };
  }

  async #find(presented: string | null): Promise<ApiKeyRecord | 'malformed' | null> {
    if (presented === null) return null;
    if (presented.length > MAX_PRESENTED_KEY_LENGTH || checkApiKeyFormat(presented) === 'corrupt') return 'malformed';
    const hash = hashApiKey(presented);
    return this.#configured.get(hash) ?? (await this.#store.byHash(hash));
  }

  #newRecord(input: { name: string; scopes: readonly ApiKeyScope[]; environment?: ApiKeyEnvironment }): { key: string; record: ApiKeyRecord } {
    if (!NAME.test(input.name)) throw new RangeError('name must be 1–64 letters, digits, spaces, dots, dashes or underscores');
    if (input.scopes.length === 0 || !input.scopes.every(isApiKeyScope)) throw new RangeError(`scopes must be a non-empty subset of ${API_KEY_SCOPES.join(', ')}`);
    const environment = input.environment ?? 'live';
    const key = generateApiKey(environment);
    const scopes = API_KEY_SCOPES.filter((scope) => input.scopes.includes(scope));
    const record: ApiKeyRecord = {
      id: `ak_${randomBytes(6).toString('hex')}`,
      name: input.name,
      environment,
      scopes,
      hash: hashApiKey(key),
      preview: previewApiKey(key),
      createdAt: this.#now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    return { key, record };
  }

  #info(record: ApiKeyRecord): ApiKeyInfo {
    const { hash: _hash, ...info } = record;
    return { ...info, configured: this.#configured.has(record.hash) };
  }
}
