// Refresh families held in this process and kept in the data folder (0600) so a restart keeps them:
// a snapshot plus a journal of changed families, one JSON line each, so a refresh appends one line
// instead of rewriting every session. The journal is folded into the snapshot at start and when it
// has grown well past the number of families. Only one process may use these files: several
// instances need the Redis store. Write failures are reported (`onPersistError`); the in-memory
// state stays authoritative meanwhile.
import { randomUUID } from 'node:crypto';
import { appendFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { FAMILY_LIFETIME_MS, IDLE_TIMEOUT_MS, REUSE_GRACE_MS, hashRefreshToken, newRefreshToken } from '../refresh-policy.ts';
import { readIfExists } from '../read-if-exists.ts';
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

/** The journal is folded into the snapshot once it has this many lines more than there are families. */
const JOURNAL_SLACK = 1000;

export interface MemoryRefreshFamiliesOptions {
  /** Clock (tests); default Date.now. */
  now?: () => number;
  /** Called when the snapshot or the journal could not be written. */
  onPersistError?: (error: Error) => void;
}

export class MemoryRefreshFamilies implements RefreshFamilies {
  readonly #families = new Map<string, Family>();
  readonly #byHash = new Map<string, string>();
  /** Rotated token hash → successor raw value, kept in memory only for the grace window. */
  readonly #graceSuccessors = new Map<string, { token: string; until: number }>();
  #writing: Promise<void> = Promise.resolve();
  #journalLines = 0;
  readonly #now: () => number;
  readonly #onPersistError: (error: Error) => void;

  private constructor(
    private readonly files: { snapshot: string; journal: string } | null,
    options: MemoryRefreshFamiliesOptions,
  ) {
    this.#now = options.now ?? Date.now;
    this.#onPersistError = options.onPersistError ?? (() => {});
  }

  /** `dataDir` null keeps families in memory only. A clock function as second argument is still accepted. */
  static async open(dataDir: string | null, options: MemoryRefreshFamiliesOptions | (() => number) = {}): Promise<MemoryRefreshFamilies> {
    const settings = typeof options === 'function' ? { now: options } : options;
    const files = dataDir === null ? null : { snapshot: path.join(dataDir, 'refresh-families.json'), journal: path.join(dataDir, 'refresh-families.journal') };
    const store = new MemoryRefreshFamilies(files, settings);
    if (files === null) return store;
    const snapshot = await readIfExists(files.snapshot);
    if (snapshot !== null) for (const family of JSON.parse(snapshot) as Family[]) store.#index(family);
    const journal = await readIfExists(files.journal);
    if (journal !== null) {
      for (const line of journal.split('\n')) {
        if (line === '') continue;
        try {
          store.#index(JSON.parse(line) as Family);
        } catch {
          // A line cut short by a crash: the change it describes was never confirmed.
        }
      }
    }
    if (journal !== null && journal !== '') store.#compact();
    await store.#writing;
    return store;
  }

  async create(doc: string): Promise<{ token: string; maxAgeSeconds: number }> {
    const now = this.#now();
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
    this.#record(family);
    return { token, maxAgeSeconds: Math.floor(FAMILY_LIFETIME_MS / 1000) };
  }

  async rotate(token: string, doc: string): Promise<RotateResult> {
    const now = this.#now();
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
    this.#record(family);
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
    this.#record(family);
  }

  #index(family: Family): void {
    const previous = this.#families.get(family.id);
    if (previous) for (const hash of [previous.current, ...previous.used]) this.#byHash.delete(hash);
    this.#families.set(family.id, family);
    this.#byHash.set(family.current, family.id);
    for (const used of family.used) this.#byHash.set(used, family.id);
  }

  /** Appends the family's new state to the journal, or folds the journal into a new snapshot. */
  #record(family: Family): void {
    const files = this.files;
    if (files === null) return;
    if (this.#journalLines >= this.#families.size + JOURNAL_SLACK) {
      this.#compact();
      return;
    }
    this.#journalLines++;
    // The line is taken now, so lines and snapshots land in the order of the changes they describe.
    const line = `${JSON.stringify(family)}\n`;
    this.#enqueue(() => appendFile(files.journal, line, { mode: 0o600 }));
  }

  #compact(): void {
    const files = this.files;
    if (files === null) return;
    const now = this.#now();
    // Drop families past their absolute lifetime; their tokens are dead either way.
    for (const family of this.#families.values()) {
      if (now >= family.expiresAt) {
        this.#families.delete(family.id);
        this.#byHash.delete(family.current);
        for (const used of family.used) this.#byHash.delete(used);
      }
    }
    this.#journalLines = 0;
    const snapshot = `${JSON.stringify([...this.#families.values()])}\n`;
    this.#enqueue(async () => {
      await writeFileAtomic(files.snapshot, snapshot);
      await truncate(files.journal, 0).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    });
  }

  #enqueue(write: () => Promise<void>): void {
    this.#writing = this.#writing.then(write).catch((error: unknown) => {
      this.#onPersistError(error instanceof Error ? error : new Error(String(error)));
    });
  }
}
