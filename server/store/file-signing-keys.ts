// The signing key set of the in-process store: `<dataDir>/keys/signing-keys.json` (0600), created
// once with an exclusive link so instances starting together on a fresh folder share one first
// key. Changes are written whole (they are rare) under a lock file, through a temporary file and a
// rename; rings of this process hear of them at once, other processes on the folder at their next
// reload.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock } from '../file-lock.ts';
import type { StoredSigningKey } from '../signing-keys.ts';
import { createFileOnce, writeFileAtomic } from '../write-file-atomic.ts';
import type { SigningKeyStore } from './shared-store.ts';

export class FileSigningKeys implements SigningKeyStore {
  readonly #file: string;
  #changing: Promise<unknown> = Promise.resolve();
  readonly #listeners: Array<() => void> = [];

  constructor(private readonly folder: string) {
    this.#file = path.join(folder, 'signing-keys.json');
  }

  async load(first: () => Promise<StoredSigningKey>): Promise<StoredSigningKey[]> {
    const existing = await this.#read();
    if (existing !== null) return existing;
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const created = [await first()];
    if (await createFileOnce(this.#file, `${JSON.stringify(created, null, 2)}\n`)) return created;
    return (await this.#read()) ?? created;
  }

  add(key: StoredSigningKey): Promise<StoredSigningKey[]> {
    return this.#change((keys) => [...keys.filter((known) => known.kid !== key.kid), key]);
  }

  remove(kid: string): Promise<StoredSigningKey[]> {
    return this.#change((keys) => keys.filter((key) => key.kid !== kid));
  }

  /**
   * Read, change, write, one change at a time, under the file's lock across processes (a server
   * and `npm run keys`), so a rotation never writes over a key added in between.
   */
  #change(edit: (keys: StoredSigningKey[]) => StoredSigningKey[]): Promise<StoredSigningKey[]> {
    const next = this.#changing.catch(() => {}).then(async () => {
      const keys = await withFileLock(this.#file, async () => {
        const changed = edit((await this.#read()) ?? []);
        await writeFileAtomic(this.#file, `${JSON.stringify(changed, null, 2)}\n`);
        return changed;
      });
      for (const listener of this.#listeners) listener();
      return keys;
    });
    this.#changing = next;
    return next;
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async #read(): Promise<StoredSigningKey[] | null> {
    try {
      return JSON.parse(await readFile(this.#file, 'utf8')) as StoredSigningKey[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
