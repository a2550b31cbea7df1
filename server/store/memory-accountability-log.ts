// The accountability log in this process: bounded per document, and written to the data folder
// (one file per document, 0600, a second after its last change and when the store closes), so a
// restart keeps it. A document's file is read the first time the log needs that document.
//
// A file is the document's log as one JSON line, then what was added since, a JSON line for each
// addition: a flush appends only what changed (a busy document's whole log rewritten every second
// would cost the server more than serving it does), and the file is rewritten whole, atomically,
// once the lines added reach the size of the whole. A line cut short by a crash is left out, and the
// file is then rewritten whole at the next write, as after a write that failed.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { mergeSpans } from '../accountability/span-set.ts';
import { writeFileAtomic } from '../write-file-atomic.ts';
import {
  addToServed,
  MAX_EVENTS_PER_DOCUMENT,
  MAX_SERVED_PER_DOCUMENT,
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
  /** What was added since the file was last written, as its lines. */
  unwritten: string[];
  /** Bytes of the file's first line (the whole log when last rewritten), 0 when there is no file. */
  wholeBytes: number;
  /** Bytes appended to the file since. */
  appendedBytes: number;
}

/** A document's file: its first line. */
interface DocumentFile {
  events: StoredReaderEvent[];
  served: ServedEntry[];
}

/** The file's later lines: one addition each. */
interface AddedLine {
  events?: StoredReaderEvent[];
  served?: ServedIncrement[];
}

const WRITE_DELAY_MS = 1000;
/** Appended lines below this size never cause a rewrite. */
const MIN_REWRITE_BYTES = 64 * 1024;

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
      addEvent(log, event);
      this.#changed(event.doc, log, { events: [event] });
    }
  }

  async readerEvents(query: AccountabilityQuery): Promise<StoredReaderEvent[]> {
    const { events } = await this.#log(query.doc);
    const matching = query.tokenId === undefined ? events : events.filter((event) => event.tokenId === query.tokenId);
    return matching.slice(-queryLimit(query)).reverse();
  }

  async addServed(increments: readonly ServedIncrement[]): Promise<void> {
    for (const increment of increments) {
      const log = await this.#log(increment.doc);
      addServed(log, increment);
      this.#changed(increment.doc, log, { served: [increment] });
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
    const empty: DocumentLog = { events: [], served: new Map(), unwritten: [], wholeBytes: 0, appendedBytes: 0 };
    if (this.#dir === null) return empty;
    try {
      const text = await readFile(this.#file(doc), 'utf8');
      const lines = text.split('\n');
      const saved = JSON.parse(lines[0]!) as DocumentFile;
      const log: DocumentLog = {
        events: saved.events ?? [],
        served: new Map((saved.served ?? []).map((entry) => [entry.tokenId, entry])),
        unwritten: [],
        wholeBytes: Buffer.byteLength(lines[0]!) + 1,
        appendedBytes: Buffer.byteLength(text) - Buffer.byteLength(lines[0]!) - 1,
      };
      let torn = !text.endsWith('\n');
      for (const line of lines.slice(1)) {
        if (line === '') continue;
        let added: AddedLine;
        try {
          added = JSON.parse(line) as AddedLine;
        } catch {
          torn = true; // cut short by a crash (or a full disk) while it was appended
          continue;
        }
        for (const event of added.events ?? []) addEvent(log, event);
        for (const increment of added.served ?? []) addServed(log, increment);
      }
      // A line appended after a torn one would be joined to it and lost: the next write rewrites the file.
      if (torn) log.appendedBytes = Number.POSITIVE_INFINITY;
      return log;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
      throw error;
    }
  }

  #changed(doc: string, log: DocumentLog, added: AddedLine): void {
    if (this.#dir === null) return;
    log.unwritten.push(JSON.stringify(added));
    this.#dirty.add(doc);
    if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush().catch(() => {}), WRITE_DELAY_MS);
      this.#timer.unref?.();
    }
  }

  async #write(doc: string): Promise<void> {
    const log = await this.#log(doc);
    if (log.unwritten.length === 0) return;
    const unwritten = log.unwritten;
    const lines = `${unwritten.join('\n')}\n`;
    log.unwritten = [];
    const bytes = Buffer.byteLength(lines);
    try {
      if (log.wholeBytes > 0 && log.appendedBytes + bytes < Math.max(MIN_REWRITE_BYTES, log.wholeBytes)) {
        await appendFile(this.#file(doc), lines, { mode: 0o600 });
        log.appendedBytes += bytes;
        return;
      }
      const whole = `${JSON.stringify({ events: log.events, served: [...log.served.values()] } satisfies DocumentFile)}\n`;
      await writeFileAtomic(this.#file(doc), whole);
      log.wholeBytes = Buffer.byteLength(whole);
      log.appendedBytes = 0;
    } catch (error) {
      // A failed append may have left part of a line: what was not written is written again,
      // by rewriting the whole file at the next flush.
      log.unwritten = [...unwritten, ...log.unwritten];
      log.appendedBytes = Number.POSITIVE_INFINITY;
      this.#dirty.add(doc);
      throw error;
    }
  }

  /** The document id encoded, so no id can name a path outside the folder. */
  #file(doc: string): string {
    return path.join(this.#dir!, `${Buffer.from(doc).toString('base64url')}.json`);
  }
}

function addEvent(log: DocumentLog, event: StoredReaderEvent): void {
  log.events.push(event);
  if (log.events.length > MAX_EVENTS_PER_DOCUMENT) log.events.splice(0, log.events.length - MAX_EVENTS_PER_DOCUMENT);
}

/** Adds to the token's entry (copied at first, never shared with the caller) and makes it the most recently served. */
function addServed(log: DocumentLog, increment: ServedIncrement): void {
  const { served } = log;
  const previous = served.get(increment.tokenId);
  served.delete(increment.tokenId);
  if (previous) {
    addToServed(previous, increment);
    served.set(increment.tokenId, previous);
  } else {
    served.set(increment.tokenId, { ...increment, spans: mergeSpans(increment.spans) as Array<[number, number]> });
  }
  if (served.size > MAX_SERVED_PER_DOCUMENT) served.delete(served.keys().next().value!);
}
