// Reader-facing token endpoints: password exchange with a rotating refresh cookie, cookie
// refresh, and the demo-only session-token endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HasherBusyError, MAX_PASSWORD_BYTES } from '../../server/password-hasher.ts';
import type { BackendContext } from './context.ts';
import { grantable } from './documents-api.ts';
import { HttpError, headerValue, mediaType, notFound, parseCookies, readJsonObject, sendJson } from './http.ts';

export const REFRESH_COOKIE = 'sv_refresh';
/** Access tokens from the password flow; the refresh cookie renews them. */
export const PASSWORD_TOKEN_LIFETIME_SECONDS = 10 * 60;
const SESSION_TOKEN_DEFAULT_TTL = 300;
const SESSION_TOKEN_MIN_TTL = 5;
const SESSION_TOKEN_MAX_TTL = 900;

function invalidPassword(): HttpError {
  return new HttpError(401, 'invalid_password', 'Incorrect password.');
}

function invalidRefresh(headers: Record<string, string> = {}): HttpError {
  return new HttpError(401, 'invalid_refresh_token', 'The session has expired. Enter the password again.', headers);
}

function refreshCookie(req: IncomingMessage, id: string, value: string, maxAgeSeconds: number, ctx: BackendContext): string {
  // Secure only over HTTPS, so the plain-http demo on 127.0.0.1 still works (see README).
  const secure = ctx.source.isHttps(req) ? '; Secure' : '';
  return `${REFRESH_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/api/documents/${id}/; Max-Age=${maxAgeSeconds}${secure}`;
}

function clearedCookie(req: IncomingMessage, id: string, ctx: BackendContext): string {
  return refreshCookie(req, id, '', 0, ctx);
}

/** Passwords belong in the body only (URLs end up in logs); refuse before reading anything else. */
function refuseSecretsInQuery(query: URLSearchParams): void {
  if (query.has('password')) throw new HttpError(400, 'password_in_url', 'Send the password in the JSON body, never in the URL.');
}

/** POST /api/documents/:id/password-token `{password}` → `{token, expires_in}` + refresh cookie. */
export async function exchangePassword(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  query: URLSearchParams,
  ctx: BackendContext,
): Promise<void> {
  refuseSecretsInQuery(query);
  ctx.cors.assertOrigin(req, ctx.source);
  const body = await readJsonObject(req);
  const password = body['password'];
  if (typeof password !== 'string' || password.length === 0 || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw new HttpError(400, 'invalid_request', 'password must be a non-empty string of at most 1024 bytes.');
  }
  const client = ctx.source.throttleKey(req);
  // Counted before any hashing; unknown ids are throttled exactly like real ones.
  const reservation = await ctx.throttle.reserve(id, client);
  if (!reservation.allowed) {
    ctx.audit(`password.throttled doc=${id} client=${client}`);
    throw new HttpError(429, 'rate_limited', `Too many attempts. Try again in ${reservation.retryAfterSeconds} s.`, {
      'Retry-After': String(reservation.retryAfterSeconds),
    });
  }
  const resolved = await ctx.resolve(id);
  let ok = false;
  try {
    // Always one scrypt run, against a dummy hash when there is no such password, so unknown
    // documents, password-less documents and wrong passwords look and take the same.
    ok = await ctx.hasher.verify(password, resolved?.meta.password_hash ?? null);
  } catch (error) {
    if (error instanceof HasherBusyError) {
      await reservation.cancel(); // never evaluated: neither a failure nor a success
      ctx.audit(`password.busy doc=${id} client=${client}`);
      throw new HttpError(503, 'busy', 'Too many password checks at once. Try again shortly.', { 'Retry-After': String(error.retryAfterSeconds) });
    }
    throw error;
  }
  await reservation.settle(ok);
  if (!ok || !resolved) {
    ctx.audit(`password.failure doc=${id} client=${client}`);
    throw invalidPassword();
  }
  const issued = await ctx.tokens.issue({
    doc: id,
    permissions: [...resolved.meta.permissions],
    lifetimeSeconds: PASSWORD_TOKEN_LIFETIME_SECONDS,
  });
  const session = await ctx.refresh.create(id);
  ctx.audit(`password.success doc=${id} client=${client}`);
  sendJson(res, 200, { token: issued.token, expires_in: issued.expiresIn }, { 'Set-Cookie': refreshCookie(req, id, session.token, session.maxAgeSeconds, ctx) });
}

