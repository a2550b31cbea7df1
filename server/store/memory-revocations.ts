// Revocations held in this process and written to one file (0600), so a restart keeps them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../write-file-atomic.ts';
import { RevocationView, type RevocationSnapshot } from './revocation-view.ts';
import type { RevocationList, RevocationSubject } from './shared-store.ts';

export class MemoryRevocations implements RevocationList {
  readonly #view = new RevocationView();
  #writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string | null) {}

  /** `dataDir` null keeps revocations in memory only. */
  static async open(dataDir: string | null): Promise<MemoryRevocations> {
    const list = new MemoryRevocations(dataDir === null ? null : path.join(dataDir, 'revocations.json'));
    if (list.file === null) return list;
    try {
      list.#view.replace(JSON.parse(await readFile(list.file, 'utf8')) as RevocationSnapshot);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return list;
  }

  isRevoked(token: RevocationSubject): boolean {
    return this.#view.isRevoked(token);
  }

  revokedBefore(doc: string): number {
    return this.#view.revokedBefore(doc);
  }

  async currentRevocation(doc: string): Promise<number> {
    return this.#view.revokedBefore(doc);
  }

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    this.#view.addToken(jti, expiresAt);
    await this.#persist();
  }

  async revokeDocument(doc: string, at: number): Promise<void> {
    this.#view.addDocument(doc, at);
    await this.#persist();
  }

  flush(): Promise<void> {
    return this.#writing;
  }

  #persist(): Promise<void> {
    const file = this.file;
    if (file === null) return Promise.resolve();
    const snapshot = `${JSON.stringify(this.#view.snapshot())}\n`;
    // Serialised, so an older snapshot never lands after a newer one. Unlike refresh families,
    // a lost revocation would silently re-admit tokens, so a failed write is reported.
    this.#writing = this.#writing.catch(() => {}).then(() => writeFileAtomic(file, snapshot));
    return this.#writing;
  }
}
