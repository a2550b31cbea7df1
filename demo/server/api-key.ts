// API key check for the host-backend endpoints (document upload/list, token issuing).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError, bearerToken, headerValue } from './http.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time: both sides are hashed to equal length before comparing. */
export function apiKeyMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Accepts `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
export function requireApiKey(req: IncomingMessage, expected: string): void {
  const presented = bearerToken(req) ?? headerValue(req, 'x-api-key');
  if (presented === null || !apiKeyMatches(presented, expected)) {
    throw new HttpError(401, 'invalid_api_key', 'A valid API key is required.', { 'WWW-Authenticate': 'Bearer realm="secure-viewer-api"' });
  }
}
