// POST {password} → a short-lived viewer token plus a rotating refresh cookie. Attempts are
// counted before any hashing; unknown documents, documents without a password and wrong
// passwords get the same reply after the same work (one scrypt run each).
import { isValidDocumentId, type Permission } from '../document-meta.ts';
import { HasherBusyError, MAX_PASSWORD_BYTES, type PasswordHash, type PasswordHasher } from '../password-hasher.ts';
import type { PasswordThrottle } from '../password-throttle.ts';
import type { RefreshFamilies } from '../store/shared-store.ts';
import { IssueDeferredError, type TokenService } from '../token-service.ts';
import { readJsonObject } from '../web/request-parts.ts';
import { errorResponse, jsonResponse, notFoundResponse } from '../web/responses.ts';
import { deferred } from './issue-deferred.ts';
import type { AuditLog } from './audit.ts';
import type { ClientInfo } from './client-info.ts';
import { refreshCookie, type RefreshCookieOptions } from './refresh-cookie.ts';

/** Access tokens from the password flow live this long by default; the refresh cookie renews them. */
export const PASSWORD_TOKEN_LIFETIME_SECONDS = 10 * 60;
const JSON_BODY_LIMIT = 16 * 1024;

/** What the exchange needs to know about a document. */
export interface PasswordProtectedDocument {
  permissions: readonly Permission[];
  /** Absent: the document has no access password (every attempt fails). */
  passwordHash?: PasswordHash | undefined;
}

export interface PasswordExchangeOptions {
  tokens: TokenService;
  hasher: PasswordHasher;
  throttle: PasswordThrottle;
  refreshFamilies: RefreshFamilies;
  documents(id: string): Promise<PasswordProtectedDocument | null>;
  /** Origins whose pages may post passwords (besides requests without Origin). */
  originAllowed(origin: string): boolean;
  tokenLifetimeSeconds?: number;
  cookie?: RefreshCookieOptions;
  audit?: AuditLog;
}

export type PasswordExchangeHandler = (request: Request, documentId: string, client: ClientInfo) => Promise<Response>;

function invalidPassword(): Response {
  return errorResponse(401, 'invalid_password', 'Incorrect password.');
}

export function createPasswordExchangeHandler(options: PasswordExchangeOptions): PasswordExchangeHandler {
  const audit = options.audit ?? (() => {});
  const cookie = refreshCookie(options.cookie);
  const lifetime = options.tokenLifetimeSeconds ?? PASSWORD_TOKEN_LIFETIME_SECONDS;
  return async (request, id, client) => {
    if (request.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.', { Allow: 'POST' });
    // An id no document can have is refused before any work: no throttle entry, no hashing.
    if (!isValidDocumentId(id)) return notFoundResponse();
    // Passwords belong in the body only: URLs end up in logs.
    if (new URL(request.url).searchParams.has('password')) {
      return errorResponse(400, 'password_in_url', 'Send the password in the JSON body, never in the URL.');
    }
    const origin = request.headers.get('origin');
    if (origin !== null && !options.originAllowed(origin)) return errorResponse(403, 'origin_not_allowed', 'Origin not allowed.');
    const body = await readJsonObject(request, JSON_BODY_LIMIT);
    if (!body.ok) return errorResponse(body.status, body.code, body.message);
    const password = body.value['password'];
    if (typeof password !== 'string' || password.length === 0 || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
      return errorResponse(400, 'invalid_request', 'password must be a non-empty string of at most 1024 bytes.');
    }
    // Unknown ids are throttled exactly like real ones.
    const reservation = await options.throttle.reserve(id, client.key);
    if (!reservation.allowed) {
      audit(`password.throttled doc=${id} client=${client.key}`);
      return errorResponse(429, 'rate_limited', `Too many attempts. Try again in ${reservation.retryAfterSeconds} s.`, {
        'Retry-After': String(reservation.retryAfterSeconds),
      });
    }
    const document = await options.documents(id);
    let ok: boolean;
    try {
      // Always one scrypt run, against a dummy hash when there is nothing to compare.
      ok = await options.hasher.verify(password, document?.passwordHash ?? null);
    } catch (error) {
      await reservation.cancel(); // never evaluated: neither a failure nor a success
      if (!(error instanceof HasherBusyError)) throw error;
      audit(`password.busy doc=${id} client=${client.key}`);
      return errorResponse(503, 'busy', 'Too many password checks at once. Try again shortly.', { 'Retry-After': String(error.retryAfterSeconds) });
    }
    await reservation.settle(ok);
    if (!ok || !document) {
      audit(`password.failure doc=${id} client=${client.key}`);
      return invalidPassword();
    }
    let issued;
    try {
      issued = await options.tokens.issue({ doc: id, permissions: [...document.permissions], lifetimeSeconds: lifetime });
    } catch (error) {
      if (error instanceof IssueDeferredError) return deferred(error);
      throw error;
    }
    const session = await options.refreshFamilies.create(id);
    audit(`password.success doc=${id} client=${client.key}`);
    return jsonResponse(
      200,
      { token: issued.token, expires_in: issued.expiresIn },
      { 'Set-Cookie': cookie.serialize(id, session.token, session.maxAgeSeconds, client.https) },
    );
  };
}
