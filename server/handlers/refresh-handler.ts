// POST with the refresh cookie → a new viewer token and the rotated cookie. A rotated cookie
// presented again revokes its family. Cross-site requests are refused: an Origin must be
// allowed, cross-site fetch metadata without Origin is refused, and only an empty or JSON body
// is accepted (a cross-site <form> cannot send JSON).
import { isValidDocumentId, type Permission } from '../document-meta.ts';
import type { RefreshFamilies } from '../store/shared-store.ts';
import { IssueDeferredError, RevokedWhileIssuingError, type TokenService } from '../token-service.ts';
import { cookie as readCookie, mediaType, readJsonObject } from '../web/request-parts.ts';
import { errorResponse, jsonResponse, notFoundResponse } from '../web/responses.ts';
import { deferred } from './issue-deferred.ts';
import type { AuditLog } from './audit.ts';
import type { ClientInfo } from './client-info.ts';
import { PASSWORD_TOKEN_LIFETIME_SECONDS } from './password-exchange-handler.ts';
import { refreshCookie, type RefreshCookieOptions } from './refresh-cookie.ts';

export interface RefreshOptions {
  tokens: TokenService;
  refreshFamilies: RefreshFamilies;
  /** The permissions a renewed token carries, or null when the document is gone. */
  documents(id: string): Promise<{ permissions: readonly Permission[] } | null>;
  originAllowed(origin: string): boolean;
  tokenLifetimeSeconds?: number;
  cookie?: RefreshCookieOptions;
  audit?: AuditLog;
}

export type RefreshHandler = (request: Request, documentId: string, client: ClientInfo) => Promise<Response>;

export function createRefreshHandler(options: RefreshOptions): RefreshHandler {
  const audit = options.audit ?? (() => {});
  const cookie = refreshCookie(options.cookie);
  const lifetime = options.tokenLifetimeSeconds ?? PASSWORD_TOKEN_LIFETIME_SECONDS;
  return async (request, id, client) => {
    if (request.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.', { Allow: 'POST' });
    // An id no document can have is refused before any work: no throttle entry, no hashing.
    if (!isValidDocumentId(id)) return notFoundResponse();
    const origin = request.headers.get('origin');
    const crossSite = request.headers.get('sec-fetch-site') === 'cross-site';
    if ((origin !== null && !options.originAllowed(origin)) || (origin === null && crossSite)) {
      return errorResponse(403, 'origin_not_allowed', 'Origin not allowed.');
    }
    const type = mediaType(request);
    if (type !== '' && type !== 'application/json') return errorResponse(403, 'csrf_rejected', 'Send no body or a JSON body.');
    const body = await readJsonObject(request, 16 * 1024, { allowEmpty: true });
    if (!body.ok) return errorResponse(body.status, body.code, body.message);
    const clear = { 'Set-Cookie': cookie.cleared(id, client.https) };
    const invalid = (headers: Record<string, string> = {}): Response =>
      errorResponse(401, 'invalid_refresh_token', 'The session has expired. Enter the password again.', headers);
    const presented = readCookie(request, cookie.name);
    if (!presented) return invalid();
    // Read before the session is checked: a revocation landing after this point, while the
    // refresh is in flight, must not be outlived by the token it ends with.
    const authorizedAt = await options.tokens.revocationMark(id);
    const result = await options.refreshFamilies.rotate(presented, id);
    if (result.kind === 'reuse') {
      audit(`refresh.reuse doc=${id} client=${client.key} family=revoked`);
      return invalid(clear);
    }
    const document = await options.documents(id);
    if (result.kind === 'invalid' || !document) {
      audit(`refresh.failure doc=${id} client=${client.key}`);
      return invalid(clear);
    }
    let issued;
    try {
      issued = await options.tokens.issue({ doc: id, permissions: [...document.permissions], lifetimeSeconds: lifetime, authorizedAt });
    } catch (error) {
      if (error instanceof RevokedWhileIssuingError) {
        audit(`refresh.failure doc=${id} client=${client.key} reason=revoked-in-flight`);
        return invalid(clear);
      }
      if (error instanceof IssueDeferredError) return deferred(error);
      throw error;
    }
    audit(`refresh.success doc=${id}`);
    return jsonResponse(
      200,
      { token: issued.token, expires_in: issued.expiresIn },
      { 'Set-Cookie': cookie.serialize(id, result.token, result.maxAgeSeconds, client.https) },
    );
  };
}
