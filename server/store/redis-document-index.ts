// The document index in one Redis hash. Documents never change once stored, so a document found
// once is kept in memory: serving a known document costs no Redis round trip.
import type { Redis } from 'ioredis';
import { isValidDocumentId, type DocumentMeta } from '../document-meta.ts';
import type { DocumentIndex } from './shared-store.ts';

export class RedisDocumentIndex implements DocumentIndex {
  readonly #cache = new Map<string, DocumentMeta>();
  readonly #key: string;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.#key = `${prefix}documents`;
  }

  async get(id: string): Promise<DocumentMeta | null> {
    if (!isValidDocumentId(id)) return null;
    const cached = this.#cache.get(id);
    if (cached) return cached;
    const text = await this.client.hget(this.#key, id);
    if (text === null) return null;
    const meta = JSON.parse(text) as DocumentMeta;
    this.#cache.set(id, meta);
    return meta;
  }

  async put(meta: DocumentMeta): Promise<void> {
    await this.client.hset(this.#key, meta.id, JSON.stringify(meta));
    this.#cache.set(meta.id, meta);
  }

  async list(): Promise<DocumentMeta[]> {
    const all = await this.client.hgetall(this.#key);
    return Object.values(all).map((text) => JSON.parse(text) as DocumentMeta);
  }
}
