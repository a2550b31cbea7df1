// The accountability log in Redis, shared by every instance. Per document: a capped list of reader
// events, and a sorted set of the token ids it served (scored by their last answer). Per token id:
// a hash of its totals and a list of the spans it was served (merged when read; each instance
// merges its own for a second before writing). Every key expires after the retention period.
import type { Redis } from 'ioredis';
import { mergeSpans } from '../accountability/span-set.ts';
import {
  ACCOUNTABILITY_RETENTION_SECONDS,
  MAX_EVENTS_PER_DOCUMENT,
  MAX_SERVED_PER_DOCUMENT,
  queryLimit,
  type AccountabilityLog,
  type AccountabilityQuery,
  type ServedIncrement,
  type ServedEntry,
  type StoredReaderEvent,
} from './accountability-log.ts';

/** Span entries kept per token; past this the oldest stay and later ones are dropped (the counts stay exact). */
const MAX_SPAN_ENTRIES = 50_000;

/**
 * One token's increment in one step: its totals, the earliest `first` and latest `last`, its place
 * in the document's index, its subject, its spans (capped) and the expiries. One command a token
 * and flush instead of a dozen: each command costs the serving process more than Redis's work.
 * KEYS: record hash, spans list, document index. ARGV: tokenId, doc, size, bytes, requests, first,
 * last, ttl, max span entries, has-sub flag, sub, then the spans.
 */
const ADD_SERVED = `
redis.call('HSET', KEYS[1], 'tokenId', ARGV[1], 'doc', ARGV[2], 'size', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'bytes', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'requests', ARGV[5])
local first = tonumber(redis.call('HGET', KEYS[1], 'first') or '0')
if first == 0 or tonumber(ARGV[6]) < first then redis.call('HSET', KEYS[1], 'first', ARGV[6]) end
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if tonumber(ARGV[7]) > last then redis.call('HSET', KEYS[1], 'last', ARGV[7]) end
redis.call('EXPIRE', KEYS[1], ARGV[8])
redis.call('ZADD', KEYS[3], 'GT', ARGV[7], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[8])
if ARGV[10] == '1' then redis.call('HSETNX', KEYS[1], 'sub', ARGV[11]) end
if #ARGV > 11 then
  for i = 12, #ARGV, 1000 do
    redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[9]) - 1)
  redis.call('EXPIRE', KEYS[2], ARGV[8])
end
return 1`;

export class RedisAccountabilityLog implements AccountabilityLog {
  readonly #client: Redis;
  readonly #prefix: string;

  constructor(client: Redis, prefix: string) {
    this.#client = client;
    this.#prefix = `${prefix}accountability:`;
  }

  async addReaderEvents(events: readonly StoredReaderEvent[]): Promise<void> {
    if (events.length === 0) return;
    const byDocument = new Map<string, string[]>();
    for (const event of events) {
      const list = byDocument.get(event.doc) ?? [];
      list.push(JSON.stringify(event));
      byDocument.set(event.doc, list);
    }
    const multi = this.#client.multi();
    for (const [doc, lines] of byDocument) {
      const key = this.#eventsKey(doc);
      multi.rpush(key, ...lines).ltrim(key, -MAX_EVENTS_PER_DOCUMENT, -1).expire(key, ACCOUNTABILITY_RETENTION_SECONDS);
    }
    await multi.exec();
  }

  async readerEvents(query: AccountabilityQuery): Promise<StoredReaderEvent[]> {
    const lines = await this.#client.lrange(this.#eventsKey(query.doc), 0, -1);
    const events: StoredReaderEvent[] = [];
    const limit = queryLimit(query);
    for (let i = lines.length - 1; i >= 0 && events.length < limit; i--) {
      const event = JSON.parse(lines[i]!) as StoredReaderEvent;
      if (query.tokenId === undefined || event.tokenId === query.tokenId) events.push(event);
    }
    return events;
  }

  async addServed(increments: readonly ServedIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    const multi = this.#client.multi();
    const ttl = ACCOUNTABILITY_RETENTION_SECONDS;
    const documents = new Set<string>();
    for (const increment of increments) {
      const record = this.#recordKey(increment.doc, increment.tokenId);
      const spans = this.#spansKey(increment.doc, increment.tokenId);
      const index = this.#servedKey(increment.doc);
      documents.add(increment.doc);
      multi.eval(
        ADD_SERVED,
        3,
        record,
        spans,
        index,
        increment.tokenId,
        increment.doc,
        increment.size,
        increment.bytes,
        increment.requests,
        increment.first,
        increment.last,
        ttl,
        MAX_SPAN_ENTRIES,
        increment.sub === undefined ? '0' : '1',
        increment.sub ?? '',
        ...increment.spans.map(([start, end]) => `${start}-${end}`),
      );
    }
    for (const doc of documents) {
      // The least recently served go first once a document has more than the cap.
      multi.zremrangebyrank(this.#servedKey(doc), 0, -MAX_SERVED_PER_DOCUMENT - 1);
    }
    await multi.exec();
  }

  async served(query: AccountabilityQuery): Promise<ServedEntry[]> {
    const ids = query.tokenId !== undefined ? [query.tokenId] : await this.#client.zrevrange(this.#servedKey(query.doc), 0, queryLimit(query) - 1);
    if (ids.length === 0) return [];
    const multi = this.#client.multi();
    for (const id of ids) multi.hgetall(this.#recordKey(query.doc, id)).lrange(this.#spansKey(query.doc, id), 0, -1);
    const replies = (await multi.exec()) ?? [];
    const records: ServedEntry[] = [];
    for (let i = 0; i < ids.length; i++) {
      const hash = replies[i * 2]?.[1] as Record<string, string> | undefined;
      const spans = ((replies[i * 2 + 1]?.[1] as string[] | undefined) ?? []).map((text): [number, number] => {
        const [start, end] = text.split('-');
        return [Number(start), Number(end)];
      });
      if (!hash || hash['tokenId'] === undefined) continue;
      const record: ServedEntry = {
        tokenId: hash['tokenId'],
        doc: query.doc,
        size: Number(hash['size'] ?? 0),
        spans: mergeSpans(spans) as Array<[number, number]>,
        bytes: Number(hash['bytes'] ?? 0),
        requests: Number(hash['requests'] ?? 0),
        first: Number(hash['first'] ?? 0),
        last: Number(hash['last'] ?? 0),
      };
      if (hash['sub'] !== undefined) record.sub = hash['sub'];
      records.push(record);
    }
    return records;
  }

  #eventsKey(doc: string): string {
    return `${this.#prefix}events:${doc}`;
  }

  #servedKey(doc: string): string {
    return `${this.#prefix}served:${doc}`;
  }

  #recordKey(doc: string, tokenId: string): string {
    return `${this.#prefix}token:${doc}:${tokenId}`;
  }

  #spansKey(doc: string, tokenId: string): string {
    return `${this.#prefix}spans:${doc}:${tokenId}`;
  }
}
