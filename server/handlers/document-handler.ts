// GET/HEAD of a document: the token is checked on every request (signature, scope, permission,
// revocation), then the byte ranges asked for (one, or several as multipart/byteranges) are
// served from the document's byte source with a strong ETag, no content coding and private-data
// headers. Bodies are bounded: one that the client stops reading is ended, and one token or one
// client address may have only so many open at once (more get 503 with Retry-After).
//
// One decision (document-reply.ts), two shapes: a web `Request → Response` handler for any
// runtime, and the same decision written straight to a Node ServerResponse (`handler.node`),
// because building web Request/Response objects costs more than serving a 32 KiB range does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { throttleKey } from '../client-address.ts';
import { endWhenIdle, OpenStreams, type StreamLimits } from '../open-streams.ts';
import { nodeStreamResponse } from '../web/responses.ts';
import type { AuditLog } from './audit.ts';
import { endWithin, ONE_READ_BYTES, readFileSpan, watchClose } from './one-read-body.ts';
import type { ClientInfo } from './client-info.ts';
import {
  authorizeDocumentRequest,
  decideDocumentBytes,
  errorReply,
  openDocumentBody,
  pipeBody,
  writeReplyHead,
  type DocumentReply,
  type DocumentRequest,
  type ServedDocument,
} from './document-reply.ts';
import type { TokenService } from '../token-service.ts';

export type { ServedDocument } from './document-reply.ts';

export interface DocumentHandlerOptions {
  tokens: TokenService;
  /** The document by id, or null when unknown (or not servable): answered with 404. */
  documents(id: string): Promise<ServedDocument | null>;
  audit?: AuditLog;
  /** Bounds on bodies being sent; see {@link StreamLimits} for the defaults. */
  streams?: Partial<StreamLimits>;
  /**
   * Told of every answer that carries document bytes (not HEAD, not errors): which token got
   * which ranges. Called when the answer starts; one cut short by the client counts whole.
   */
  onServed?: (served: ServedRanges) => void;
}

/** The byte ranges one answer carried, and to whom. */
export interface ServedRanges {
  /** The token's id (`jti`); never the token itself. */
  tokenId: string;
  /** The token's subject, when it names one. */
  sub?: string;
  doc: string;
  /** Inclusive byte spans, sorted, not overlapping. */
  ranges: ReadonlyArray<{ start: number; end: number }>;
  /** Size of the document they were served from. */
  size: number;
  /** Epoch milliseconds. */
  at: number;
}

/**
 * Serves one document: `(request, documentId, client?) → Response`, or `.node(req, res, documentId, client?)`.
 * `client` names the reader's address for the per-address bound (behind proxies, pass what your
 * trusted proxies forwarded for); without it the socket's peer address counts (`.node`), or no
 * per-address bound applies (web).
 */
export interface DocumentHandler {
  (request: Request, documentId: string, client?: Pick<ClientInfo, 'key'>): Promise<Response>;
  /**
   * The same handler for Node's http, without web Request/Response objects. `headers` go on every
   * answer besides the handler's own (CORS, say); setting them here rather than on `res` lets the
   * whole head be written at once.
   */
  node(req: IncomingMessage, res: ServerResponse, documentId: string, client?: Pick<ClientInfo, 'key'>, headers?: Readonly<Record<string, string>>): Promise<void>;
}

/** A Node request as the decision reads it (a class: no closure made per request). */
class NodeDocumentRequest implements DocumentRequest {
  readonly method: string;
  readonly query: string;

  constructor(private readonly req: IncomingMessage) {
    this.method = req.method ?? 'GET';
    const url = req.url ?? '';
    const queryStart = url.indexOf('?');
    this.query = queryStart < 0 ? '' : url.slice(queryStart + 1);
  }

  header(name: 'authorization' | 'range' | 'if-range'): string | null {
    const value = this.req.headers[name];
    return typeof value === 'string' ? value : null;
  }
}

/** A body admitted under the stream bounds, with the lease to give back when it closes. */
type Decided = { reply: DocumentReply; release: () => void };

