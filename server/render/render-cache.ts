// Where clean renders (no watermark) are kept, by document version, page and scale: in this
// process by default, or shared by several instances (createRedisRenderCache). A cache that
// fails is treated as a miss: rendering again is always correct.

export interface RenderCache {
  get(key: string): Promise<Uint8Array | null>;
  set(key: string, value: Uint8Array): Promise<void>;
  /** Releases connections; the in-process cache has none. */
  close(): Promise<void>;
}

export interface MemoryRenderCacheOptions {
  /** Bytes kept at most, least recently used out first; default 128 MiB. */
  maxBytes?: number;
}

/** An in-process least-recently-used cache bounded by bytes. */
export function createMemoryRenderCache(options: MemoryRenderCacheOptions = {}): RenderCache {
  const maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
  const entries = new Map<string, Uint8Array>();
  let total = 0;
  return {
    async get(key) {
      const value = entries.get(key);
      if (!value) return null;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    async set(key, value) {
      if (value.byteLength > maxBytes) return;
      const previous = entries.get(key);
      if (previous) {
        entries.delete(key);
        total -= previous.byteLength;
      }
      entries.set(key, value);
      total += value.byteLength;
      for (const [oldest, evicted] of entries) {
        if (total <= maxBytes) break;
        entries.delete(oldest);
        total -= evicted.byteLength;
      }
    },
    async close() {
      entries.clear();
      total = 0;
    },
  };
}
