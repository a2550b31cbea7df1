// The shared store on Redis: several server instances see the same revocations, throttle
// counters, refresh families and documents. `ioredis` is loaded only when this store is used.
import type { Redis } from 'ioredis';
import { RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RedisApiKeys } from './redis-api-keys.ts';
import { RedisAccountabilityLog } from './redis-accountability-log.ts';
import { RedisDocumentIndex } from './redis-document-index.ts';
import { RedisRefreshFamilies } from './redis-refresh-families.ts';
import { RedisRevocations } from './redis-revocations.ts';
import { RedisSigningKeys } from './redis-signing-keys.ts';
import type { LimiterRule, SharedStore } from './shared-store.ts';

export interface RedisStoreOptions {
  /** `redis://…` or `rediss://…`; ignored when `client` is given. */
  url?: string;
  /** A connected ioredis client to use instead of `url` (the store does not close it). */
  client?: Redis;
  /** Prefix of every key and channel, so several deployments can share one Redis; default `sv:`. */
  prefix?: string;
  /** How long the first connection may take; default 5000 ms. */
  connectTimeoutMs?: number;
  /** Clock for refresh families (tests); default Date.now. */
  now?: () => number;
}

/** Redis could not be reached when the store was created. */
export class StoreUnavailableError extends Error {}

/** Where a URL points, without its credentials, for messages. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the configured Redis';
  }
}

async function connect(url: string, timeoutMs: number): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 2 });
  // Without a listener, ioredis prints every failed reconnect; the caller reports failures.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.disconnect();
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new StoreUnavailableError(`Redis at ${describe(url)} is unreachable (${reason})`);
  }
}

/** Connects to Redis and loads the revocation view; throws {@link StoreUnavailableError} if Redis is down. */
export async function createRedisStore(options: RedisStoreOptions): Promise<SharedStore> {
  const prefix = options.prefix ?? 'sv:';
  const ownsClient = options.client === undefined;
  if (!options.client && !options.url) throw new TypeError('createRedisStore needs a url or a client');
  const client = options.client ?? (await connect(options.url!, options.connectTimeoutMs ?? 5000));
  // A subscribed connection can run no other commands: revocation announcements get their own.
  const subscriber = client.duplicate();
  subscriber.on('error', () => {});
  const [revocations, signingKeys] = await Promise.all([RedisRevocations.open(client, subscriber, prefix), RedisSigningKeys.open(client, subscriber, prefix)]).catch(
    (error: unknown) => {
      subscriber.disconnect();
      if (ownsClient) client.disconnect();
      throw error;
    },
  );
  const limiters = new Map<string, RateLimiterRedis>();
  return {
    revocations,
    refreshFamilies: new RedisRefreshFamilies(client, prefix, options.now),
    documents: new RedisDocumentIndex(client, prefix),
    signingKeys,
    apiKeys: new RedisApiKeys(client, prefix),
    accountability: new RedisAccountabilityLog(client, prefix),
    limiter(rule: LimiterRule): RateLimiterAbstract {
      let limiter = limiters.get(rule.name);
      if (!limiter) {
        limiter = new RateLimiterRedis({
          storeClient: client,
          keyPrefix: `${prefix}limit:${rule.name}`,
          points: rule.points,
          duration: rule.durationSeconds,
        });
        limiters.set(rule.name, limiter);
      }
      return limiter;
    },
    async close() {
      subscriber.disconnect();
      if (ownsClient) await client.quit().catch(() => client.disconnect());
    },
  };
}
