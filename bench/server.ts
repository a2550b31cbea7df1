import { createReadStream } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, type Writable } from 'node:stream';
import path from 'node:path';
// The reference backend's Range parsing and multipart framing (pure, no I/O): all the bench takes from
// server/, so the bench's byte counts rest on the same reading of Range as the backend's.
import { closingDelimiter, multipartLength, newBoundary, parseRanges, partHead, type ByteSpan } from '../server/byte-ranges.ts';
import type { Protocol, RangeMode } from './config.ts';
import type { Certificate } from './tls.ts';

/**
 * One bandwidth budget for every document response at once. Each chunk reserves its slot on a
 * single virtual clock, so concurrent responses share the rate in turn (round robin by arrival)
 * and never add up to more than the limit.
 */
export class SharedBandwidth {
  #nextFreeAt = 0;

  constructor(readonly bytesPerSecond: number) {}

  async take(bytes: number): Promise<void> {
    const now = performance.now();
    const start = Math.max(now, this.#nextFreeAt);
    this.#nextFreeAt = start + (bytes / this.bytesPerSecond) * 1000;
    const wait = this.#nextFreeAt - now;
    if (wait >= 1) await sleep(wait);
  }

  reset(): void {
    this.#nextFreeAt = 0;
  }
}

export interface DocumentRequestLog {
  at: number;
  path: string;
  range: string | null;
  status: number;
  /** Body bytes actually written (a cancelled response stops counting). */
  sent: number;
}

/**
 * The same documents, bearer token required, but neither throttled nor delayed nor counted: for
 * a variant that must have the file before its timing starts (the CPU floor).
 */
export const UNTIMED_DOCS = '/untimed/docs/';

export interface ServerOptions {
  /** Served under /docs/, throttled, bearer token required (and under UNTIMED_DOCS, untimed). */
  documentsDir: string;
  /** Other URL prefixes served as plain files, unthrottled (the code under test). */
  staticRoots: Record<string, string>;
  /** Extra routes, e.g. generated HTML pages. */
  pages: Record<string, string>;
  bandwidth: number;
  latencyMs: number;
  /**
   * http1: plain HTTP/1.1. http2: HTTP/2 over TLS only (no HTTP/1.1 fallback), so the browser
   * multiplexes every request over one connection; needs `certificate`.
   */
  protocol: Protocol;
  certificate?: Certificate;
  /** How a request for several ranges is answered (default multi). */
  rangeMode?: RangeMode;
}

/** What the handlers use of a request: HTTP/1.1's and HTTP/2's compatibility API both have it. */
interface Request {
  url?: string | undefined;
  headers: { range?: string | undefined; authorization?: string | undefined };
}

/** What the handlers use of a response, the same over both protocols; throttling and counting sit above it. */
interface Response extends Writable {
  writeHead(status: number, headers?: http.OutgoingHttpHeaders): this;
}

export interface BenchServer {
  protocol: Protocol;
  rangeMode: RangeMode;
  origin: string;
  /** Starts a new measurement: clears counters and the bandwidth clock. */
  resetRun(): void;
  /** Document body bytes written since the last reset. */
  readonly bytesSent: number;
  readonly requests: readonly DocumentRequestLog[];
  /** Snapshots taken when a page calls /__mark?label=… */
  readonly marks: ReadonlyMap<string, { bytes: number; requests: number }>;
  close(): Promise<void>;
}

const CHUNK = 16 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.pdf': 'application/pdf',
};