/**
 * CSRF defence for the cookie endpoint: an allowed Origin, no cross-site fetch metadata,
 * and either no body or a JSON one. Form encodings (what a cross-site <form> can send) are refused.
 */
function assertRefreshRequest(req: IncomingMessage, ctx: BackendContext): void {
  ctx.cors.assertOrigin(req, ctx.source);
  if (headerValue(req, 'sec-fetch-site') === 'cross-site' && headerValue(req, 'origin') === null) {
    throw new HttpError(403, 'origin_not_allowed', 'Origin not allowed.');
  }
  const type = mediaType(req);
  if (type !== '' && type !== 'application/json') throw new HttpError(403, 'csrf_rejected', 'Send no body or a JSON body.');
}

/** POST /api/documents/:id/refresh (cookie) → `{token, expires_in}` + rotated cookie. */
export async function refreshSession(req: IncomingMessage, res: ServerResponse, id: string, ctx: BackendContext): Promise<void> {
  assertRefreshRequest(req, ctx);
  await readJsonObject(req, { allowEmpty: true });
  const cookie = parseCookies(req).get(REFRESH_COOKIE);
  const clear = { 'Set-Cookie': clearedCookie(req, id, ctx) };
  if (!cookie) throw invalidRefresh();
  const result = await ctx.refresh.rotate(cookie, id);
  if (result.kind === 'reuse') {
    ctx.audit(`refresh.reuse doc=${id} client=${ctx.source.address(req)} family=revoked`);
    throw invalidRefresh(clear);
  }
  const resolved = await ctx.resolve(id);
  if (result.kind === 'invalid' || !resolved) {
    ctx.audit(`refresh.failure doc=${id} client=${ctx.source.address(req)}`);
    throw invalidRefresh(clear);
  }
  const issued = await ctx.tokens.issue({
    doc: id,
    permissions: [...resolved.meta.permissions],
    lifetimeSeconds: PASSWORD_TOKEN_LIFETIME_SECONDS,
  });
  ctx.audit(`refresh.success doc=${id}`);
  sendJson(res, 200, { token: issued.token, expires_in: issued.expiresIn }, { 'Set-Cookie': refreshCookie(req, id, result.token, result.maxAgeSeconds, ctx) });
}

/**
 * POST /demo/session-token?doc=&ttl=&permissions= → `{token, expires_in}`.
 * DEMO ONLY (mounted by `npm start`, never by `npm run serve`): stands in for "the host's backend,
 * after authenticating its user, asks for a viewer token with its API key". It has no
 * authentication of its own, so it is narrowed as far as a demo allows: a browser Origin of this
 * server (or an allowed one) is required, tokens grant `read` unless more is asked for, and an
 * unknown document and one with an access password get the same 404.
 */
export async function demoSessionToken(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, ctx: BackendContext): Promise<void> {
  ctx.cors.assertOrigin(req, ctx.source, { required: true });
  const id = query.get('doc') ?? '';
  const resolved = await ctx.resolve(id);
  if (!resolved || resolved.meta.password_hash) throw notFound();
  const ttlText = query.get('ttl');
  const ttl = ttlText === null ? SESSION_TOKEN_DEFAULT_TTL : Number(ttlText);
  if (!Number.isInteger(ttl) || ttl < SESSION_TOKEN_MIN_TTL || ttl > SESSION_TOKEN_MAX_TTL) {
    throw new HttpError(400, 'invalid_request', `ttl must be an integer from ${SESSION_TOKEN_MIN_TTL} to ${SESSION_TOKEN_MAX_TTL}.`);
  }
  const requested = query.get('permissions')?.split(',').map((p) => p.trim()) ?? ['read'];
  const permissions = grantable(resolved.meta, requested);
  if (!permissions.includes('read')) throw new HttpError(400, 'invalid_request', 'permissions must include "read".');
  const issued = await ctx.tokens.issue({ doc: id, permissions, sub: 'demo-reader', lifetimeSeconds: ttl });
  sendJson(res, 200, { token: issued.token, expires_in: issued.expiresIn });
}
