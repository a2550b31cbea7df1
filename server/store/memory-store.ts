// The embedded store: everything in this process, persisted to the data folder when one is given
// (so a restart keeps revocations and refresh sessions). One process per data folder; several
// instances share state through the Redis store instead.
import path from 'node:path';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { FileApiKeys } from './file-api-keys.ts';
import { FileSigningKeys } from './file-signing-keys.ts';
import { FolderDocumentIndex } from './folder-document-index.ts';
import { MemoryAccountabilityLog } from './memory-accountability-log.ts';
import { MemoryRefreshFamilies } from './memory-refresh-families.ts';
import { MemoryRevocations } from './memory-revocations.ts';
import type { LimiterRule, SharedStore } from './shared-store.ts';

export interface MemoryStoreOptions {
  /** Where revocations, refresh families, document metadata and the accountability log are kept. */
  dataDir: string;
  /** Clock for refresh families (tests); default Date.now. */
  now?: () => number;
  /**
   * Called when refresh sessions could not be written to the data folder (they stay valid in this
   * process, but a restart would lose the change). Default: one line on stderr.
   */
  onPersistError?: (error: Error) => void;
}

function reportPersistError(error: Error): void {
  const code = (error as NodeJS.ErrnoException).code ?? error.name;
  process.stderr.write(`secure-viewer: refresh sessions could not be written to the data folder (${code})\n`);
}

/** Creates the in-process store. */
export async function createMemoryStore(options: MemoryStoreOptions): Promise<SharedStore> {
  const [revocations, refreshFamilies, documents, accountability] = await Promise.all([
    MemoryRevocations.open(options.dataDir),
    MemoryRefreshFamilies.open(options.dataDir, {
      ...(options.now ? { now: options.now } : {}),
      onPersistError: options.onPersistError ?? reportPersistError,
    }),
    FolderDocumentIndex.open(path.join(options.dataDir, 'documents')),
    MemoryAccountabilityLog.open(options.dataDir),
  ]);
  const limiters = new Map<string, RateLimiterMemory>();
  return {
    revocations,
    refreshFamilies,
    documents,
    signingKeys: new FileSigningKeys(path.join(options.dataDir, 'keys')),
    apiKeys: new FileApiKeys(options.dataDir),
    accountability,
    limiter(rule: LimiterRule): RateLimiterAbstract {
      let limiter = limiters.get(rule.name);
      if (!limiter) {
        limiter = new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds });
        limiters.set(rule.name, limiter);
      }
      return limiter;
    },
    async close() {
      await Promise.all([revocations.flush().catch(() => {}), refreshFamilies.flush(), accountability.flush().catch(() => {})]);
    },
  };
}