export async function startServer(options: ServerOptions): Promise<BenchServer> {
  const bandwidth = new SharedBandwidth(options.bandwidth);
  const rangeMode = options.rangeMode ?? 'multi';
  let bytesSent = 0;
  let requests: DocumentRequestLog[] = [];
  let marks = new Map<string, { bytes: number; requests: number }>();
  let runStartedAt = performance.now();
  // Responses of an earlier run that are still draining must not count in the next one.
  let generation = 0;

  const handle = (req: Request, res: Response): void => {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (url.pathname === '/__mark') {
      marks.set(url.searchParams.get('label') ?? '', { bytes: bytesSent, requests: requests.length });
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (url.pathname.startsWith('/docs/')) {
      void serveDocument(req, res, url.pathname.slice('/docs/'.length), true);
      return;
    }
    if (url.pathname.startsWith(UNTIMED_DOCS)) {
      void serveDocument(req, res, url.pathname.slice(UNTIMED_DOCS.length), false);
      return;
    }
    const page = options.pages[url.pathname];
    if (page !== undefined) {
      res.writeHead(200, { 'Content-Type': contentTypes['.html']!, 'Cache-Control': 'no-store' }).end(page);
      return;
    }
    for (const [prefix, dir] of Object.entries(options.staticRoots)) {
      if (url.pathname.startsWith(prefix)) {
        void serveStatic(res, dir, decodeURIComponent(url.pathname.slice(prefix.length)));
        return;
      }
    }
    res.writeHead(404).end();
  };

  // Open connections (HTTP/1.1) or sessions (HTTP/2), so that close() does not wait on idle ones.
  const open = new Set<Socket | http2.ServerHttp2Session>();
  const track = <T extends Socket | http2.ServerHttp2Session>(connection: T): void => {
    open.add(connection);
    connection.once('close', () => open.delete(connection));
  };
  let server: http.Server | http2.Http2SecureServer;
  if (options.protocol === 'http2') {
    if (!options.certificate) throw new Error('HTTP/2 needs a certificate');
    const secure = http2.createSecureServer({ key: options.certificate.key, cert: options.certificate.cert, allowHTTP1: false }, handle);
    secure.on('session', track);
    server = secure;
  } else {
    const plain = http.createServer(handle);
    plain.on('connection', track);
    server = plain;
  }

  async function serveStatic(res: Response, dir: string, relative: string): Promise<void> {
    const file = path.join(dir, relative);
    if (!file.startsWith(dir + path.sep)) return void res.writeHead(403).end();
    try {
      const info = await stat(file);
      if (!info.isFile()) return void res.writeHead(404).end();
      res.writeHead(200, {
        'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': 'no-store',
      });
      // pipeline, not pipe: a client that goes away must also close the file.
      pipeline(createReadStream(file), res, () => {});
    } catch {
      res.writeHead(404).end();
    }
  }

  async function serveDocument(req: Request, res: Response, name: string, timed: boolean): Promise<void> {
    const myGeneration = generation;
    const log: DocumentRequestLog = {
      at: Math.round(performance.now() - runStartedAt),
      path: name,
      range: req.headers.range ?? null,
      status: 0,
      sent: 0,
    };
    if (timed) {
      requests.push(log);
      await sleep(options.latencyMs);
    }
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      log.status = 401;
      return void res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
    }
    const file = path.join(options.documentsDir, name);
    if (!file.startsWith(options.documentsDir + path.sep) || path.extname(file) !== '.pdf') {
      log.status = 404;
      return void res.writeHead(404).end();
    }
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      log.status = 404;
      return void res.writeHead(404).end();
    }

    let spans = documentRanges(req.headers.range, size);
    // A server that serves one range per request: the several asked for (before merging) get the
    // whole file or a 416.
    if (spans !== 'invalid' && (req.headers.range ?? '').includes(',') && rangeMode !== 'multi') {
      if (rangeMode === 'single-200') spans = null;
      else spans = 'invalid';
    }
    if (spans === 'invalid') {
      log.status = 416;
      return void res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
    }
    const parts = spans ?? [{ start: 0, end: size - 1 }];
    const boundary = parts.length > 1 ? newBoundary() : null;
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': boundary ? `multipart/byteranges; boundary=${boundary}` : 'application/pdf',
      'Content-Length': boundary ? multipartLength(boundary, 'application/pdf', parts, size) : parts[0]!.end - parts[0]!.start + 1,
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'private, no-store',
    };
    if (spans && !boundary) headers['Content-Range'] = `bytes ${parts[0]!.start}-${parts[0]!.end}/${size}`;
    log.status = spans ? 206 : 200;
    res.writeHead(log.status, headers);

    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    // Part heads and the closing delimiter count as body bytes, throttled like the rest.
    const send = async (chunk: Buffer): Promise<boolean> => {
      if (timed) await bandwidth.take(chunk.byteLength);
      // A response left over from an earlier run must neither use this run's bandwidth nor count.
      if (closed || myGeneration !== generation) return false;
      const flushed = res.write(chunk);
      if (timed) bytesSent += chunk.byteLength;
      log.sent += chunk.byteLength;
      if (!flushed && !closed) await drained(res);
      return !closed;
    };
    let expected = 0;
    if (boundary) {
      // Small parts are gathered into chunks of up to CHUNK bytes, read from one open file: a part
      // costs the link its bytes, not a file opening and a timer of this process each (a server
      // that serves many ranges, nginx's sendfile say, spends next to nothing per part).
      const handle = await openFile(file, 'r');
      try {
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        const flush = async (): Promise<boolean> => {
          const chunk = Buffer.concat(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
          return chunk.byteLength === 0 || send(chunk);
        };
        const queue = async (piece: Buffer): Promise<boolean> => {
          expected += piece.byteLength;
          pending.push(piece);
          pendingBytes += piece.byteLength;
          return pendingBytes < CHUNK || flush();
        };
        let going = true;
        for (const [index, part] of parts.entries()) {
          going &&= await queue(Buffer.from((index === 0 ? '' : '\r\n') + partHead(boundary, 'application/pdf', part, size)));
          for (let at = part.start; going && at <= part.end; at += CHUNK) {
            const length = Math.min(CHUNK, part.end + 1 - at);
            const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, at);
            going = bytesRead === length && (await queue(buffer));
          }
          if (!going || closed || myGeneration !== generation) break;
        }
        if (going && !closed && myGeneration === generation) {
          await queue(Buffer.from(closingDelimiter(boundary)));
          await flush();
        }
      } finally {
        await handle.close();
      }
    } else {
      const part = parts[0]!;
      expected += part.end - part.start + 1;
      // Leaving the loop early destroys the stream, so a dropped connection leaves no open file behind.
      const source = createReadStream(file, { start: part.start, end: part.end, highWaterMark: CHUNK });
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) if (!(await send(chunk))) break;
      } finally {
        source.destroy();
      }
    }
    if (closed) return;
    if (log.sent === expected) res.end();
    else res.destroy();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    protocol: options.protocol,
    rangeMode,
    origin: `${options.protocol === 'http2' ? 'https' : 'http'}://127.0.0.1:${port}`,
    resetRun() {
      generation++;
      bandwidth.reset();
      bytesSent = 0;
      requests = [];
      marks = new Map();
      runStartedAt = performance.now();
    },
    get bytesSent() {
      return bytesSent;
    },
    get requests() {
      return requests;
    },
    get marks() {
      return marks;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of open) connection.destroy();
      }),
  };
}

/**
 * The ranges to send: null (no Range header) means the whole file. Read by the backend's parser
 * (several ranges sorted and merged, as the backend serves them); where the backend would ignore
 * a Range (a reversed or malformed one) and send the whole file, the bench answers 416 like an
 * unsatisfiable range: the viewer never sends such a header, so it is a bug the measurement must
 * not hide behind a whole-file download.
 */
function documentRanges(header: string | undefined, size: number): ByteSpan[] | null | 'invalid' {
  if (!header) return null;
  const decision = parseRanges(header, size);
  return decision.kind === 'partial' ? decision.ranges : 'invalid';
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
