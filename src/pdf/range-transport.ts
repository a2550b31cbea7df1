import type { PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ViewerError, asViewerError } from '../errors.ts';
import type { DocumentClient } from './document-client.ts';

export interface RangeTransportOptions {
  /** Ranges fetched at the same time; browsers allow about six connections per origin. */
  maxParallel?: number;
  /** pdf.js has no error channel for a transport: a range that cannot be had ends the load here. */
  onFatal: (error: ViewerError) => void;
  /** Bytes delivered to pdf.js so far (for `sv-progress`). */
  onDelivered?: (loaded: number, total: number) => void;
}

type TransportBase = typeof PDFDataRangeTransport;

/** The transport class built on the loaded pdf.js. */
export type AuthorizedRangeTransportClass = new (
  client: DocumentClient,
  total: number,
  initial: Uint8Array,
  options: RangeTransportOptions,
) => PDFDataRangeTransport;

/**
 * Builds the transport class on top of the lazily loaded pdf.js base class. pdf.js asks for
 * byte ranges; we fetch them through the DocumentClient, which always sends the current token.
 */
export function defineRangeTransport(Base: TransportBase): AuthorizedRangeTransportClass {
  return class AuthorizedRangeTransport extends Base {
    readonly #client: DocumentClient;
    readonly #options: Required<Omit<RangeTransportOptions, 'onDelivered'>> & Pick<RangeTransportOptions, 'onDelivered'>;
    readonly #queue: Array<[number, number]> = [];
    #active = 0;
    #delivered: number;
    #closed = false;

    constructor(client: DocumentClient, total: number, initial: Uint8Array, options: RangeTransportOptions) {
      super(total, initial);
      this.#client = client;
      this.#options = { maxParallel: 4, ...options };
      this.#delivered = initial.byteLength;
    }

    override requestDataRange(begin: number, end: number): void {
      if (this.#closed) return;
      this.#queue.push([begin, end]);
      this.#pump();
    }

    override abort(): void {
      this.#closed = true;
      this.#queue.length = 0;
    }

    #pump(): void {
      while (!this.#closed && this.#active < this.#options.maxParallel && this.#queue.length > 0) {
        const [begin, end] = this.#queue.shift()!;
        this.#active++;
        void this.#fetch(begin, end).finally(() => {
          this.#active--;
          this.#pump();
        });
      }
    }

    async #fetch(begin: number, end: number): Promise<void> {
      try {
        const bytes = await this.#client.fetchRange(begin, end);
        if (this.#closed) return;
        this.#delivered += bytes.byteLength;
        this.onDataRange(begin, bytes);
        this.#options.onDelivered?.(Math.min(this.#delivered, this.length), this.length);
      } catch (error) {
        if (this.#closed) return;
        this.abort();
        this.#options.onFatal(asViewerError(error));
      }
    }
  };
}

export type AuthorizedRangeTransport = InstanceType<ReturnType<typeof defineRangeTransport>>;
