// API keys in Redis: `api-keys` (id → record JSON), `api-key-hashes` (hash → id) and
// `api-keys-used` (id → last use, ms). Every check reads Redis, so a key revoked on one instance
// is refused by all at their next request.
import type { Redis } from 'ioredis';
import type { ApiKeyRecord, ApiKeyStore } from './shared-store.ts';

const ADD_FIRST = `
if redis.call('HLEN', KEYS[1]) > 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return 1`;

const REVOKE = `
local text = redis.call('HGET', KEYS[1], ARGV[1])
if not text then return nil end
local record = cjson.decode(text)
if record['revokedAt'] == cjson.null or record['revokedAt'] == nil then
  record['revokedAt'] = tonumber(ARGV[2])
  text = cjson.encode(record)
  redis.call('HSET', KEYS[1], ARGV[1], text)
end
return text`;

export class RedisApiKeys implements ApiKeyStore {
  readonly #records: string;
  readonly #hashes: string;
  readonly #used: string;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.#records = `${prefix}api-keys`;
    this.#hashes = `${prefix}api-key-hashes`;
    this.#used = `${prefix}api-keys-used`;
  }

  async byHash(hash: string): Promise<ApiKeyRecord | null> {
    const id = await this.client.hget(this.#hashes, hash);
    if (id === null) return null;
    const [text, used] = await Promise.all([this.client.hget(this.#records, id), this.client.hget(this.#used, id)]);
    return text === null ? null : this.#parse(text, used);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const [records, used] = await Promise.all([this.client.hgetall(this.#records), this.client.hgetall(this.#used)]);
    return Object.entries(records).map(([id, text]) => this.#parse(text, used[id] ?? null));
  }

  async add(record: ApiKeyRecord): Promise<void> {
    await this.client.multi().hset(this.#records, record.id, JSON.stringify(record)).hset(this.#hashes, record.hash, record.id).exec();
  }

  async addFirst(record: ApiKeyRecord): Promise<boolean> {
    return (await this.client.eval(ADD_FIRST, 2, this.#records, this.#hashes, record.id, record.hash, JSON.stringify(record))) === 1;
  }

  async update(id: string, change: { lastUsedAt?: number; revokedAt?: number }): Promise<ApiKeyRecord | null> {
    if (change.lastUsedAt !== undefined) await this.client.hset(this.#used, id, String(change.lastUsedAt));
    let text: string | null;
    if (change.revokedAt !== undefined) text = (await this.client.eval(REVOKE, 1, this.#records, id, String(change.revokedAt))) as string | null;
    else text = await this.client.hget(this.#records, id);
    return text === null ? null : this.#parse(text, await this.client.hget(this.#used, id));
  }

  #parse(text: string, used: string | null): ApiKeyRecord {
    const record = JSON.parse(text) as ApiKeyRecord;
    return { ...record, revokedAt: record.revokedAt ?? null, lastUsedAt: used === null ? record.lastUsedAt : Number(used) };
  }
}
