// Viewer access tokens: signed JWTs scoped to one document, with a pinned algorithm, key ids
// looked up only in our own allowlist, a bounded lifetime and revocation by token or document.
import { randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify, type CryptoKey, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { isPermission, type Permission } from './document-meta.ts';
import { SIGNING_ALGORITHM, type SigningKeys } from './signing-keys.ts';
import type { RevocationList } from './store/shared-store.ts';

export const TOKEN_TYPE = 'secure-viewer+jwt';
export const ISSUER = 'secure-viewer-reference';
export const AUDIENCE = 'secure-viewer';
export const DEFAULT_LIFETIME_SECONDS = 5 * 60;
/** Viewer tokens live 5 to 15 minutes; the element renews them. Longer-lived tokens are refused. */
export const MAX_LIFETIME_SECONDS = 15 * 60;
/**
 * Allowed clock difference between issuer and verifier. 0 when both are one process; raise it
 * (at most 60 s) when instances on several machines verify each other's tokens.
 */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 0;
const MAX_CLOCK_TOLERANCE_SECONDS = 60;
/** Longer Authorization values are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Verified tokens remembered at most; the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 10_000;

/** What a verified token grants. */
export interface AccessClaims {
  jti: string;
  doc: string;
  permissions: Permission[];
  sub: string | undefined;
  iat: number;
  exp: number;
}

export interface IssuedToken {
  token: string;
  jti: string;
  iat: number;
  exp: number;
  expiresIn: number;
}

/** The token is missing, malformed, expired, revoked or otherwise not acceptable. */
export class InvalidTokenError extends Error {}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Reads `jti` without verifying: for request logs only, never for decisions. */
export function unverifiedJti(token: string): string | null {
  try {
    const { jti } = decodeJwt(token);
    return typeof jti === 'string' ? jti : null;
  } catch {
    return null;
  }
}

export interface TokenServiceOptions {
  keys: SigningKeys;
  revocations: RevocationList;
  /** Seconds of clock difference tolerated; default 0, at most 60. */
  clockToleranceSeconds?: number;
}

/** Issues and verifies viewer tokens. */
export class TokenService {
  readonly #keys: SigningKeys;
  readonly #revocations: RevocationList;
  readonly #tolerance: number;
  /**
   * Tokens whose signature and claims were verified, by their exact text. A reader sends the
   * same token with every range request, and the signature check is the costliest part of
   * serving one; time limits and revocation are still checked on every use.
   */
  readonly #verified = new Map<string, AccessClaims>();

  constructor(options: TokenServiceOptions) {
    this.#keys = options.keys;
    this.#revocations = options.revocations;
    const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
    if (!(tolerance >= 0 && tolerance <= MAX_CLOCK_TOLERANCE_SECONDS)) throw new RangeError('clockToleranceSeconds must be 0–60');
    this.#tolerance = tolerance;
  }

  /** Signs a token for one document; the lifetime is capped at 15 minutes. */
  async issue(input: { doc: string; permissions: Permission[]; sub?: string | undefined; lifetimeSeconds: number }): Promise<IssuedToken> {
    // A token issued in the same second as a revocation of its document would look revoked:
    // wait for the next second instead of handing out a token that does not work.
    while (nowSeconds() <= this.#revocations.revokedBefore(input.doc)) {
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 1));
    }
    const iat = nowSeconds();
    const exp = iat + Math.min(input.lifetimeSeconds, MAX_LIFETIME_SECONDS);
    const jti = randomBytes(16).toString('base64url');
    const payload: JWTPayload = { doc: input.doc, permissions: input.permissions };
    const builder = new SignJWT(payload)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: TOKEN_TYPE, kid: this.#keys.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp);
    if (input.sub) builder.setSubject(input.sub);
    const token = await builder.sign(this.#keys.privateKey);
    return { token, jti, iat, exp, expiresIn: Math.max(0, exp - iat) };
  }

  /**
   * Verifies signature, algorithm, key id, type, issuer, audience, expiry, age (issued no more
   * than the maximum lifetime ago and not in the future, lifetime within the maximum) and
   * revocation. Throws {@link InvalidTokenError}.
   */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.#verified.get(token);
    if (known) {
      if (known.exp <= nowSeconds() - this.#tolerance) {
        this.#verified.delete(token);
        throw new InvalidTokenError('expired');
      }
      if (this.#revocations.isRevoked(known)) throw new InvalidTokenError('revoked');
      return known;
    }
    const claims = await this.#verifyFully(token);
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(token, claims);
    return claims;
  }

  async #verifyFully(token: string): Promise<AccessClaims> {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed');
    let payload: JWTPayload;
    try {
      // Header `jwk`/`jku`/`x5u` are never used to find a key, and `kid` is only an allowlist
      // lookup: a missing or unknown kid finds no key.
      const lookup = (header: JWTHeaderParameters): CryptoKey => {
        if (header.kid !== this.#keys.kid) throw new InvalidTokenError('unknown kid');
        return this.#keys.publicKey;
      };
      ({ payload } = await jwtVerify(token, lookup, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: TOKEN_TYPE,
        clockTolerance: this.#tolerance,
        // Also refuses an `iat` in the future (beyond the tolerance).
        maxTokenAge: MAX_LIFETIME_SECONDS,
        requiredClaims: ['exp', 'iat', 'jti', 'doc', 'permissions'],
      }));
    } catch {
      throw new InvalidTokenError('verification failed');
    }
    const { jti, doc, permissions, sub, iat, exp } = payload;
    if (typeof jti !== 'string' || typeof doc !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      throw new InvalidTokenError('claims');
    }
    if (iat > nowSeconds() + this.#tolerance) throw new InvalidTokenError('issued in the future');
    if (exp - iat > MAX_LIFETIME_SECONDS) throw new InvalidTokenError('lifetime too long');
    if (!Array.isArray(permissions) || !permissions.every(isPermission)) throw new InvalidTokenError('claims');
    if (this.#revocations.isRevoked({ jti, doc, iat })) throw new InvalidTokenError('revoked');
    return { jti, doc, permissions, sub: typeof sub === 'string' ? sub : undefined, iat, exp };
  }

  /** Every token of the document issued until now is refused from now on; later ones work. */
  async revokeDocument(doc: string): Promise<void> {
    await this.#revocations.revokeDocument(doc, nowSeconds());
  }

  /** Refuses one token (by its id) until it expires. */
  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    await this.#revocations.revokeToken(jti, expiresAt);
  }
}
