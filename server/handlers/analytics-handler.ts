// POST of reader events (the element's `analytics-url`): `{"events": [{ "type", "at", … }]}` with the
// viewer token in `Authorization: Bearer`. Who sent them and for which document come from the
// verified token only, never from the body or the URL. Batches are bounded in bytes and events,
// each token in events a minute; every event is checked and rebuilt before it is stored.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { parseReaderEvent } from '../accountability/reader-event.ts';
import type { AccountabilityLog, StoredReaderEvent } from '../store/accountability-log.ts';
import type { LimiterRule } from '../store/shared-store.ts';
import { InvalidTokenError, type TokenService } from '../token-service.ts';
import { bearerCredential, readJsonObject } from '../web/request-parts.ts';
import { errorResponse, jsonResponse, notFoundResponse } from '../web/responses.ts';
import type { AuditLog } from './audit.ts';

/** Bytes of one batch at most (the element's batches stay far below). */
export const MAX_ANALYTICS_BODY_BYTES = 32 * 1024;
/** Events of one batch at most. */
export const MAX_ANALYTICS_BATCH = 100;
/** Events one token may send a minute. */
export const ANALYTICS_RATE: LimiterRule = { name: 'analytics-events', points: 600, durationSeconds: 60 };

export interface AnalyticsOptions {
  tokens: TokenService;
  log: AccountabilityLog;
  /** The per-token counter (`store.limiter(ANALYTICS_RATE)`). */
  limiter: RateLimiterAbstract;
  audit?: AuditLog;
  /** Server clock, epoch milliseconds (tests). */
  now?: () => number;
}

/** `(request, documentId) → Response`: 202 `{ accepted, dropped }`. */
export type AnalyticsHandler = (request: Request, documentId: string) => Promise<Response>;

export function createAnalyticsHandler(options: AnalyticsOptions): AnalyticsHandler {
  const audit = options.audit ?? (() => {});
  const now = options.now ?? Date.now;
  return async (request, id) => {
    if (request.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.', { Allow: 'POST' });
    const token = bearerCredential(request.headers.get('authorization'));
    if (!token) return invalidToken();
    let claims;
    try {
      claims = await options.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      audit(`auth.failure route=analytics doc=${id} reason=${error.message}`);
      return invalidToken();
    }
    // The URL names the document only to route the request: it must be the token's.
    if (claims.doc !== id || !claims.permissions.includes('read')) return notFoundResponse();
    const body = await readJsonObject(request, MAX_ANALYTICS_BODY_BYTES);
    if (!body.ok) return errorResponse(body.status, body.code, body.message);
    const events = body.value['events'];
    if (!Array.isArray(events) || events.length === 0 || events.length > MAX_ANALYTICS_BATCH) {
      return errorResponse(400, 'invalid_request', `events must be an array of 1 to ${MAX_ANALYTICS_BATCH} events.`);
    }
    try {
      await options.limiter.consume(claims.jti, events.length);
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection;
      const waitMs = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000;
      const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
      audit(`analytics.throttled doc=${claims.doc} jti=${claims.jti}`);
      return errorResponse(429, 'rate_limited', 'Too many events. Try again later.', { 'Retry-After': retryAfter });
    }
    const receivedAt = now();
    const stored: StoredReaderEvent[] = [];
    for (const value of events) {
      const event = parseReaderEvent(value, receivedAt);
      if (!event) continue;
      const record: StoredReaderEvent = { ...event, tokenId: claims.jti, doc: claims.doc, receivedAt };
      if (claims.sub !== undefined) record.sub = claims.sub;
      stored.push(record);
    }
    if (stored.length > 0) await options.log.addReaderEvents(stored);
    return jsonResponse(202, { accepted: stored.length, dropped: events.length - stored.length });
  };
}

/** 401 with the challenge that makes the element renew its token. */
function invalidToken(): Response {
  return errorResponse(401, 'invalid_token', 'The access token is missing, invalid or expired.', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
}
