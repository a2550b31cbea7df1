// CORS for cross-origin viewers and the Origin check for state-changing requests. Only the routes a
// browser calls get CORS; the API-key routes are server-to-server and get none.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, headerValue } from './http.ts';
import type { RequestSource } from './request-source.ts';

export type OriginPolicy = string[] | ((origin: string) => boolean);

const EXPOSED_HEADERS = 'Content-Range, Accept-Ranges, Content-Length, ETag, Retry-After, WWW-Authenticate, Content-Disposition';
/** Chromium caps preflight caching at 7200 s. */
const MAX_AGE_SECONDS = '7200';

export interface CorsRoute {
  methods: string;
  headers: string;
  /** Only the cookie-based password/refresh endpoints need credentials. */
  credentials: boolean;
}

export const API_CORS: CorsRoute = {
  methods: 'GET, HEAD, POST',
  headers: 'Authorization, Range, If-Range, Content-Type',
  credentials: false,
};
export const COOKIE_CORS: CorsRoute = { ...API_CORS, credentials: true };

export class Cors {
  readonly #allows: (origin: string) => boolean;

  constructor(policy: OriginPolicy = []) {
    if (typeof policy === 'function') {
      this.#allows = policy;
    } else {
      const allowed = new Set(policy);
      this.#allows = (origin) => allowed.has(origin);
    }
  }

  isAllowed(origin: string): boolean {
    // `null` (sandboxed frames, file:) is never a trusted origin.
    return origin !== 'null' && this.#allows(origin);
  }

  /** Adds CORS headers for an allowed Origin; other origins get none (the browser blocks them). */
  apply(req: IncomingMessage, res: ServerResponse, route: CorsRoute): void {
    res.setHeader('Vary', 'Origin');
    const origin = headerValue(req, 'origin');
    if (!origin || !this.isAllowed(origin)) return;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (route.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
  }

  /** Answers OPTIONS without authentication; never 401. */
  preflight(req: IncomingMessage, res: ServerResponse, route: CorsRoute): void {
    this.apply(req, res, route);
    const origin = headerValue(req, 'origin');
    if (origin && this.isAllowed(origin)) {
      res.setHeader('Access-Control-Allow-Methods', route.methods);
      res.setHeader('Access-Control-Allow-Headers', route.headers);
      res.setHeader('Access-Control-Max-Age', MAX_AGE_SECONDS);
    }
    res.statusCode = 204;
    res.end();
  }

  /**
   * CSRF guard for POST/PATCH: an Origin header, when present, must be one of this server's own
   * origins (configured, never taken from Host) or an allowed one. Requests without Origin
   * (server-to-server, curl) pass unless `required`; cookie endpoints add their own checks.
   */
  assertOrigin(req: IncomingMessage, source: RequestSource, options: { required?: boolean } = {}): void {
    const origin = headerValue(req, 'origin');
    if (origin === null && !options.required) return;
    if (origin !== null && (source.isOwnOrigin(origin) || this.isAllowed(origin))) return;
    throw new HttpError(403, 'origin_not_allowed', 'Origin not allowed.');
  }
}
