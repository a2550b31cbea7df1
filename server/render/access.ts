// The checks every server-rendering request passes first: a valid token for this very document
// (the same 404 for an unknown document and another document's token, as the content handler
// gives) with the permission the request needs, then the token's render budget.
import type { AuditLog } from '../handlers/audit.ts';
import type { ServedDocument } from '../handlers/document-handler.ts';
import type { Permission } from '../document-meta.ts';
import { InvalidTokenError, type AccessClaims, type TokenService } from '../token-service.ts';
import { invalidTokenReply } from '../handlers/document-reply.ts';
import { bearerCredential } from '../web/request-parts.ts';
import { errorResponse, notFoundResponse } from '../web/responses.ts';
import type { RenderBudget } from './render-budget.ts';

export interface AccessOptions {
  tokens: TokenService;
  documents(id: string): Promise<ServedDocument | null>;
  budget: RenderBudget;
  audit: AuditLog;
}

/** The host side's one 401, as the content handler gives it (saying so when the token was revoked). */
function invalidTokenResponse(revoked = false): Response {
  const reply = invalidTokenReply(revoked);
  return new Response(reply.body as string, { status: reply.status, headers: reply.headers });
}

export type Access = { ok: true; claims: AccessClaims; document: ServedDocument } | { ok: false; response: Response };

export async function checkAccess(options: AccessOptions, request: Request, id: string, route: string, needed: Permission): Promise<Access> {
  if (request.method !== 'GET') {
    return { ok: false, response: errorResponse(405, 'method_not_allowed', 'Use GET.', { Allow: 'GET' }) };
  }
  const token = bearerCredential(request.headers.get('authorization'));
  if (!token) return { ok: false, response: invalidTokenResponse() };
  let claims: AccessClaims;
  try {
    claims = await options.tokens.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    options.audit(`auth.failure route=${route} doc=${id} reason=${error.message}`);
    return { ok: false, response: invalidTokenResponse(error.message === 'revoked') };
  }
  const document = claims.doc === id ? await options.documents(id) : null;
  if (!document) {
    options.audit(`auth.failure route=${route} doc=${id} reason=document-mismatch`);
    return { ok: false, response: notFoundResponse() };
  }
  if (!claims.permissions.includes('read') || !claims.permissions.includes(needed)) {
    return {
      ok: false,
      response: errorResponse(403, 'insufficient_scope', 'The access token does not allow this.', {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${needed}"`,
      }),
    };
  }
  const budget = await options.budget(claims.jti);
  if (!budget.allowed) {
    if ('unavailable' in budget) return { ok: false, response: errorResponse(503, 'unavailable', 'Try again shortly.', { 'Retry-After': '1' }) };
    return {
      ok: false,
      response: errorResponse(429, 'render_budget_exceeded', 'Too many pages asked for; try again later.', { 'Retry-After': String(budget.retryAfterSeconds) }),
    };
  }
  return { ok: true, claims, document };
}
