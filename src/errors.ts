/** Error codes of the public contract (`error.code`, `sv-error` detail). */
export type ErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'invalid-document'
  | 'token-failed'
  | 'renewal-failed'
  | 'password-cancelled'
  /** The server revoked the session (a 401 whose challenge says `revoked`): not renewed; the document is cleared. */
  | 'revoked';

/** What the element exposes as `error` and in `sv-error`: never a token, a password or a response body. */
export interface ViewerErrorInfo {
  /** One of the contract's error codes. */
  code: ErrorCode;
  /** A readable sentence for people; safe to show. */
  message: string;
  /** The HTTP status behind the error, when there was one. */
  status?: number;
}

/** The default, human-readable message for each code. */
export const DEFAULT_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  unauthorized: 'Your access to this document has expired or is not valid.',
  forbidden: 'You do not have permission to view this document.',
  'not-found': 'The document could not be found.',
  'rate-limited': 'Too many requests. Please wait a moment and try again.',
  server: 'The document server had a problem. Please try again.',
  network: 'The document could not be reached. Check your connection and try again.',
  'invalid-document': 'The file is not a readable PDF document.',
  'token-failed':
    'The viewer could not get access to this document: the token endpoint did not answer, does not allow this site (CORS), or refused the request.',
  'renewal-failed': 'Your session could not be renewed.',
  'password-cancelled': 'A password is needed to open this document.',
  revoked: 'Your access to this document was revoked.',
};

/**
 * A typed failure inside the viewer. Messages are fixed sentences chosen here, so no
 * server text, URL or credential can reach the page through them.
 */
export class ViewerError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  /** Seconds from a `Retry-After` header, for 429 answers. */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, options: { status?: number; retryAfter?: number; message?: string } = {}) {
    super(options.message ?? DEFAULT_MESSAGES[code]);
    this.name = 'ViewerError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }

  toInfo(): ViewerErrorInfo {
    const info: ViewerErrorInfo = { code: this.code, message: this.message };
    if (this.status !== undefined) info.status = this.status;
    return info;
  }
}

/** Narrows unknown failures to a ViewerError, mapping anything unexpected to `fallback`. */
export function asViewerError(error: unknown, fallback: ErrorCode = 'network'): ViewerError {
  return error instanceof ViewerError ? error : new ViewerError(fallback);
}
