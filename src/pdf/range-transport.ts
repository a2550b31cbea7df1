import type { PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ViewerError, asViewerError } from '../errors.ts';
import type { DocumentClient } from './document-client.ts';
import { RangePlanner } from './range-planner.ts';

export interface RangeTransportOptions {
  /** Ranges fetched at the same time; browsers allow about six connections per origin. */
  maxParallel?: number;
  /** pdf.js has no error channel for a transport: a range that cannot be had ends the load here. */
  onFatal: (error: ViewerError) => void;
  /** Bytes delivered to pdf.js so far (for `sv-progress`). */
  onDelivered?: (loaded: number, total: number) => void;
  /** pdf.js's chunk size; requests stay aligned to it. */
  chunkSize: number;
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
    readonly #planner: RangePlanner;
    #active = 0;
    #delivered: number;
    #closed = false;

    constructor(client: DocumentClient, total: number, initial: Uint8Array, options: RangeTransportOptions) {
      super(total, initial);
      this.#client = client;
      this.#options = { maxParallel: 4, ...options };
      this.#delivered = initial.byteLength;
      this.#planner = new RangePlanner({ chunkSize: options.chunkSize, total });
      this.#planner.markFetched(0, initial.byteLength);
    }

    override requestDataRange(begin: number, end: number): void {
      if (this.#closed) return;
      this.#planner.request(begin, end);
      this.#pump();
    }

    override abort(): void {
      this.#closed = true;
    }

    #pump(): void {
      while (!this.#closed && this.#active < this.#options.maxParallel) {
        const next = this.#planner.next();
        if (!next) return;
        const [begin, end] = next;
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
