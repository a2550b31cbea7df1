// Reader-facing token endpoints: password exchange with refresh cookie (B-7..B-14), cookie
// refresh, and the demo-only session-token endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendContext } from './context.ts';
import { grantable } from './documents-api.ts';
import { ALL_PERMISSIONS } from './data-store.ts';
import { HttpError, clientIp, headerValue, isHttps, mediaType, parseCookies, readJsonObject, sendJson } from './http.ts';
import { MAX_PASSWORD_BYTES } from './passwords.ts';
import { PER_CLIENT, PER_DOCUMENT, PER_DOCUMENT_AND_CLIENT } from './throttle.ts';

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

function refreshCookie(req: IncomingMessage, id: string, value: string, maxAgeSeconds: number): string {
  // Secure only over HTTPS, so the plain-http demo on 127.0.0.1 still works (see README).
  const secure = isHttps(req) ? '; Secure' : '';
  return `${REFRESH_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/api/documents/${id}/; Max-Age=${maxAgeSeconds}${secure}`;
}

function clearedCookie(req: IncomingMessage, id: string): string {
  return refreshCookie(req, id, '', 0);
}

/** Passwords belong in the body only (B-14); refuse before reading anything else. */
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
  ctx.cors.assertOrigin(req);
  const body = await readJsonObject(req);
  const password = body['password'];
  if (typeof password !== 'string' || password.length === 0 || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw new HttpError(400, 'invalid_request', 'password must be a non-empty string of at most 1024 bytes.');
  }
  const ip = clientIp(req);
  // Unknown ids are throttled exactly like real ones (B-13).
  const reservation = ctx.throttle.reserve([
    { key: `doc-client:${id}:${ip}`, rule: PER_DOCUMENT_AND_CLIENT, resetOnSuccess: true },
    { key: `client:${ip}`, rule: PER_CLIENT },
    { key: `doc:${id}`, rule: PER_DOCUMENT },
  ]);
  if (!reservation.allowed) {
    ctx.audit(`password.throttled doc=${id} client=${ip}`);
    throw new HttpError(429, 'rate_limited', `Too many attempts. Try again in ${reservation.retryAfterSeconds} s.`, {
      'Retry-After': String(reservation.retryAfterSeconds),
    });
  }
  const resolved = ctx.resolve(id);
  let ok = false;
  try {
    // Always one scrypt run, against a dummy hash when there is no such password (B-11, B-12).
    ok = await ctx.hasher.verify(password, resolved?.meta.password_hash ?? null);
  } finally {
    reservation.settle(ok);
  }
  if (!ok || !resolved) {
    ctx.audit(`password.failure doc=${id} client=${ip}`);
    throw invalidPassword();
  }
  const issued = await ctx.tokens.issue({
    doc: id,
    permissions: [...resolved.meta.permissions],
    lifetimeSeconds: PASSWORD_TOKEN_LIFETIME_SECONDS,
  });
  const session = ctx.refresh.create(id);
  ctx.audit(`password.success doc=${id} client=${ip}`);
  sendJson(res, 200, { token: issued.token, expires_in: issued.expiresIn }, { 'Set-Cookie': refreshCookie(req, id, session.token, session.maxAgeSeconds) });
}

/**
 * CSRF defence for the cookie endpoint (B-9): an allowed Origin, no cross-site fetch metadata,
 * and either no body or a JSON one. Form encodings (what a cross-site <form> can send) are refused.
 */
function assertRefreshRequest(req: IncomingMessage, ctx: BackendContext): void {
  ctx.cors.assertOrigin(req);
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
  const clear = { 'Set-Cookie': clearedCookie(req, id) };
  if (!cookie) throw invalidRefresh();
  const result = ctx.refresh.rotate(cookie, id);
  if (result.kind === 'reuse') {
    ctx.audit(`refresh.reuse doc=${id} client=${clientIp(req)} family=revoked`);
    throw invalidRefresh(clear);
  }
  const resolved = ctx.resolve(id);
  if (result.kind === 'invalid' || !resolved) {
    ctx.audit(`refresh.failure doc=${id} client=${clientIp(req)}`);
    throw invalidRefresh(clear);
  }
  const issued = await ctx.tokens.issue({
    doc: id,
    permissions: [...resolved.meta.permissions],
    lifetimeSeconds: PASSWORD_TOKEN_LIFETIME_SECONDS,
  });
  ctx.audit(`refresh.success doc=${id}`);
  sendJson(res, 200, { token: issued.token, expires_in: issued.expiresIn }, { 'Set-Cookie': refreshCookie(req, id, result.token, result.maxAgeSeconds) });
}

/**
 * POST /demo/session-token?doc=&ttl=&permissions= → `{token, expires_in}`.
 * DEMO ONLY: stands in for "the host's backend, after authenticating its user, asks for a viewer
 * token with its API key". It has no authentication of its own; a real host replaces it with its
 * own session check plus POST /api/tokens. Documents with an access password are refused here.
 */
export async function demoSessionToken(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, ctx: BackendContext): Promise<void> {
  ctx.cors.assertOrigin(req);
  const id = query.get('doc') ?? '';
  const resolved = ctx.resolve(id);
  if (!resolved) throw new HttpError(404, 'not_found', 'Not found.');
  if (resolved.meta.password_hash) throw new HttpError(403, 'password_required', 'This document needs its access password.');
  const ttlText = query.get('ttl');
  const ttl = ttlText === null ? SESSION_TOKEN_DEFAULT_TTL : Number(ttlText);
  if (!Number.isInteger(ttl) || ttl < SESSION_TOKEN_MIN_TTL || ttl > SESSION_TOKEN_MAX_TTL) {
    throw new HttpError(400, 'invalid_request', `ttl must be an integer from ${SESSION_TOKEN_MIN_TTL} to ${SESSION_TOKEN_MAX_TTL}.`);
  }
  const requested = query.get('permissions')?.split(',').map((p) => p.trim()) ?? [...ALL_PERMISSIONS];
  const permissions = grantable(resolved.meta, requested);
  if (!permissions.includes('read')) throw new HttpError(400, 'invalid_request', 'permissions must include "read".');
  const issued = await ctx.tokens.issue({ doc: id, permissions, sub: 'demo-reader', lifetimeSeconds: ttl });
  sendJson(res, 200, { token: issued.token, expires_in: issued.expiresIn });
}
