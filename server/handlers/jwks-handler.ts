// GET of the JWKS document: the public halves of the signing keys, for other services that verify
// the viewer tokens. Public by nature; cached briefly, so a retired key leaves caches soon.
import type { SigningKeyRing } from '../signing-key-ring.ts';
import { SECURITY_HEADERS } from '../web/responses.ts';
import { errorResponse } from '../web/responses.ts';

/** How long verifiers may cache the document: a retired key is gone from their view within this. */
export const JWKS_MAX_AGE_SECONDS = 60;

export type JwksHandler = (request: Request) => Promise<Response>;

export function createJwksHandler(ring: SigningKeyRing): JwksHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse(405, 'method_not_allowed', 'Use GET.', { Allow: 'GET, HEAD' });
    const body = JSON.stringify(ring.jwks());
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/jwk-set+json',
        'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
        'Access-Control-Allow-Origin': '*',
      },
    });
  };
}
