// GET/HEAD of a document: the token is checked on every request (signature, scope, permission,
// revocation), then one byte range is served from the document's byte source with a strong
// ETag, no content coding and private-data headers.
import type { ByteSource } from '../byte-source.ts';
import { openByteRange } from '../byte-source.ts';
import { contentDisposition } from '../content-disposition.ts';
import { contentRange, decideRange } from '../range.ts';
import { InvalidTokenError, type TokenService } from '../token-service.ts';
import { SECURITY_HEADERS, errorResponse, invalidTokenResponse, nodeStreamResponse, notFoundResponse } from '../web/responses.ts';
import { bearerToken } from '../web/request-parts.ts';
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

/** Serves one document to a request: `(request, documentId) → Response`. */
export type DocumentHandler = (request: Request, documentId: string) => Promise<Response>;

export function createDocumentHandler(options: DocumentHandlerOptions): DocumentHandler {
  const audit = options.audit ?? (() => {});
  return async (request, id) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return errorResponse(405, 'method_not_allowed', 'Use GET or HEAD.', { Allow: 'GET, HEAD' });
    }
    const token = bearerToken(request);
    if (!token) return invalidTokenResponse();
    let claims;
    try {
      claims = await options.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      audit(`auth.failure route=content doc=${id} reason=${error.message}`);
      return invalidTokenResponse();
    }
    const document = claims.doc === id ? await options.documents(id) : null;
    if (!document) {
      // The same reply whether the document is unknown or the token is for another one.
      audit(`auth.failure route=content doc=${id} reason=document-mismatch`);
      return notFoundResponse();
    }
    const attachment = new URL(request.url).searchParams.get('disposition') === 'attachment';
    const needed = attachment ? 'download' : 'read';
    if (!claims.permissions.includes('read') || !claims.permissions.includes(needed)) {
      return errorResponse(403, 'insufficient_scope', 'The access token does not allow this.', {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${needed}"`,
      });
    }
    const { size, etag } = document;
    const decision = decideRange(request.headers.get('range'), request.headers.get('if-range'), size, etag);
    if (decision.kind === 'unsatisfiable') {
      return errorResponse(416, 'range_not_satisfiable', 'Range not satisfiable.', {
        'Accept-Ranges': 'bytes',
        ETag: etag,
        'Content-Range': `bytes */${size}`,
      });
    }
    const start = decision.kind === 'partial' ? decision.start : 0;
    const end = decision.kind === 'partial' ? decision.end : size - 1;
    const length = size === 0 ? 0 : end - start + 1;
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Content-Type': 'application/pdf',
      'Content-Length': String(length),
      'Content-Disposition': contentDisposition(attachment ? 'attachment' : 'inline', document.title),
    };
    if (decision.kind === 'partial') headers['Content-Range'] = contentRange(start, end, size);
    const status = decision.kind === 'partial' ? 206 : 200;
    if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
    return nodeStreamResponse(await openByteRange(document.source, start, end), { status, headers });
  };
}
