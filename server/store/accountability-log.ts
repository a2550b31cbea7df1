// What readers did and what they received, per token id: the reader events the element reported,
// and the server's own record of which pages' content it served. Kept in the store, so every
// instance writes to and reads from the same log.
import type { ReaderEvent } from '../accountability/reader-event.ts';
import { addSpans, mergeSpans } from '../accountability/span-set.ts';

/** A reader event as stored: identity and document come from the token that sent it. */
export type StoredReaderEvent = ReaderEvent & {
  tokenId: string;
  doc: string;
  /** The token's `sub`, when it has one. */
  sub?: string;
  /** Server time it arrived, epoch milliseconds. */
  receivedAt: number;
};

/** What one token was served of its document, as the store keeps it. */
export interface ServedEntry {
  tokenId: string;
  doc: string;
  /** The token's `sub`, when it has one. */
  sub?: string;
  /** Size of the document when it was served (a replaced document's pages are not guessed). */
  size: number;
  /** Byte spans served, inclusive, sorted and merged. */
  spans: Array<[start: number, end: number]>;
  /** Body bytes of the document served (headers and multipart boundaries not counted). */
  bytes: number;
  /** Answers that carried bytes. */
  requests: number;
  /** Epoch milliseconds of the first and the last of them. */
  first: number;
  last: number;
}

/** A token's entry as the queries answer it: with the pages whose content it carried. */
export interface ServedRecord extends ServedEntry {
  /** Ascending; null when that cannot be said (no page map, or the document changed since). */
  pages: number[] | null;
}

/** Served bytes to add to a token's entry: the same shape, merged into it. */
export type ServedIncrement = ServedEntry;

export interface AccountabilityQuery {
  doc: string;
  /** Only this token's. */
  tokenId?: string;
  /** Most records returned, newest first; default and maximum 1000. */
  limit?: number;
}

export const MAX_QUERY_LIMIT = 1000;
/** Events kept per document; the oldest go first. */
export const MAX_EVENTS_PER_DOCUMENT = 10_000;
/** Token entries kept per document; the least recently served go first. */
export const MAX_SERVED_PER_DOCUMENT = 10_000;
/** How long the Redis store keeps a document's log after its last write. */
export const ACCOUNTABILITY_RETENTION_SECONDS = 90 * 24 * 60 * 60;

export interface AccountabilityLog {
  addReaderEvents(events: readonly StoredReaderEvent[]): Promise<void>;
  /** Newest first. */
  readerEvents(query: AccountabilityQuery): Promise<StoredReaderEvent[]>;
  addServed(increments: readonly ServedIncrement[]): Promise<void>;
  /** Most recently served first. */
  served(query: AccountabilityQuery): Promise<ServedEntry[]>;
}

export function queryLimit(query: AccountabilityQuery): number {
  const limit = query.limit ?? MAX_QUERY_LIMIT;
  return Math.max(1, Math.min(MAX_QUERY_LIMIT, Math.floor(limit)));
}

/** A token's entry with one more increment added (the same token, the same document). */
export function mergeServed(previous: ServedEntry | undefined, increment: ServedIncrement): ServedEntry {
  if (!previous) return { ...increment, spans: mergeSpans(increment.spans) as Array<[number, number]> };
  const entry: ServedEntry = {
    tokenId: increment.tokenId,
    doc: increment.doc,
    size: increment.size,
    spans: mergeSpans([...previous.spans, ...increment.spans]) as Array<[number, number]>,
    bytes: previous.bytes + increment.bytes,
    requests: previous.requests + increment.requests,
    first: Math.min(previous.first, increment.first),
    last: Math.max(previous.last, increment.last),
  };
  const sub = previous.sub ?? increment.sub;
  if (sub !== undefined) entry.sub = sub;
  return entry;
}

/**
 * Adds an increment to a token's entry in place (the same token, the same document): only the
 * increment's few spans are merged into the entry's, nothing of the entry is copied. For a log that
 * keeps its entries in memory; the result is the same as {@link mergeServed}'s.
 */
export function addToServed(entry: ServedEntry, increment: ServedIncrement): void {
  entry.size = increment.size;
  entry.spans = addSpans(entry.spans, increment.spans);
  entry.bytes += increment.bytes;
  entry.requests += increment.requests;
  entry.first = Math.min(entry.first, increment.first);
  entry.last = Math.max(entry.last, increment.last);
  if (entry.sub === undefined && increment.sub !== undefined) entry.sub = increment.sub;
}
