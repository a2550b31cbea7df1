import { ViewerError } from '../errors.ts';
import { AuthorizedFetch } from '../fetch/authorized-fetch.ts';
import type { TokenAccess } from '../net/token-access.ts';
import { discard } from '../net/outcome.ts';
import { readManifest, type ServerManifest } from './manifest.ts';
import { parsePageText, type PageText } from './page-text.ts';

/** A manifest is a few kilobytes per hundred pages; anything past this is not one. */
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

const decoder = new TextDecoder();

function notExpected(what: string): ViewerError {
  return new ViewerError('invalid-document', { message: `The server's answer is not the expected ${what}.` });
}

/**
 * The requests of a server-rendered document: its manifest, page images, page text and stamped
 * download, each through the authorized transport (token in the header only, no cookies, no
 * redirects, one renewal on 401), none with a `Range`. An answer of the wrong kind is not read.
 */
export class ServerPagesClient {
  readonly #tokens: TokenAccess;
  readonly #signal: AbortSignal;

  constructor(tokens: TokenAccess, signal: AbortSignal) {
    this.#tokens = tokens;
    this.#signal = signal;
  }

  async manifest(url: string): Promise<ServerManifest> {
    const text = await this.#get(url, (type) => /[/+]json\b/i.test(type), 'page manifest', async (response, transport) => {
      const chunks: Uint8Array[] = [];
      let length = 0;
      await transport.readChunks(response, (bytes) => {
        length += bytes.byteLength;
        chunks.push(bytes);
        return length <= MAX_MANIFEST_BYTES;
      });
      if (length > MAX_MANIFEST_BYTES) throw notExpected('page manifest');
      return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
    });
    return readManifest(text);
  }

  /** A page image, as a Blob of its own type. */
  async image(url: string): Promise<Blob> {
    return this.#get(url, (type) => /^image\//i.test(type), 'page image', async (response, transport) => {
      const bytes = await transport.readBody(response);
      return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: response.headers.get('Content-Type') ?? '' });
    });
  }

  /** A page's text runs (only for a token that allows copying). */
  async text(url: string): Promise<PageText> {
    const text = await this.#get(url, (type) => /[/+]json\b/i.test(type), 'page text', async (response, transport) => decoder.decode(await transport.readBody(response)));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw notExpected('page text');
    }
    return parsePageText(value);
  }

  /** The server's stamped copy of the document, and the name it gives it. */
  async download(url: string): Promise<{ file: Blob; disposition: string | null }> {
    return this.#get(url, (type) => /^application\/pdf\b/i.test(type), 'document', async (response, transport) => ({
      file: new Blob([(await transport.readBody(response)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }),
      disposition: response.headers.get('Content-Disposition'),
    }));
  }

  async #get<T>(url: string, accepts: (type: string) => boolean, what: string, read: (response: Response, transport: AuthorizedFetch) => Promise<T>): Promise<T> {
    const transport = new AuthorizedFetch(url, this.#tokens, { signal: this.#signal });
    const { body } = await transport.request('', [200], async (response) => {
      if (!accepts(response.headers.get('Content-Type') ?? '')) {
        await discard(response);
        throw notExpected(what);
      }
      return read(response, transport);
    });
    return body;
  }
}
