// API keys of the in-process store: `<dataDir>/api-keys.json` (hashes and names, 0600) and
// `<dataDir>/api-keys-last-used.json`. The key list is read again whenever the file changed, so
// keys created or revoked by `npm run keys` in another process count at once; each change re-reads
// the file right before replacing it, holding `api-keys.json.lock` meanwhile. Last-used times have
// their own file, written only by the server, so they never race with such a change.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock } from '../file-lock.ts';
import { createFileOnce, writeFileAtomic } from '../write-file-atomic.ts';
import type { ApiKeyRecord, ApiKeyStore } from './shared-store.ts';

async function readJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
}

export class FileApiKeys implements ApiKeyStore {
  readonly #file: string;
  readonly #usedFile: string;
  #records: ApiKeyRecord[] = [];
  #version = '';
  #lastUsed: Record<string, number> | null = null;
  #changing: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'api-keys.json');
    this.#usedFile = path.join(dataDir, 'api-keys-last-used.json');
  }

  async byHash(hash: string): Promise<ApiKeyRecord | null> {
    return (await this.#current()).find((record) => record.hash === hash) ?? null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.#current();
  }

  async add(record: ApiKeyRecord): Promise<void> {
    await this.#change((records) => [...records, record]);
  }

  async addFirst(record: ApiKeyRecord): Promise<boolean> {
    // The file is created with an exclusive link: of several instances starting on a fresh folder,
    // exactly one writes the first key.
    const created = await createFileOnce(this.#file, `${JSON.stringify([record], null, 2)}\n`);
    if (created) this.#version = '';
    return created;
  }

  async update(id: string, change: { lastUsedAt?: number; revokedAt?: number }): Promise<ApiKeyRecord | null> {
    if (change.lastUsedAt !== undefined) {
      const used = await this.#usedTimes();
      used[id] = change.lastUsedAt;
      const snapshot = `${JSON.stringify(used)}\n`;
      const write = this.#changing.catch(() => {}).then(() => writeFileAtomic(this.#usedFile, snapshot));
      this.#changing = write;
      await write;
    }
    if (change.revokedAt !== undefined) {
      const at = change.revokedAt;
      await this.#change((records) => records.map((record) => (record.id === id && record.revokedAt === null ? { ...record, revokedAt: at } : record)));
    }
    return (await this.#current()).find((record) => record.id === id) ?? null;
  }

  /** The records as the file holds them now, with their last-used times. */
  async #current(): Promise<ApiKeyRecord[]> {
    const info = await stat(this.#file).catch(() => null);
    const version = info ? `${info.ino}:${info.mtimeMs}:${info.size}` : 'none';
    if (version !== this.#version) {
      this.#records = await readJson<ApiKeyRecord[]>(this.#file, []);
      this.#version = version;
    }
    const used = await this.#usedTimes();
    return this.#records.map((record) => ({ ...record, lastUsedAt: used[record.id] ?? record.lastUsedAt }));
  }

  async #usedTimes(): Promise<Record<string, number>> {
    this.#lastUsed ??= await readJson<Record<string, number>>(this.#usedFile, {});
    return this.#lastUsed;
  }

  /** Re-reads, edits (null: no change) and replaces the key file, one change at a time. */
  #change(edit: (records: ApiKeyRecord[]) => ApiKeyRecord[] | null): Promise<void> {
    // One change at a time in this process, and under the file's lock across processes (the
    // server and `npm run keys`), so no change is written over one made in between.
    const next = this.#changing.catch(() => {}).then(() =>
      withFileLock(this.#file, async () => {
        const records = edit(await readJson<ApiKeyRecord[]>(this.#file, []));
        if (records === null) return;
        await writeFileAtomic(this.#file, `${JSON.stringify(records, null, 2)}\n`);
        this.#version = '';
      }),
    );
    this.#changing = next;
    return next;
  }
}
