// The decision behind every answer that carries document bytes, in steps another server can
// reuse: who may read (the token, the document, the permission), what to send (status, headers,
// the spans of the body) and how the body is written (a pluggable writer; the default pipes it,
// ending it when the client stops reading). The document handler runs the three in order; a test
// server that injects faults or a benchmark that paces bandwidth wraps the writer or adjusts the
// ranges, and serves the same bytes with the same headers.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { openByteRange, openByteRanges, type ByteSource } from '../byte-source.ts';
import { decideRanges, DEFAULT_RANGE_LIMITS, multipartBody, multipartLength, newBoundary, type RangeLimits, type RangesDecision } from '../byte-ranges.ts';
import { contentDisposition } from '../content-disposition.ts';
import { endWhenIdle } from '../open-streams.ts';
import { contentRange } from '../range.ts';
import type { ByteSpan } from '../range-header.ts';
import { InvalidTokenError, type AccessClaims, type TokenService } from '../token-service.ts';
import { bearerCredential } from '../web/request-parts.ts';
import { SECURITY_HEADERS, securityHeaders } from '../web/responses.ts';
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

/** What the decision reads from a request, whichever shape it came in. */
export interface DocumentRequest {
  method: string;
  /** The query string without `?`. */
  query: string;
  header(name: 'authorization' | 'range' | 'if-range'): string | null;
}

/** The bytes of an answer: spans of the source, as one plain body or as multipart/byteranges parts. */
export interface DocumentBody {
  source: ByteSource;
  spans: ByteSpan[];
  /** Set when the spans go as parts of a `multipart/byteranges` body. */
  multipart: { boundary: string; contentType: string; size: number } | null;
}

/** An answer: a JSON error text, the document's bytes, or nothing (HEAD, empty). */
export interface DocumentReply {
  status: number;
  headers: Record<string, string>;
  body: string | DocumentBody | null;
}

/** Writes a reply's body to the response and ends it (or destroys it on failure). */
export type BodyWriter = (body: DocumentBody, res: ServerResponse) => Promise<void>;

export function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}): DocumentReply {
  const all = securityHeaders();
  all['Content-Type'] = 'application/json; charset=utf-8';
  for (const name in headers) all[name] = headers[name]!;
  return { status, headers: all, body: JSON.stringify({ error: { code, message } }) };
}

/**
 * The one 401 of the host side, for a missing, invalid or expired access token. For a revoked one
 * (`revoked`) it is still `invalid_token` for OAuth clients, and `error_description="revoked"` tells
 * a viewer to end the session (clear the screen, not renew) rather than renew and go on.
 */
export function invalidTokenReply(revoked = false): DocumentReply {
  const challenge = revoked ? 'Bearer error="invalid_token", error_description="revoked"' : 'Bearer error="invalid_token"';
  return errorReply(401, 'invalid_token', 'The access token is missing, invalid or expired.', { 'WWW-Authenticate': challenge });
}

/** The 403 for a token that allows server-rendered pages only (`render: "server"`), on a route that would send the bytes. */
export function serverRenderOnlyReply(): DocumentReply {
  return errorReply(403, 'insufficient_scope', 'This document is only shown as pages rendered on the server.', {
    'WWW-Authenticate': 'Bearer error="insufficient_scope", error_description="server-rendered pages only"',
  });
}

export interface AccessDependencies {
  tokens: TokenService;
  /** The document by id, or null when unknown (or not servable): answered with 404. */
  documents(id: string): Promise<ServedDocument | null>;
  audit: AuditLog;
}

/** Who may read: either the refusal to send, or the reader's claims, the document and the disposition. */
export type DocumentAccess =
  | { kind: 'refused'; reply: DocumentReply }
  | { kind: 'allowed'; claims: AccessClaims; document: ServedDocument; attachment: boolean };

/** Checks the token on this request (signature, scope, revocation), the document and the permission. */
export async function authorizeDocumentRequest(deps: AccessDependencies, request: DocumentRequest, id: string): Promise<DocumentAccess> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { kind: 'refused', reply: errorReply(405, 'method_not_allowed', 'Use GET or HEAD.', { Allow: 'GET, HEAD' }) };
  }
  const token = bearerCredential(request.header('authorization'));
  if (!token) return { kind: 'refused', reply: invalidTokenReply() };
  let claims;
  try {
    claims = await deps.tokens.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    deps.audit(`auth.failure route=content doc=${id} reason=${error.message}`);
    return { kind: 'refused', reply: invalidTokenReply(error.message === 'revoked') };
  }
  const document = claims.doc === id ? await deps.documents(id) : null;
  if (!document) {
    // The same reply whether the document is unknown or the token is for another one.
    deps.audit(`auth.failure route=content doc=${id} reason=document-mismatch`);
    return { kind: 'refused', reply: errorReply(404, 'not_found', 'Not found.') };
  }
  if (claims.render === 'server') {
    // The token opens pages rendered on the server only: the document's bytes stay there.
    deps.audit(`content.refused doc=${id} reason=render-server`);
    return { kind: 'refused', reply: serverRenderOnlyReply() };
  }
  const attachment = request.query !== '' && new URLSearchParams(request.query).get('disposition') === 'attachment';
  const needed = attachment ? 'download' : 'read';
  if (!claims.permissions.includes('read') || !claims.permissions.includes(needed)) {
    const reply = errorReply(403, 'insufficient_scope', 'The access token does not allow this.', {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${needed}"`,
    });
    return { kind: 'refused', reply };
  }
  return { kind: 'allowed', claims, document, attachment };
}

