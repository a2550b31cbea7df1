import { ViewerError } from '../errors.ts';
import { decodeJwtClaims, numericClaim, type JwtClaims } from './jwt.ts';
import { isWellFormedToken } from './token-shape.ts';

/** Why the element asks the host for a new token. */
export type RenewReason = 'expiring' | 'unauthorized';

/** What a `renewToken` or `exchangePassword` callback may return instead of a bare string. */
export interface TokenGrant {
  /** The token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** When it expires, in epoch milliseconds (optional: a JWT's own `exp` is read otherwise). */
  expiresAt?: number;
}

/** A token as the element holds it: with its lifetime measured when it arrived. */
export interface ReceivedToken {
  readonly token: string;
  /** Monotonic time (`performance.now()`) of arrival. */
  readonly receivedAt: number;
  /** How long it is good for from arrival, or null when nothing says (renewed on 401 only). */
  readonly lifetimeMs: number | null;
  /** Best estimate of its expiry in epoch milliseconds, for `sv-token-renew`. */
  readonly expiresAt?: number;
  /** What a JWT says (read once, never verified: only the server can trust it); absent for opaque tokens. */
  readonly claims?: JwtClaims;
}

interface ExpiryHints {
  /** Relative lifetime in ms (`expires_in`): independent of the client clock. */
  expiresInMs?: number;
  /** Absolute expiry in epoch ms (`expires_at`, `expiresAt`). */
  expiresAtMs?: number;
}

const MAX_LIFETIME_MS = 366 * 24 * 3600_000;

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 && value <= MAX_LIFETIME_MS ? value : undefined;
}

/**
 * Measures a token's lifetime against the moment it arrived. Relative figures (`expires_in`,
 * the JWT's `exp - iat`) come first because they do not depend on the client clock; an absolute
 * expiry only shortens them, and is ignored when the clock makes it look already past.
 */
export function receiveToken(token: string, hints: ExpiryHints, receivedAt: number, wallNow: number): ReceivedToken {
  if (!isWellFormedToken(token)) throw new ViewerError('renewal-failed', { message: 'The new token is not well-formed.' });
  const claims = decodeJwtClaims(token);
  const exp = numericClaim(claims, 'exp');
  const iat = numericClaim(claims, 'iat');
  const absoluteMs = hints.expiresAtMs ?? (exp !== undefined ? exp * 1000 : undefined);
  const relative = positive(hints.expiresInMs) ?? (exp !== undefined && iat !== undefined ? positive((exp - iat) * 1000) : undefined);
  const fromClock = absoluteMs !== undefined ? positive(absoluteMs - wallNow) : undefined;
  const lifetimeMs = relative !== undefined && fromClock !== undefined ? Math.min(relative, fromClock) : (relative ?? fromClock ?? null);
  const expiresAt = absoluteMs ?? (lifetimeMs !== null ? wallNow + lifetimeMs : undefined);
  return {
    token,
    receivedAt,
    lifetimeMs,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(claims === null ? {} : { claims }),
  };
}

/** Reads what a `renewToken`/`exchangePassword` callback returned: a string or a TokenGrant. */
export function tokenFromCallbackResult(value: unknown, receivedAt: number, wallNow: number): ReceivedToken {
  if (typeof value === 'string') return receiveToken(value, {}, receivedAt, wallNow);
  if (value !== null && typeof value === 'object') {
    const grant = value as Partial<TokenGrant>;
    if (typeof grant.token === 'string') {
      const expiresAtMs = typeof grant.expiresAt === 'number' ? grant.expiresAt : undefined;
      return receiveToken(grant.token, expiresAtMs === undefined ? {} : { expiresAtMs }, receivedAt, wallNow);
    }
  }
  throw new ViewerError('renewal-failed', { message: 'The token source returned no token.' });
}

const TOKEN_FIELDS = ['token', 'access_token', 'jwt', 'access'] as const;

/** Reads a token response: `token`/`access_token`/`jwt`/`access`, with `expires_in` or `expires_at`. */
export function tokenFromResponseBody(body: unknown, receivedAt: number, wallNow: number): ReceivedToken {
  if (body === null || typeof body !== 'object') {
    throw new ViewerError('renewal-failed', { message: 'The token response was not understood.' });
  }
  const record = body as Record<string, unknown>;
  const field = TOKEN_FIELDS.find((name) => typeof record[name] === 'string');
  if (!field) throw new ViewerError('renewal-failed', { message: 'The token response held no token.' });
  const hints: ExpiryHints = {};
  const expiresIn = Number(record['expires_in']);
  if (record['expires_in'] !== undefined && Number.isFinite(expiresIn)) hints.expiresInMs = expiresIn * 1000;
  const expiresAt = Number(record['expires_at']);
  if (record['expires_at'] !== undefined && Number.isFinite(expiresAt)) hints.expiresAtMs = expiresAt * 1000;
  return receiveToken(record[field] as string, hints, receivedAt, wallNow);
}
