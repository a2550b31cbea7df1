// Whole documents held for the render workers, read once from their byte source into shared
// memory (handed to a worker without a copy) and kept by version, least recently used first out
// past a byte limit. Concurrent requests for one version share one read.
import { openByteRange } from '../byte-source.ts';
import type { ServedDocument } from '../handlers/document-handler.ts';
import { RenderFailure } from './render-failure.ts';
import type { DocumentRef } from './render-jobs.ts';

export interface DocumentBytesOptions {
  /** Bytes kept at most; default 256 MiB. A larger document is still read, used and let go. */
  maxBytes?: number;
  /** Larger documents are refused (`invalid_document`); default 200 MiB. */
  maxDocumentBytes?: number;
}

/** The cache key of one version of one document. */
export function documentKey(id: string, document: ServedDocument): string {
  return `${id}\u0000${document.etag}`;
}

export class DocumentBytes {
  readonly #maxBytes: number;
  readonly #maxDocumentBytes: number;
  readonly #held = new Map<string, Promise<DocumentRef>>();
  readonly #sizes = new Map<string, number>();
  #total = 0;

  constructor(options: DocumentBytesOptions = {}) {
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#maxDocumentBytes = options.maxDocumentBytes ?? 200 * 1024 * 1024;
  }

  get(id: string, document: ServedDocument): Promise<DocumentRef> {
    const key = documentKey(id, document);
    const known = this.#held.get(key);
    if (known) {
      this.#held.delete(key);
      this.#held.set(key, known);
      return known;
    }
    const reading = this.#read(key, document).catch((error: unknown) => {
      this.#forget(key);
      throw error;
    });
    this.#held.set(key, reading);
    this.#sizes.set(key, document.size);
    this.#total += document.size;
    this.#trim(key);
    return reading;
  }

  async #read(key: string, document: ServedDocument): Promise<DocumentRef> {
    if (document.size > this.#maxDocumentBytes) throw new RenderFailure('invalid_document', 'The document is too large to render.');
    const bytes = new SharedArrayBuffer(document.size);
    const view = new Uint8Array(bytes);
    let offset = 0;
    if (document.size > 0) {
      for await (const chunk of await openByteRange(document.source, 0, document.size - 1)) {
        const part = chunk as Uint8Array;
        if (offset + part.byteLength > document.size) throw new RenderFailure('invalid_document', 'The document is longer than its recorded size.');
        view.set(part, offset);
        offset += part.byteLength;
      }
    }
    if (offset !== document.size) throw new RenderFailure('invalid_document', 'The document is shorter than its recorded size.');
    return { key, bytes };
  }

  #forget(key: string): void {
    if (!this.#held.delete(key)) return;
    this.#total -= this.#sizes.get(key) ?? 0;
    this.#sizes.delete(key);
  }

  #trim(keep: string): void {
    for (const key of this.#held.keys()) {
      if (this.#total <= this.#maxBytes) return;
      if (key !== keep) this.#forget(key);
    }
  }
}
