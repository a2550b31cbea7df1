// The reply when a token cannot be signed yet because its document's revocation time lies ahead
// of this server's clock (instances whose clocks disagree): 503 with Retry-After, at once.
import type { IssueDeferredError } from '../token-service.ts';
import { errorResponse } from '../web/responses.ts';

/** Retry-After is capped: a revocation time far ahead is a clock problem to fix, not to wait out. */
const MAX_RETRY_AFTER_SECONDS = 300;

export function deferred(error: IssueDeferredError): Response {
  const retryAfter = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, error.retryAfterSeconds));
  return errorResponse(503, 'token_unavailable', 'A token cannot be issued for this document right now. Try again shortly.', {
    'Retry-After': String(retryAfter),
  });
}
