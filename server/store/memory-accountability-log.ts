// The accountability log in this process: bounded per document, gone on restart (use the Redis
// store to keep it, or copy it out through the queries).
import {
  MAX_EVENTS_PER_DOCUMENT,
  MAX_SERVED_PER_DOCUMENT,
  mergeServed,
  queryLimit,
  type AccountabilityLog,
  type AccountabilityQuery,
  type ServedIncrement,
  type ServedEntry,
  type StoredReaderEvent,
} from './accountability-log.ts';

export class MemoryAccountabilityLog implements AccountabilityLog {
  readonly #events = new Map<string, StoredReaderEvent[]>();
  /** By document, then token id; a Map keeps insertion order, so the least recently served come first. */
  readonly #served = new Map<string, Map<string, ServedEntry>>();

  async addReaderEvents(events: readonly StoredReaderEvent[]): Promise<void> {
    for (const event of events) {
      let list = this.#events.get(event.doc);
      if (!list) this.#events.set(event.doc, (list = []));
      list.push(event);
      if (list.length > MAX_EVENTS_PER_DOCUMENT) list.splice(0, list.length - MAX_EVENTS_PER_DOCUMENT);
    }
  }

  async readerEvents(query: AccountabilityQuery): Promise<StoredReaderEvent[]> {
    const list = this.#events.get(query.doc) ?? [];
    const matching = query.tokenId === undefined ? list : list.filter((event) => event.tokenId === query.tokenId);
    return matching.slice(-queryLimit(query)).reverse();
  }

  async addServed(increments: readonly ServedIncrement[]): Promise<void> {
    for (const increment of increments) {
      let records = this.#served.get(increment.doc);
      if (!records) this.#served.set(increment.doc, (records = new Map()));
      const previous = records.get(increment.tokenId);
      records.delete(increment.tokenId);
      records.set(increment.tokenId, mergeServed(previous, increment));
      if (records.size > MAX_SERVED_PER_DOCUMENT) records.delete(records.keys().next().value!);
    }
  }

  async served(query: AccountabilityQuery): Promise<ServedEntry[]> {
    const records = [...(this.#served.get(query.doc)?.values() ?? [])].filter((r) => query.tokenId === undefined || r.tokenId === query.tokenId);
    return records
      .sort((a, b) => b.last - a.last)
      .slice(0, queryLimit(query))
      .map((entry) => ({ ...entry, spans: entry.spans.map(([start, end]) => [start, end]) }));
  }
}
