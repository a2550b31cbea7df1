// The accountability log in this process: bounded per document, and written to the data folder
// (one file per document, 0600, a second after its last change and when the store closes), so a
// restart keeps it. A document's file is read the first time the log needs that document.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../write-file-atomic.ts';
import {
  MAX_EVENTS_PER_DOCUMENT,
  MAX_SERVED_PER_DOCUMENT,
  mergeServed,
  queryLimit,
  type AccountabilityLog,
  type AccountabilityQuery,
  type ServedEntry,
  type ServedIncrement,
  type StoredReaderEvent,
} from './accountability-log.ts';

interface DocumentLog {
  events: StoredReaderEvent[];
  /** By token id; a Map keeps insertion order, so the least recently served come first. */
  served: Map<string, ServedEntry>;
}

/** What a document's file holds. */
interface DocumentFile {
  events: StoredReaderEvent[];
  served: ServedEntry[];
}

const WRITE_DELAY_MS = 1000;

export class MemoryAccountabilityLog implements AccountabilityLog {
  readonly #dir: string | null;
  readonly #documents = new Map<string, Promise<DocumentLog>>();
  readonly #dirty = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #writing: Promise<void> = Promise.resolve();

  private constructor(dir: string | null) {
    this.#dir = dir;
  }

  /** A log kept in memory only (lost on restart). */
  static inMemory(): MemoryAccountabilityLog {
    return new MemoryAccountabilityLog(null);
  }

  /** `dataDir` null keeps the log in memory only. */
  static async open(dataDir: string | null): Promise<MemoryAccountabilityLog> {
    if (dataDir === null) return MemoryAccountabilityLog.inMemory();
    const dir = path.join(dataDir, 'accountability');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new MemoryAccountabilityLog(dir);
  }

  async addReaderEvents(events: readonly StoredReaderEvent[]): Promise<void> {
    for (const event of events) {
      const log = await this.#log(event.doc);
      log.events.push(event);
      if (log.events.length > MAX_EVENTS_PER_DOCUMENT) log.events.splice(0, log.events.length - MAX_EVENTS_PER_DOCUMENT);
      this.#changed(event.doc);
    }
  }

  async readerEvents(query: AccountabilityQuery): Promise<StoredReaderEvent[]> {
    const { events } = await this.#log(query.doc);
    const matching = query.tokenId === undefined ? events : events.filter((event) => event.tokenId === query.tokenId);
    return matching.slice(-queryLimit(query)).reverse();
  }

  async addServed(increments: readonly ServedIncrement[]): Promise<void> {
    for (const increment of increments) {
      const { served } = await this.#log(increment.doc);
      const previous = served.get(increment.tokenId);
      served.delete(increment.tokenId);
      served.set(increment.tokenId, mergeServed(previous, increment));
      if (served.size > MAX_SERVED_PER_DOCUMENT) served.delete(served.keys().next().value!);
      this.#changed(increment.doc);
    }
  }

  async served(query: AccountabilityQuery): Promise<ServedEntry[]> {
    const { served } = await this.#log(query.doc);
    return [...served.values()]
      .filter((entry) => query.tokenId === undefined || entry.tokenId === query.tokenId)
      .sort((a, b) => b.last - a.last)
      .slice(0, queryLimit(query))
      .map((entry) => ({ ...entry, spans: entry.spans.map(([start, end]) => [start, end]) }));
  }

  /** Writes every changed document now. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const docs = [...this.#dirty];
    this.#dirty.clear();
    // One write at a time, in order: an older state never lands after a newer one.
    this.#writing = this.#writing.catch(() => {}).then(() => Promise.all(docs.map((doc) => this.#write(doc))).then(() => {}));
    return this.#writing;
  }

  #log(doc: string): Promise<DocumentLog> {
    let log = this.#documents.get(doc);
    if (!log) {
      log = this.#read(doc);
      this.#documents.set(doc, log);
    }
    return log;
  }

  async #read(doc: string): Promise<DocumentLog> {
    const empty: DocumentLog = { events: [], served: new Map() };
    if (this.#dir === null) return empty;
    try {
      const saved = JSON.parse(await readFile(this.#file(doc), 'utf8')) as DocumentFile;
      return { events: saved.events, served: new Map(saved.served.map((entry) => [entry.tokenId, entry])) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
      throw error;
    }
  }

  #changed(doc: string): void {
    if (this.#dir === null) return;
    this.#dirty.add(doc);
    if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush().catch(() => {}), WRITE_DELAY_MS);
      this.#timer.unref?.();
    }
  }

  async #write(doc: string): Promise<void> {
    const log = await this.#log(doc);
    const saved: DocumentFile = { events: log.events, served: [...log.served.values()] };
    await writeFileAtomic(this.#file(doc), `${JSON.stringify(saved)}\n`);
  }

  /** The document id encoded, so no id can name a path outside the folder. */
  #file(doc: string): string {
    return path.join(this.#dir!, `${Buffer.from(doc).toString('base64url')}.json`);
  }
}