const NOTHING_HELD = (): void => {};

export function createDocumentHandler(options: DocumentHandlerOptions): DocumentHandler {
  const deps = { tokens: options.tokens, documents: options.documents, audit: options.audit ?? (() => {}) };
  const streams = new OpenStreams(options.streams);
  const idleMs = streams.limits.idleTimeoutMs;

  async function decide(request: DocumentRequest, id: string, client: string | null): Promise<Decided> {
    const access = await authorizeDocumentRequest(deps, request, id);
    if (access.kind === 'refused') return { reply: access.reply, release: NOTHING_HELD };
    const reply = decideDocumentBytes(request, access.document, { attachment: access.attachment });
    if (reply.body === null || typeof reply.body === 'string') return { reply, release: NOTHING_HELD };
    const release = streams.admit(access.claims.jti, client);
    if (!release) {
      deps.audit(`content.refused doc=${id} reason=too-many-streams`);
      return { reply: errorReply(503, 'too_many_streams', 'Too many downloads at once; retry shortly.', { 'Retry-After': '1' }), release: NOTHING_HELD };
    }
    if (options.onServed) {
      const { jti, sub } = access.claims;
      const served: ServedRanges = { tokenId: jti, doc: id, ranges: reply.body.spans, size: access.document.size, at: Date.now() };
      if (sub !== undefined) served.sub = sub;
      options.onServed(served);
    }
    return { reply, release };
  }

  const web = async (request: Request, id: string, client?: Pick<ClientInfo, 'key'>): Promise<Response> => {
    const url = new URL(request.url);
    const { reply, release } = await decide({ method: request.method, query: url.search.slice(1), header: (name) => request.headers.get(name) }, id, client?.key ?? null);
    if (reply.body === null || typeof reply.body === 'string') return new Response(reply.body, { status: reply.status, headers: reply.headers });
    let stream;
    try {
      stream = await openDocumentBody(reply.body);
    } catch (error) {
      release();
      throw error;
    }
    stream.once('close', release);
    // Also a body that no one starts reading is ended after the idle time.
    endWhenIdle(stream, idleMs);
    return nodeStreamResponse(stream, { status: reply.status, headers: reply.headers });
  };

  const node = async (req: IncomingMessage, res: ServerResponse, id: string, client?: Pick<ClientInfo, 'key'>, headers?: Readonly<Record<string, string>>): Promise<void> => {
    const { reply, release } = await decide(new NodeDocumentRequest(req), id, client?.key ?? throttleKey(req.socket.remoteAddress ?? ''));
    if (headers) for (const name in headers) reply.headers[name] = headers[name]!;
    if (reply.body === null || typeof reply.body === 'string') {
      if (typeof reply.body === 'string') reply.headers['Content-Length'] = String(Buffer.byteLength(reply.body));
      writeReplyHead(res, reply.status, reply.headers);
      res.end(reply.body ?? undefined);
      return;
    }
    const body = reply.body;
    const span = body.spans[0]!;
    if (body.multipart === null && typeof body.source === 'string' && span.end - span.start < ONE_READ_BYTES) {
      // The common viewer request: read whole and written in one go, not piped.
      const watch = watchClose(res, release);
      if (!watch) return;
      let bytes: Buffer;
      try {
        bytes = await readFileSpan(body.source, span.start, span.end - span.start + 1);
      } catch (error) {
        // Read before the head is written: the caller's error reply goes out without this reply's headers.
        release();
        throw error;
      }
      // A client gone during the read has had its place given back by the close already.
      if (res.destroyed) return;
      writeReplyHead(res, reply.status, reply.headers);
      endWithin(res, bytes, idleMs, watch);
      return;
    }
    try {
      // Opened before the head is written: a source that cannot be opened is answered by the
      // caller's error reply, without this reply's headers.
      const stream = await openDocumentBody(body);
      writeReplyHead(res, reply.status, reply.headers);
      await pipeBody(stream, res, idleMs);
    } finally {
      release();
    }
  };
  return Object.assign(web, { node });
}
