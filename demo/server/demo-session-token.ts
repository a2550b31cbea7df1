// POST /demo/session-token: the demo pages' stand-in for a host backend that signs its users in.
import type { BackendContext } from './context.ts';
import { grantable } from './documents-api.ts';
import { HttpError, notFound } from './http.ts';
import { IssueDeferredError, jsonResponse } from '../../server/index.ts';

const SESSION_TOKEN_DEFAULT_TTL = 300;
const SESSION_TOKEN_MIN_TTL = 5;
const SESSION_TOKEN_MAX_TTL = 900;

/**
 * POST /demo/session-token?doc=&ttl=&permissions= → `{token, expires_in}`.
 * DEMO ONLY (mounted by `npm start`, never by `npm run serve`): stands in for "the host's backend,
 * after authenticating its user, asks for a viewer token with its API key". It has no
 * authentication of its own, so it is narrowed as far as a demo allows: a browser Origin of this
 * server (or an allowed one) is required, tokens grant `read` unless more is asked for, and an
 * unknown document and one with an access password get the same 404.
 */
export async function demoSessionToken(request: Request, query: URLSearchParams, ctx: BackendContext): Promise<Response> {
  ctx.cors.assertOrigin(request, ctx.source, { required: true });
  const id = query.get('doc') ?? '';
  const meta = await ctx.resolve(id);
  if (!meta || meta.password_hash) throw notFound();
  const ttlText = query.get('ttl');
  const ttl = ttlText === null ? SESSION_TOKEN_DEFAULT_TTL : Number(ttlText);
  if (!Number.isInteger(ttl) || ttl < SESSION_TOKEN_MIN_TTL || ttl > SESSION_TOKEN_MAX_TTL) {
    throw new HttpError(400, 'invalid_request', `ttl must be an integer from ${SESSION_TOKEN_MIN_TTL} to ${SESSION_TOKEN_MAX_TTL}.`);
  }
  const requested = query.get('permissions')?.split(',').map((p) => p.trim()) ?? ['read'];
  const permissions = grantable(meta, requested);
  if (!permissions.includes('read')) throw new HttpError(400, 'invalid_request', 'permissions must include "read".');
  const issued = await ctx.tokens.issue({ doc: id, permissions, sub: 'demo-reader', lifetimeSeconds: ttl }).catch((error: unknown) => {
    if (!(error instanceof IssueDeferredError)) throw error;
    throw new HttpError(503, 'token_unavailable', 'A token cannot be issued for this document right now. Try again shortly.', {
      'Retry-After': String(Math.min(300, error.retryAfterSeconds)),
    });
  });
  return jsonResponse(200, { token: issued.token, expires_in: issued.expiresIn });
}
