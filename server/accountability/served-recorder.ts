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

/** What one token was served since the last write; spans as flat start, end pairs (no object per span). */
interface Pending {
  increment: Omit<ServedIncrement, 'spans'>;
  flat: number[];
}

export class ServedRecorder {
  readonly #options: ServedRecorderOptions;
  /** Per token id: what is not written yet. */
  #pending = new Map<string, Pending>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(options: ServedRecorderOptions) {
    this.#options = options;
  }

  /** Records one answer (the document handler's `onServed`). */
  record(served: ServedRanges): void {
    let pending = this.#pending.get(served.tokenId);
    if (!pending) {
      const increment: Pending['increment'] = { tokenId: served.tokenId, doc: served.doc, size: served.size, bytes: 0, requests: 0, first: served.at, last: served.at };
      if (served.sub !== undefined) increment.sub = served.sub;
      pending = { increment, flat: [] };
      this.#pending.set(served.tokenId, pending);
    }
    // Spans are only appended here (serving must stay cheap) and merged when written, or when
    // a token has asked for very many ranges within one interval.
    const { increment, flat } = pending;
    for (const range of served.ranges) {
      flat.push(range.start, range.end);
      increment.bytes += range.end - range.start + 1;
    }
    increment.requests += 1;
    if (served.at > increment.last) increment.last = served.at;
    if (served.at < increment.first) increment.first = served.at;
    if (flat.length > 4 * MAX_SPANS) pending.flat = mergeSpans(pairsOf(flat)).flat();
    if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.#options.flushIntervalMs ?? 1000);
      this.#timer.unref?.();
    }
  }

  /** Writes everything recorded so far (queries call it first, so they see every answer). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const pending = [...this.#pending.values()].map(({ increment, flat }): ServedIncrement => ({ ...increment, spans: mergeSpans(pairsOf(flat)) as Array<[number, number]> }));
    this.#pending = new Map();
    // One write at a time, in order: a query after a flush sees every earlier write.
    this.#writing = this.#writing
      .then(() => (pending.length > 0 ? this.#options.log.addServed(pending) : undefined))
      .catch((error: unknown) => this.#options.onError?.(error));
    return this.#writing;
  }
}

function pairsOf(flat: readonly number[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}
