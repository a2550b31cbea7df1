// Refresh families held in this process, written to one file (0600) so a restart keeps them.
// Only one process may use that file: several instances need the Redis store.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FAMILY_LIFETIME_MS, IDLE_TIMEOUT_MS, REUSE_GRACE_MS, hashRefreshToken, newRefreshToken } from '../refresh-policy.ts';
import { writeFileAtomic } from '../write-file-atomic.ts';
import type { RefreshFamilies, RotateResult } from './shared-store.ts';

interface Family {
  id: string;
  doc: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number;
  revoked: boolean;
  current: string;
  used: string[];
}

export class MemoryRefreshFamilies implements RefreshFamilies {
  readonly #families = new Map<string, Family>();
  readonly #byHash = new Map<string, string>();
  /** Rotated token hash → successor raw value, kept in memory only for the grace window. */
  readonly #graceSuccessors = new Map<string, { token: string; until: number }>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string | null,
    private readonly now: () => number,
  ) {}

  /** `dataDir` null keeps families in memory only. */
  static async open(dataDir: string | null, now: () => number = Date.now): Promise<MemoryRefreshFamilies> {
    const store = new MemoryRefreshFamilies(dataDir === null ? null : path.join(dataDir, 'refresh-families.json'), now);
    if (store.file === null) return store;
    try {
      const families = JSON.parse(await readFile(store.file, 'utf8')) as Family[];
      for (const family of families) store.#index(family);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return store;
  }

  async create(doc: string): Promise<{ token: string; maxAgeSeconds: number }> {
    const now = this.now();
    const token = newRefreshToken();
    const family: Family = {
      id: randomUUID(),
      doc,
      createdAt: now,
      expiresAt: now + FAMILY_LIFETIME_MS,
      lastUsedAt: now,
      revoked: false,
      current: hashRefreshToken(token),
      used: [],
    };
    this.#index(family);
    this.#persist();
    return { token, maxAgeSeconds: Math.floor(FAMILY_LIFETIME_MS / 1000) };
  }

  async rotate(token: string, doc: string): Promise<RotateResult> {
    const now = this.now();
    const tokenHash = hashRefreshToken(token);
    const family = this.#families.get(this.#byHash.get(tokenHash) ?? '');
    if (!family || family.doc !== doc || family.revoked) return { kind: 'invalid' };
    if (now >= family.expiresAt || now - family.lastUsedAt > IDLE_TIMEOUT_MS) {
      this.#revoke(family);
      return { kind: 'invalid' };
    }
    const maxAgeSeconds = Math.max(0, Math.floor((family.expiresAt - now) / 1000));
    if (tokenHash !== family.current) {
      const grace = this.#graceSuccessors.get(tokenHash);
      if (grace && now < grace.until && hashRefreshToken(grace.token) === family.current) {
        return { kind: 'ok', token: grace.token, doc, maxAgeSeconds };
      }
      this.#revoke(family);
      return { kind: 'reuse', doc };
    }
    const successor = newRefreshToken();
    family.used.push(tokenHash);
    family.current = hashRefreshToken(successor);
    family.lastUsedAt = now;
    this.#byHash.set(family.current, family.id);
    this.#graceSuccessors.set(tokenHash, { token: successor, until: now + REUSE_GRACE_MS });
    setTimeout(() => this.#graceSuccessors.delete(tokenHash), REUSE_GRACE_MS).unref();
    this.#persist();
    return { kind: 'ok', token: successor, doc, maxAgeSeconds };
  }

  async revokeDocument(doc: string): Promise<void> {
    for (const family of this.#families.values()) if (family.doc === doc) this.#revoke(family);
  }

  /** Waits for pending writes (used on shutdown). */
  flush(): Promise<void> {
    return this.#writing;
  }

  #revoke(family: Family): void {
    if (family.revoked) return;
    family.revoked = true;
    this.#persist();
  }

  #index(family: Family): void {
    this.#families.set(family.id, family);
    this.#byHash.set(family.current, family.id);
    for (const used of family.used) this.#byHash.set(used, family.id);
  }

  #persist(): void {
    const now = this.now();
    // Drop families past their absolute lifetime; their tokens are dead either way.
    for (const family of this.#families.values()) {
      if (now >= family.expiresAt) {
        this.#families.delete(family.id);
        this.#byHash.delete(family.current);
        for (const used of family.used) this.#byHash.delete(used);
      }
    }
    const file = this.file;
    if (file === null) return;
    const snapshot = `${JSON.stringify([...this.#families.values()])}\n`;
    this.#writing = this.#writing
      .then(() => writeFileAtomic(file, snapshot))
      .catch(() => {
        // Persistence is best effort; the in-memory state stays authoritative.
      });
  }
}

