// The page maps of the documents the accountability queries ask about: read from the document's
// own bytes the first time a query needs one (never while serving), kept per document version.
import { openByteRanges, type ByteSource } from '../byte-source.ts';
import { pagesTouched, readPageMap, type PageMap } from './page-map.ts';
import type { Span } from './span-set.ts';

/** The document as a page map needs it. */
export interface MappedDocument {
  size: number;
  etag: string;
  source: ByteSource;
}

/** Page maps kept; the least recently used goes first. */
const MAX_MAPS = 64;

export class PageMaps {
  readonly #documents: (id: string) => Promise<MappedDocument | null>;
  readonly #onError: (error: unknown) => void;
  readonly #maps = new Map<string, Promise<PageMap | null>>();

  constructor(documents: (id: string) => Promise<MappedDocument | null>, onError: (error: unknown) => void = () => {}) {
    this.#documents = documents;
    this.#onError = onError;
  }

  /**
   * The pages whose content `spans` of document `doc` (served when it had `size` bytes) carried;
   * null when that cannot be said: the document is gone or was replaced, or has no page map.
   */
  async pagesOf(doc: string, size: number, spans: readonly Span[]): Promise<number[] | null> {
    const document = await this.#documents(doc);
    if (!document || document.size !== size) return null;
    const key = `${doc}\u0000${document.etag}`;
    let map = this.#maps.get(key);
    if (map) {
      this.#maps.delete(key);
    } else {
      map = readMapOf(document).catch((error: unknown) => {
        this.#onError(error);
        return null;
      });
    }
    this.#maps.set(key, map);
    if (this.#maps.size > MAX_MAPS) this.#maps.delete(this.#maps.keys().next().value!);
    const resolved = await map;
    return resolved ? pagesTouched(resolved, spans.map(([start, end]) => ({ start, end }))) : null;
  }
}

async function readMapOf(document: MappedDocument): Promise<PageMap | null> {
  const ranges = await openByteRanges(document.source);
  try {
    return await readPageMap(async (start, end) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of ranges.read(start, end)) chunks.push(chunk);
      return Buffer.concat(chunks);
    }, document.size);
  } finally {
    await ranges.close();
  }
}
