// The embedded store: everything in this process, persisted to the data folder when one is given
// (so a restart keeps revocations and refresh sessions). One process per data folder; several
// instances share state through the Redis store instead.
import path from 'node:path';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { FolderDocumentIndex } from './folder-document-index.ts';
import { MemoryRefreshFamilies } from './memory-refresh-families.ts';
import { MemoryRevocations } from './memory-revocations.ts';
import type { LimiterRule, SharedStore } from './shared-store.ts';

export interface MemoryStoreOptions {
  /** Where revocations, refresh families and document metadata are kept. */
  dataDir: string;
  /** Clock for refresh families (tests); default Date.now. */
  now?: () => number;
}

/** Creates the in-process store. */
export async function createMemoryStore(options: MemoryStoreOptions): Promise<SharedStore> {
  const [revocations, refreshFamilies, documents] = await Promise.all([
    MemoryRevocations.open(options.dataDir),
    MemoryRefreshFamilies.open(options.dataDir, options.now),
    FolderDocumentIndex.open(path.join(options.dataDir, 'documents')),
  ]);
  const limiters = new Map<string, RateLimiterMemory>();
  return {
    revocations,
    refreshFamilies,
    documents,
    limiter(rule: LimiterRule): RateLimiterAbstract {
      let limiter = limiters.get(rule.name);
      if (!limiter) {
        limiter = new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds });
        limiters.set(rule.name, limiter);
      }
      return limiter;
    },
    async close() {
      await Promise.all([revocations.flush().catch(() => {}), refreshFamilies.flush()]);
    },
  };
}
