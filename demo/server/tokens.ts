// Viewer access tokens: EdDSA-signed JWTs scoped to one document (B-1..B-4, B-6).
import { randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { CryptoKey } from 'jose';
import { SIGNING_ALGORITHM, type SigningKeys } from './keys.ts';
import { isPermission, type Permission } from './data-store.ts';

export const TOKEN_TYPE = 'secure-viewer+jwt';
export const ISSUER = 'secure-viewer-reference';
export const AUDIENCE = 'secure-viewer';
export const DEFAULT_LIFETIME_SECONDS = 5 * 60;
/** Viewer tokens are short-lived (rule B-3: 5 to 15 minutes); the element renews them. */
export const MAX_LIFETIME_SECONDS = 15 * 60;
/**
 * The issuer and the verifier are the same process and clock, so no skew allowance is needed;
 * a token minted with a lifetime of 0 is already expired. Raise this (≤ 60 s) if verification
 * moves to another machine.
 */
export const CLOCK_TOLERANCE_SECONDS = 0;
/** Longer Authorization values are refused before any parsing (B-6). */
export const MAX_TOKEN_LENGTH = 8 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

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

export class TokenService {
  /** jti → exp, per document id, so a document's outstanding tokens can be revoked (B-4). */
  readonly #issued = new Map<string, Map<string, number>>();
  /** Revoked jti → exp (kept until expiry). Keyed by jti, never by a hash of the raw token. */
  readonly #revoked = new Map<string, number>();
  #issuedSincePrune = 0;

  constructor(private readonly keys: SigningKeys) {}

  async issue(input: { doc: string; permissions: Permission[]; sub?: string | undefined; lifetimeSeconds: number }): Promise<IssuedToken> {
    const iat = nowSeconds();
    const exp = iat + Math.min(input.lifetimeSeconds, MAX_LIFETIME_SECONDS);
    const jti = randomBytes(16).toString('base64url');
    const payload: JWTPayload = { doc: input.doc, permissions: input.permissions };
    const builder = new SignJWT(payload)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: TOKEN_TYPE, kid: this.keys.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp);
    if (input.sub) builder.setSubject(input.sub);
    const token = await builder.sign(this.keys.privateKey);
    let forDocument = this.#issued.get(input.doc);
    if (!forDocument) this.#issued.set(input.doc, (forDocument = new Map()));
    forDocument.set(jti, exp);
    if (++this.#issuedSincePrune >= 200) this.#prune();
    return { token, jti, iat, exp, expiresIn: Math.max(0, exp - iat) };
  }

  /** Verifies signature, algorithm, type, issuer, audience, expiry and revocation. */
  async verify(token: string): Promise<AccessClaims> {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed');
    let payload: JWTPayload;
    try {
      // Header `jwk`/`jku`/`x5u` are never used to find a key, and `kid` is only an allowlist
      // lookup: a missing or unknown kid finds no key (B-1).
      const lookup = (header: JWTHeaderParameters): CryptoKey => {
        if (header.kid !== this.keys.kid) throw new InvalidTokenError('unknown kid');
        return this.keys.publicKey;
      };
      ({ payload } = await jwtVerify(token, lookup, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: TOKEN_TYPE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'jti', 'doc', 'permissions'],
      }));
    } catch {
      throw new InvalidTokenError('verification failed');
    }
    const { jti, doc, permissions, sub, iat, exp } = payload;
    if (typeof jti !== 'string' || typeof doc !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      throw new InvalidTokenError('claims');
    }
    if (!Array.isArray(permissions) || !permissions.every(isPermission)) throw new InvalidTokenError('claims');
    if (this.#revoked.has(jti)) throw new InvalidTokenError('revoked');
    return { jti, doc, permissions, sub: typeof sub === 'string' ? sub : undefined, iat, exp };
  }

  /** Every token issued so far for the document is refused from now on; later ones work. */
  revokeDocument(doc: string): number {
    const forDocument = this.#issued.get(doc);
    if (!forDocument) return 0;
    for (const [jti, exp] of forDocument) this.#revoked.set(jti, exp);
    const count = forDocument.size;
    forDocument.clear();
    return count;
  }

  #prune(): void {
    this.#issuedSincePrune = 0;
    const now = nowSeconds();
    for (const forDocument of this.#issued.values()) {
      for (const [jti, exp] of forDocument) if (exp < now) forDocument.delete(jti);
    }
    for (const [jti, exp] of this.#revoked) if (exp < now) this.#revoked.delete(jti);
  }
}
