// CORS for cross-origin viewers and the Origin check for state-changing requests. Only the routes a
// browser calls get CORS; the API-key routes are server-to-server and get none.
import { HttpError } from './http.ts';
import type { OriginPolicy, RequestSource } from './request-source.ts';

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

  /** The CORS headers of an answer to a request from `origin`: none but `Vary` for other origins (the browser blocks them). */
  headers(origin: string | null, route: CorsRoute): Record<string, string> {
    const headers: Record<string, string> = { Vary: 'Origin' };
    if (!origin || !this.isAllowed(origin)) return headers;
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
    if (route.credentials) headers['Access-Control-Allow-Credentials'] = 'true';
    return headers;
  }

  /** Adds the CORS headers for `request` to `response` (which must have mutable headers). */
  apply(request: Request, response: Response, route: CorsRoute): Response {
    for (const [name, value] of Object.entries(this.headers(request.headers.get('origin'), route))) response.headers.set(name, value);
    return response;
  }

  /** Answers OPTIONS without authentication; never 401. */
  preflight(request: Request, route: CorsRoute): Response {
    const origin = request.headers.get('origin');
    const headers = this.headers(origin, route);
    if (origin && this.isAllowed(origin)) {
      headers['Access-Control-Allow-Methods'] = route.methods;
      headers['Access-Control-Allow-Headers'] = route.headers;
      headers['Access-Control-Max-Age'] = MAX_AGE_SECONDS;
    }
    return new Response(null, { status: 204, headers });
  }

  /**
   * CSRF guard for POST/PATCH: an Origin header, when present, must be one of this server's own
   * origins (configured, never taken from Host) or an allowed one. Requests without Origin
   * (server-to-server, curl) pass unless `required`; cookie endpoints add their own checks.
   */
  assertOrigin(request: Request, source: RequestSource, options: { required?: boolean } = {}): void {
    const origin = request.headers.get('origin');
    if (origin === null && !options.required) return;
    if (origin !== null && (source.isOwnOrigin(origin) || this.isAllowed(origin))) return;
    throw new HttpError(403, 'origin_not_allowed', 'Origin not allowed.');
  }
}
