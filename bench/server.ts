import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, type Writable } from 'node:stream';
import path from 'node:path';
// The library's document decision and body (what the reference backend sends, byte for byte): the
// bench only paces and counts the body, so its byte counts are those of the backend's answers.
import {
  bearerCredential,
  decideDocumentBytes,
  errorReply,
  invalidTokenReply,
  openDocumentBody,
  type DocumentReply,
  type RangesDecision,
} from '../server/index.ts';
import { BandwidthLimiter } from '../shared/bandwidth-limiter.ts';
import type { Protocol, RangeMode } from './config.ts';
import type { Certificate } from './tls.ts';

export interface DocumentRequestLog {
  at: number;
  path: string;
  range: string | null;
  status: number;
  /** Body bytes actually written (a cancelled response stops counting). */
  sent: number;
  /** When the server wrote the answer's last byte, or stopped it (ms from the run's start). */
  endedAt?: number;
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
  method?: string | undefined;
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
  const bandwidth = new BandwidthLimiter(options.bandwidth);
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
    const reply = await documentReply(req, name);
    log.status = reply.status;
    res.writeHead(reply.status, reply.headers);
    if (reply.body === null || typeof reply.body === 'string') return void res.end(reply.body ?? undefined);

    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    // The body in slices of CHUNK bytes (part heads and the closing delimiter count as body bytes,
    // throttled like the rest).
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
    // Leaving the loop early destroys the stream, so a dropped connection leaves no open file behind.
    const source = await openDocumentBody(reply.body);
    try {
      for await (const slice of slices(source as AsyncIterable<Buffer>, CHUNK)) if (!(await send(slice))) break;
    } finally {
      source.destroy();
    }
    log.endedAt = Math.round(performance.now() - runStartedAt);
    if (closed) return;
    if (log.sent === Number(reply.headers['Content-Length'])) res.end();
    else res.destroy();
  }

  /** The backend's answer for a document of the bench's folder, with the bench's range mode. */
  async function documentReply(req: Request, name: string): Promise<DocumentReply> {
    if (bearerCredential(req.headers.authorization) === null) return invalidTokenReply();
    const file = path.join(options.documentsDir, name);
    if (!file.startsWith(options.documentsDir + path.sep) || path.extname(file) !== '.pdf') return errorReply(404, 'not_found', 'Not found.');
    let info;
    try {
      info = await stat(file);
    } catch {
      return errorReply(404, 'not_found', 'Not found.');
    }
    const range = req.headers.range ?? null;
    const document = { title: name, size: info.size, etag: `"${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}"`, source: file };
    return decideDocumentBytes({ method: req.method ?? 'GET', header: (header) => (header === 'range' ? range : null) }, document, {
      adjustRanges: (decision) => benchRanges(decision, range, rangeMode),
    });
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
 * The backend's reading of Range (several ranges sorted and merged), changed where the bench
 * answers otherwise. Where the backend would ignore a Range (a reversed or malformed one) and send
 * the whole file, the bench answers 416 like an unsatisfiable range: the viewer never sends such a
 * header, so it is a bug the measurement must not hide behind a whole-file download. A server that
 * serves one range per request answers several asked for (before merging) with the whole file or a 416.
 */
function benchRanges(decision: RangesDecision, header: string | null, mode: RangeMode): RangesDecision {
  if (header === null) return decision;
  if (decision.kind === 'full') return { kind: 'unsatisfiable' };
  if (decision.kind === 'partial' && header.includes(',') && mode !== 'multi') return mode === 'single-200' ? { kind: 'full' } : { kind: 'unsatisfiable' };
  return decision;
}

/** The stream's bytes in slices of `size` (the last one shorter), gathered or cut from its chunks. */
async function* slices(stream: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of stream) {
    for (let at = 0; at < chunk.byteLength; ) {
      const take = Math.min(size - pendingBytes, chunk.byteLength - at);
      pending.push(chunk.subarray(at, at + take));
      pendingBytes += take;
      at += take;
      if (pendingBytes === size) {
        yield pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
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
