// GET/HEAD of a document: the token is checked on every request (signature, scope, permission,
// revocation), then the byte ranges asked for (one, or several as multipart/byteranges) are served from the document's byte source with a strong
// ETag, no content coding and private-data headers.
//
// One decision, two shapes: a web `Request → Response` handler for any runtime, and the same
// decision written straight to a Node ServerResponse (`handler.node`), because building web
// Request/Response objects costs more than serving a 32 KiB range does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { openByteRange, openByteRanges, type ByteSource } from '../byte-source.ts';
import { contentDisposition } from '../content-disposition.ts';
import { decideRanges, multipartBody, multipartLength, newBoundary } from '../byte-ranges.ts';
import { contentRange } from '../range.ts';
import { InvalidTokenError, type TokenService } from '../token-service.ts';
import { SECURITY_HEADERS, nodeStreamResponse } from '../web/responses.ts';
import type { AuditLog } from './audit.ts';

/** A document as the handler serves it. */
export interface ServedDocument {
  title: string;
  /** Bytes in total. */
  size: number;
  /** Strong validator, quoted (`"…"`). */
  etag: string;
  source: ByteSource;
}

export interface DocumentHandlerOptions {
  tokens: TokenService;
  /** The document by id, or null when unknown (or not servable): answered with 404. */
  documents(id: string): Promise<ServedDocument | null>;
  audit?: AuditLog;
}

/** Serves one document: `(request, documentId) → Response`, or `.node(req, res, documentId)`. */
export interface DocumentHandler {
  (request: Request, documentId: string): Promise<Response>;
  /** The same handler for Node's http, without web Request/Response objects. */
  node(req: IncomingMessage, res: ServerResponse, documentId: string): Promise<void>;
}

/** What the handler reads from a request, whichever shape it came in. */
interface DocumentRequest {
  method: string;
  /** The query string without `?`. */
  query: string;
  header(name: 'authorization' | 'range' | 'if-range'): string | null;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  /** A JSON error body, or the document bytes, or nothing. */
  body: string | Readable | null;
}

function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify({ error: { code, message } }),
  };
}

const INVALID_TOKEN_HEADERS = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

function bearer(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}

async function decide(options: DocumentHandlerOptions, audit: AuditLog, request: DocumentRequest, id: string): Promise<Reply> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return errorReply(405, 'method_not_allowed', 'Use GET or HEAD.', { Allow: 'GET, HEAD' });
  }
  const token = bearer(request.header('authorization'));
  if (!token) return errorReply(401, 'invalid_token', 'The access token is missing, invalid or expired.', INVALID_TOKEN_HEADERS);
  let claims;
  try {
    claims = await options.tokens.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    audit(`auth.failure route=content doc=${id} reason=${error.message}`);
    return errorReply(401, 'invalid_token', 'The access token is missing, invalid or expired.', INVALID_TOKEN_HEADERS);
  }
  const document = claims.doc === id ? await options.documents(id) : null;
  if (!document) {
    // The same reply whether the document is unknown or the token is for another one.
    audit(`auth.failure route=content doc=${id} reason=document-mismatch`);
    return errorReply(404, 'not_found', 'Not found.');
  }
  const attachment = request.query !== '' && new URLSearchParams(request.query).get('disposition') === 'attachment';
  const needed = attachment ? 'download' : 'read';
  if (!claims.permissions.includes('read') || !claims.permissions.includes(needed)) {
    return errorReply(403, 'insufficient_scope', 'The access token does not allow this.', {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${needed}"`,
    });
  }
  const { size, etag } = document;
  const decision = decideRanges(request.header('range'), request.header('if-range'), size, etag);
  if (decision.kind === 'unsatisfiable') {
    return errorReply(416, 'range_not_satisfiable', 'Range not satisfiable.', { 'Accept-Ranges': 'bytes', ETag: etag, 'Content-Range': `bytes */${size}` });
  }
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Content-Type': 'application/pdf',
    'Content-Disposition': contentDisposition(attachment ? 'attachment' : 'inline', document.title),
  };
  if (decision.kind === 'partial' && decision.ranges.length > 1) {
    // Several ranges: one part each, read from one opening of the source as each part is reached.
    const boundary = newBoundary();
    headers['Content-Type'] = `multipart/byteranges; boundary=${boundary}`;
    headers['Content-Length'] = String(multipartLength(boundary, 'application/pdf', decision.ranges, size));
    if (request.method === 'HEAD') return { status: 206, headers, body: null };
    const body = multipartBody(() => openByteRanges(document.source), decision.ranges, size, 'application/pdf', boundary);
    return { status: 206, headers, body };
  }
  const single = decision.kind === 'partial' ? decision.ranges[0]! : null;
  const start = single ? single.start : 0;
  const end = single ? single.end : size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  headers['Content-Length'] = String(length);
  if (single) headers['Content-Range'] = contentRange(start, end, size);
  const status = single ? 206 : 200;
  if (request.method === 'HEAD' || length === 0) return { status, headers, body: null };
  return { status, headers, body: await openByteRange(document.source, start, end) };
}

export function createDocumentHandler(options: DocumentHandlerOptions): DocumentHandler {
  const audit = options.audit ?? (() => {});
  const web = async (request: Request, id: string): Promise<Response> => {
    const url = new URL(request.url);
    const reply = await decide(options, audit, { method: request.method, query: url.search.slice(1), header: (name) => request.headers.get(name) }, id);
    if (reply.body === null || typeof reply.body === 'string') return new Response(reply.body, { status: reply.status, headers: reply.headers });
    return nodeStreamResponse(reply.body, { status: reply.status, headers: reply.headers });
  };
  const node = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const rawUrl = req.url ?? '';
    const queryStart = rawUrl.indexOf('?');
    const header = (name: string): string | null => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : null;
    };
    const reply = await decide(options, audit, { method: req.method ?? 'GET', query: queryStart < 0 ? '' : rawUrl.slice(queryStart + 1), header }, id);
    res.statusCode = reply.status;
    for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
    if (reply.body === null || typeof reply.body === 'string') {
      if (typeof reply.body === 'string') res.setHeader('Content-Length', Buffer.byteLength(reply.body));
      res.end(reply.body ?? undefined);
      return;
    }
    // A plain pipe, as a bare static server would: the cheapest way to move the bytes.
    const body = reply.body;
    // The client went away while the request was decided: its 'close' has passed, and a pipe into
    // it would wait for ever with the source open.
    if (res.destroyed) {
      body.destroy();
      return;
    }
    body.once('error', () => res.destroy());
    res.once('close', () => body.destroy());
    body.pipe(res);
  };
  return Object.assign(web, { node });
}
