// The document index of the in-process store: `<folder>/<id>.json` files, cached in memory. A
// miss looks at the folder again, so documents another process added to the same folder are found.
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isValidDocumentId, type DocumentMeta } from '../document-meta.ts';
import { writeFileAtomic } from '../write-file-atomic.ts';
import type { DocumentIndex } from './shared-store.ts';

export class FolderDocumentIndex implements DocumentIndex {
  readonly #cache = new Map<string, DocumentMeta>();

  private constructor(private readonly folder: string) {}

  static async open(folder: string): Promise<FolderDocumentIndex> {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const index = new FolderDocumentIndex(folder);
    for (const name of await readdir(folder)) {
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      await index.#load(id);
    }
    return index;
  }

  async get(id: string): Promise<DocumentMeta | null> {
    if (!isValidDocumentId(id)) return null;
    return this.#cache.get(id) ?? (await this.#load(id));
  }

  async put(meta: DocumentMeta): Promise<void> {
    await writeFileAtomic(path.join(this.folder, `${meta.id}.json`), `${JSON.stringify(meta, null, 2)}\n`);
    this.#cache.set(meta.id, meta);
  }

  async list(): Promise<DocumentMeta[]> {
    for (const name of await readdir(this.folder)) {
      if (name.endsWith('.json') && !this.#cache.has(name.slice(0, -5))) await this.#load(name.slice(0, -5));
    }
    return [...this.#cache.values()];
  }

  async #load(id: string): Promise<DocumentMeta | null> {
    if (!isValidDocumentId(id)) return null;
    try {
      const meta = JSON.parse(await readFile(path.join(this.folder, `${id}.json`), 'utf8')) as DocumentMeta;
      if (meta.id !== id) return null;
      this.#cache.set(id, meta);
      return meta;
    } catch {
      return null; // missing or half-written by another process: not (yet) a document
    }
  }
}
