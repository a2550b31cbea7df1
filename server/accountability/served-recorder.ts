// Turns the document handler's served ranges into the accountability log's per-token entries:
// spans, bytes, first and last time. Off the request path and without reading the document:
// answers are merged per token in memory and written to the store once a second.
import type { ServedRanges } from '../handlers/document-handler.ts';
import type { AccountabilityLog, ServedIncrement } from '../store/accountability-log.ts';
import { MAX_SPANS, mergeSpans } from './span-set.ts';

export interface ServedRecorderOptions {
  log: AccountabilityLog;
  /** How often merged entries are written; default 1000 ms. */
  flushIntervalMs?: number;
  /** A failed write to the log (never thrown into a request). */
  onError?: (error: unknown) => void;
}

export class ServedRecorder {
  readonly #options: ServedRecorderOptions;
  /** Per token id: what is not written yet. */
  #pending = new Map<string, ServedIncrement>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(options: ServedRecorderOptions) {
    this.#options = options;
  }

  /** Records one answer (the document handler's `onServed`). */
  record(served: ServedRanges): void {
    const increment: ServedIncrement = {
      tokenId: served.tokenId,
      doc: served.doc,
      size: served.size,
      spans: served.ranges.map(({ start, end }) => [start, end]),
      bytes: served.ranges.reduce((sum, range) => sum + (range.end - range.start + 1), 0),
      requests: 1,
      first: served.at,
      last: served.at,
    };
    if (served.sub !== undefined) increment.sub = served.sub;
    const pending = this.#pending.get(served.tokenId);
    if (!pending) {
      this.#pending.set(served.tokenId, increment);
    } else {
      // Spans are only appended here (serving must stay cheap) and merged when written, or when
      // a token has asked for very many ranges within one interval.
      pending.spans.push(...increment.spans);
      if (pending.spans.length > 2 * MAX_SPANS) pending.spans = mergeSpans(pending.spans) as Array<[number, number]>;
      pending.bytes += increment.bytes;
      pending.requests += 1;
      pending.last = Math.max(pending.last, served.at);
      pending.first = Math.min(pending.first, served.at);
    }
    if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.#options.flushIntervalMs ?? 1000);
      this.#timer.unref?.();
    }
  }

  /** Writes everything recorded so far (queries call it first, so they see every answer). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const pending = [...this.#pending.values()].map((entry) => ({ ...entry, spans: mergeSpans(entry.spans) as Array<[number, number]> }));
    this.#pending = new Map();
    // One write at a time, in order: a query after a flush sees every earlier write.
    this.#writing = this.#writing
      .then(() => (pending.length > 0 ? this.#options.log.addServed(pending) : undefined))
      .catch((error: unknown) => this.#options.onError?.(error));
    return this.#writing;
  }
}
