import { DEFAULT_MESSAGES, ViewerError } from '../errors.ts';

/**
 * What an HTTP answer means to the viewer: one place maps statuses to the contract's error codes
 * (document requests) and to what the password dialog shows (password exchanges).
 */

/** Seconds to wait after a 429 that named no `Retry-After`. */
export const DEFAULT_RETRY_AFTER_S = 30;

/** Why a password was not exchanged for a token; the dialog stays open and says so. */
export type Refusal = { kind: 'incorrect' } | { kind: 'rate-limited'; retryAfter: number } | { kind: 'unavailable' };

/** One attempt at something the reader asked for: accepted with its value, or refused. */
export type Attempt<T> = { kind: 'accepted'; value: T } | Refusal;

/** Maps an HTTP status that ends a document load to the contract's error. */
export function errorForStatus(status: number, retryAfter?: number): ViewerError {
  if (status === 401) return new ViewerError('unauthorized', { status });
  if (status === 403) return new ViewerError('forbidden', { status });
  if (status === 404 || status === 410) return new ViewerError('not-found', { status });
  if (status === 429) return new ViewerError('rate-limited', { status, ...(retryAfter !== undefined ? { retryAfter } : {}) });
  if (status >= 500) return new ViewerError('server', { status });
  // 416 and other unexpected answers: the bytes we need cannot be had from this URL.
  return new ViewerError('invalid-document', { status });
}

/**
 * Maps a password exchange's failure status to what the reader is told: a wrong password (401,
 * 403), a wait (429), or that the server could not be asked (anything else, or no status at all).
 */
export function refusalForStatus(status: number | undefined, retryAfter?: number): Refusal {
  if (status === 401 || status === 403) return { kind: 'incorrect' };
  if (status === 429) return { kind: 'rate-limited', retryAfter: retryAfter !== undefined && retryAfter >= 0 ? retryAfter : DEFAULT_RETRY_AFTER_S };
  return { kind: 'unavailable' };
}

/**
 * A token could not be had from the host. The first token of a load fails as `token-failed`, a
 * renewal as `renewal-failed`, so a reader is never told that a session "could not be renewed"
 * when it never began; either keeps the status behind it, if any. The reader's own cancel stays
 * what it is.
 */
export function tokenFailure(error: unknown, first: boolean): ViewerError {
  if (error instanceof ViewerError && error.code === 'password-cancelled') return error;
  const code = first ? 'token-failed' : 'renewal-failed';
  if (error instanceof ViewerError && error.code === code) return error;
  const status = error instanceof ViewerError ? error.status : undefined;
  // The message of a specific failure (a timeout, a malformed answer) says more than the default.
  const message = error instanceof ViewerError && error.message !== DEFAULT_MESSAGES[error.code] ? error.message : undefined;
  return new ViewerError(code, { ...(status === undefined ? {} : { status }), ...(message === undefined ? {} : { message }) });
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into whole seconds, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 86_400);
  // An HTTP date names its day or month; anything else (1.5, -5) is no Retry-After at all, though
  // Date.parse would happily read it as a date.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.min(Math.ceil((date - now) / 1000), 86_400));
}

/** Frees a response body that will not be read. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already closed: nothing to free.
  }
}
