// The download a token with `download` gets: the original file with every page stamped (who, when,
// which token) by an incremental update, so the original bytes are its unchanged prefix. The
// stamping runs in the render pool; the audit log maps the token id to the reader.
import { contentDisposition } from '../content-disposition.ts';
import type { AuditLog } from '../handlers/audit.ts';
import { checkAccess, type AccessOptions } from '../render/access.ts';
import type { DocumentBytes } from '../render/document-bytes.ts';
import { renderErrorResponse } from '../render/render-error-response.ts';
import type { RenderPool } from '../render/render-pool.ts';
import type { AccessClaims } from '../token-service.ts';
import { SECURITY_HEADERS } from '../web/responses.ts';

/** What the stamp says: the reader, the time of the download, the token id. */
export type StampLines = (claims: AccessClaims, at: Date) => string[];

export const defaultStampLines: StampLines = (claims, at) => [
  `Downloaded by ${claims.sub ?? 'reader'}`,
  at.toISOString().replace(/\.\d+Z$/, 'Z'),
  `token ${claims.jti}`,
];

export interface StampedDownloadOptions extends AccessOptions {
  pool: RenderPool;
  bytes: DocumentBytes;
  stamp: StampLines;
  audit: AuditLog;
}

export type StampedDownloadHandler = (request: Request, id: string) => Promise<Response>;

export function createStampedDownloadHandler(options: StampedDownloadOptions): StampedDownloadHandler {
  return async (request, id) => {
    const access = await checkAccess(options, request, id, 'download', 'download');
    if (!access.ok) return access.response;
    const { claims, document } = access;
    let original: Uint8Array;
    let appended: Uint8Array;
    try {
      const ref = await options.bytes.get(id, document);
      const result = await options.pool.run({ kind: 'stamp', doc: ref, lines: options.stamp(claims, new Date()) });
      if (result.kind !== 'stamp') throw new TypeError('unexpected render result');
      original = new Uint8Array(ref.bytes);
      appended = result.appended;
    } catch (error) {
      return renderErrorResponse(error);
    }
    options.audit(`download.stamped doc=${id} jti=${claims.jti} sub=${encodeURIComponent(claims.sub ?? '-')}`);
    const body = new Uint8Array(original.byteLength + appended.byteLength);
    body.set(original, 0);
    body.set(appended, original.byteLength);
    return new Response(body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/pdf',
        'Content-Length': String(body.byteLength),
        'Content-Disposition': contentDisposition('attachment', document.title),
      },
    });
  };
}
