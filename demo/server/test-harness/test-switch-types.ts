// What the test switches (/__test/*) send and receive: shared by the backend and the browser
// tests' helper (test/helpers/backend.ts), so both sides agree on one definition. Types only.

/** Faults a test scenario injects into content responses (all optional). */
export interface Faults {
  /** Answer with this status (JSON body) once `after` content requests were served normally. */
  status?: number;
  after?: number;
  /** Retry-After seconds sent with `status`. */
  retryAfter?: number;
  /** After n successful content requests, every token issued before that moment gets 401. */
  unauthorizedAfter?: number;
  /** 200 text/html login page instead of the PDF. */
  html?: boolean;
  /** Serve the file as if it had only its first n bytes. */
  truncateTo?: number;
  /** Always 200 with the whole body. */
  ignoreRange?: boolean;
  /** 206 whose Content-Range does not match the requested range. */
  badContentRange?: boolean;
  /** 302 to this URL. */
  redirectTo?: string;
  /** Never answer (after `after` requests were served). */
  hang?: boolean;
  /** Destroy the connection after n body bytes of a response. */
  resetAfterBytes?: number;
  /** Bytes per second, shared by all responses of the scenario. */
  bandwidth?: number;
  /** Milliseconds before each response. */
  latency?: number;
  /** After n requests the ETag changes, as if the file had been replaced. */
  etagChangeAfter?: number;
  /**
   * How a request for several ranges is answered: `ignore` sends the whole file (200), `merge` one
   * part from the first range's start to the last one's end, `lie` parts whose Content-Range is off
   * by one byte. Unset: as the library does (a part per merged range).
   */
  multiRange?: 'ignore' | 'merge' | 'lie';
  /** Refuses a request for more ranges than this with 416, as a server with a lower cap than the library's does. */
  maxRanges?: number;
}

/** One request to a scenario's document, as its log reports it. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** Raw query string with secret-looking parameters redacted; '' if none. */
  query: string;
  range: string | null;
  status: number;
  bytes: number;
  auth: 'bearer' | 'other' | 'none';
  jti: string | null;
  origin: string | null;
  at: number;
}

/** POST /__test/tokens options besides the document. */
export interface MintOptions {
  permissions?: string[];
  ttl?: number;
  sub?: string;
  /** `server`: a token for server-rendered pages only (the content route refuses it). */
  render?: 'server';
}
