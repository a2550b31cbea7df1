// Clean renders shared by every instance through Redis, with an expiry so a document's old
// versions age out. Configured like the Redis store (a URL, or a client of your own); `ioredis`
// is loaded only when this cache is used.
import type { Redis } from 'ioredis';
import type { RenderCache } from './render-cache.ts';

export interface RedisRenderCacheOptions {
  /** `redis://…` or `rediss://…`; ignored when `client` is given. */
  url?: string;
  /** A connected ioredis client to use instead of `url` (the cache does not close it). */
  client?: Redis;
  /** Prefix of every key; default `sv:render:`. */
  prefix?: string;
  /** How long an entry lives; default one day. */
  ttlSeconds?: number;
  /** Larger entries are not stored; default 8 MiB. */
  maxEntryBytes?: number;
}

export async function createRedisRenderCache(options: RedisRenderCacheOptions): Promise<RenderCache> {
  if (!options.client && !options.url) throw new TypeError('createRedisRenderCache needs a url or a client');
  let client = options.client;
  if (!client) {
    const { Redis } = await import('ioredis');
    client = new Redis(options.url!, { lazyConnect: true, maxRetriesPerRequest: 2 });
    client.on('error', () => {});
    await client.connect();
  }
  const redis = client;
  const owned = options.client === undefined;
  const prefix = options.prefix ?? 'sv:render:';
  const ttl = options.ttlSeconds ?? 24 * 60 * 60;
  const maxEntryBytes = options.maxEntryBytes ?? 8 * 1024 * 1024;
  return {
    async get(key) {
      const value = await redis.getBuffer(prefix + key).catch(() => null);
      return value ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : null;
    },
    async set(key, value) {
      if (value.byteLength > maxEntryBytes) return;
      await redis.set(prefix + key, Buffer.from(value.buffer, value.byteOffset, value.byteLength), 'EX', ttl).catch(() => {});
    },
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