export interface BytesOptions {
  /** Sent as `Content-Disposition: attachment` rather than inline. */
  attachment?: boolean;
  limits?: RangeLimits;
  /** Changes what was decided from Range and If-Range (a test server's faults). */
  adjustRanges?(decision: RangesDecision): RangesDecision;
  /** Parts even for a single range (a test server's faults). */
  alwaysMultipart?: boolean;
}

/** Content-Disposition values by title, inline and attachment: a reader asks for the same document over and over. */
const dispositions = new Map<string, { inline: string; attachment: string }>();
const DISPOSITIONS_KEPT = 1000;

function dispositionOf(attachment: boolean, title: string): string {
  let known = dispositions.get(title);
  if (!known) {
    if (dispositions.size >= DISPOSITIONS_KEPT) dispositions.clear();
    known = { inline: contentDisposition('inline', title), attachment: contentDisposition('attachment', title) };
    dispositions.set(title, known);
  }
  return attachment ? known.attachment : known.inline;
}

/** What to send for GET/HEAD of a document: status, headers and the body's spans (none for HEAD). */
export function decideDocumentBytes(
  request: Pick<DocumentRequest, 'method' | 'header'>,
  document: ServedDocument,
  options: BytesOptions = {},
): DocumentReply {
  const { size, etag } = document;
  let decision = decideRanges(request.header('range'), request.header('if-range'), size, etag, options.limits ?? DEFAULT_RANGE_LIMITS);
  if (options.adjustRanges) decision = options.adjustRanges(decision);
  if (decision.kind === 'unsatisfiable') {
    return errorReply(416, 'range_not_satisfiable', 'Range not satisfiable.', { 'Accept-Ranges': 'bytes', ETag: etag, 'Content-Range': `bytes */${size}` });
  }
  const headers = securityHeaders();
  headers['Accept-Ranges'] = 'bytes';
  headers['ETag'] = etag;
  headers['Content-Type'] = 'application/pdf';
  headers['Content-Disposition'] = dispositionOf(options.attachment === true, document.title);
  const head = request.method === 'HEAD';
  if (decision.kind === 'partial' && (decision.ranges.length > 1 || options.alwaysMultipart)) {
    // Several ranges: one part each, read from one opening of the source as each part is reached.
    const multipart = { boundary: newBoundary(), contentType: 'application/pdf', size };
    headers['Content-Type'] = `multipart/byteranges; boundary=${multipart.boundary}`;
    headers['Content-Length'] = String(multipartLength(multipart.boundary, multipart.contentType, decision.ranges, size));
    return { status: 206, headers, body: head ? null : { source: document.source, spans: decision.ranges, multipart } };
  }
  const single = decision.kind === 'partial' ? decision.ranges[0]! : null;
  const span = single ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : span.end - span.start + 1;
  headers['Content-Length'] = String(length);
  if (single) headers['Content-Range'] = contentRange(span.start, span.end, size);
  const status = single ? 206 : 200;
  if (head || length === 0) return { status, headers, body: null };
  return { status, headers, body: { source: document.source, spans: [span], multipart: null } };
}

/**
 * The body as a Node stream: a plain range opened now, or the parts, whose source is opened when
 * first read. `announce` changes what each part's head says (a test server's lying fault).
 */
export async function openDocumentBody(body: DocumentBody, announce?: (span: ByteSpan) => ByteSpan): Promise<Readable> {
  if (body.multipart === null) return openByteRange(body.source, body.spans[0]!.start, body.spans[0]!.end);
  const { boundary, contentType, size } = body.multipart;
  return multipartBody(() => openByteRanges(body.source), body.spans, size, contentType, boundary, announce);
}

/**
 * Pipes a body to the response, as a bare static server would (the cheapest way to move the
 * bytes), and ends both when the client stops taking bytes for `idleMs`, goes away or the
 * source fails: the socket and the file are closed then.
 */
export function pipeBody(stream: Readable, res: ServerResponse, idleMs: number): Promise<void> {
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    // The client went away while the request was decided: its 'close' has passed, and a pipe into
    // it would wait for ever with the source open.
    if (res.destroyed) {
      stream.destroy();
      return;
    }
    endWhenIdle(stream, idleMs);
    stream.once('error', () => res.destroy());
    res.once('close', () => stream.destroy());
    stream.pipe(res);
  });
}

/** The default writer: the body opened and piped, ended when the client stops reading for `idleMs`. */
export function pipingWriter(idleMs: number): BodyWriter {
  return async (body, res) => pipeBody(await openDocumentBody(body), res, idleMs);
}

/**
 * Writes status and headers in one go: with nothing set on `res` before, Node writes the head
 * straight from the list (no per-header bookkeeping); headers set before are kept.
 */
export function writeReplyHead(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>): void {
  const list: string[] = [];
  for (const name in headers) list.push(name, headers[name]!);
  res.writeHead(status, list);
}

/** Writes a reply to a Node response: status, headers, then the body through `writer`. */
export async function sendDocumentReply(res: ServerResponse, reply: DocumentReply, writer: BodyWriter): Promise<void> {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  if (reply.body === null || typeof reply.body === 'string') {
    if (typeof reply.body === 'string') res.setHeader('Content-Length', Buffer.byteLength(reply.body));
    res.end(reply.body ?? undefined);
    return;
  }
  try {
    await writer(reply.body, res);
  } catch (error) {
    // The source could not be opened: whatever answers instead must not carry the bytes' headers.
    if (!res.headersSent) for (const name of Object.keys(reply.headers)) if (!(name in SECURITY_HEADERS)) res.removeHeader(name);
    throw error;
  }
}
