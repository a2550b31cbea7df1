// Refresh tokens for the password flow (B-7, B-8): opaque 256-bit values, stored only as
// SHA-256 hashes, rotated on every use, with reuse detection that revokes the whole family and
// an absolute lifetime that rotation never extends.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const FAMILY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A refresh token unused for this long is dead even inside the absolute lifetime. */
export const IDLE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
/**
 * Two tabs refreshing with the same cookie at once both get the same successor if the second
 * arrives within this window; later replays count as reuse.
 */
export const REUSE_GRACE_MS = 5_000;

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

export type RotateResult =
  | { kind: 'ok'; token: string; doc: string; maxAgeSeconds: number }
  | { kind: 'invalid' }
  | { kind: 'reuse'; doc: string };

function hash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export class RefreshStore {
  readonly #families = new Map<string, Family>();
  readonly #byHash = new Map<string, string>();
  /** Rotated token hash → successor raw value, kept in memory only for the grace window. */
  readonly #graceSuccessors = new Map<string, { token: string; until: number }>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly now: () => number,
  ) {}

  static async open(dataDir: string, now: () => number = Date.now): Promise<RefreshStore> {
    const store = new RefreshStore(path.join(dataDir, 'refresh-families.json'), now);
    try {
      const families = JSON.parse(await readFile(store.file, 'utf8')) as Family[];
      for (const family of families) store.#index(family);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return store;
  }

  /** Starts a family after a successful password exchange; returns the raw cookie value. */
  create(doc: string): { token: string; maxAgeSeconds: number } {
    const now = this.now();
    const token = newToken();
    const family: Family = {
      id: randomUUID(),
      doc,
      createdAt: now,
      expiresAt: now + FAMILY_LIFETIME_MS,
      lastUsedAt: now,
      revoked: false,
      current: hash(token),
      used: [],
    };
    this.#index(family);
    this.#persist();
    return { token, maxAgeSeconds: Math.floor(FAMILY_LIFETIME_MS / 1000) };
  }

  /** Exchanges a refresh token for its successor, for the given document only. */
  rotate(token: string, doc: string): RotateResult {
    const now = this.now();
    const tokenHash = hash(token);
    const family = this.#families.get(this.#byHash.get(tokenHash) ?? '');
    if (!family || family.doc !== doc || family.revoked) return { kind: 'invalid' };
    if (now >= family.expiresAt || now - family.lastUsedAt > IDLE_TIMEOUT_MS) {
      this.#revoke(family);
      return { kind: 'invalid' };
    }
    const maxAgeSeconds = Math.max(0, Math.floor((family.expiresAt - now) / 1000));
    if (tokenHash !== family.current) {
      const grace = this.#graceSuccessors.get(tokenHash);
      if (grace && now < grace.until && hash(grace.token) === family.current) {
        return { kind: 'ok', token: grace.token, doc, maxAgeSeconds };
      }
      this.#revoke(family);
      return { kind: 'reuse', doc };
    }
    const successor = newToken();
    family.used.push(tokenHash);
    family.current = hash(successor);
    family.lastUsedAt = now;
    this.#byHash.set(family.current, family.id);
    this.#graceSuccessors.set(tokenHash, { token: successor, until: now + REUSE_GRACE_MS });
    setTimeout(() => this.#graceSuccessors.delete(tokenHash), REUSE_GRACE_MS).unref();
    this.#persist();
    return { kind: 'ok', token: successor, doc, maxAgeSeconds };
  }

  /** Revokes every family of a document (administrative revocation). */
  revokeDocument(doc: string): void {
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
    const snapshot = `${JSON.stringify([...this.#families.values()])}\n`;
    this.#writing = this.#writing
      .then(async () => {
        await writeFile(`${this.file}.tmp`, snapshot, { mode: 0o600 });
        await rename(`${this.file}.tmp`, this.file);
      })
      .catch(() => {
        // Persistence is best effort; the in-memory state stays authoritative.
      });
  }
}
