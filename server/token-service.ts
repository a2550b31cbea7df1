// Viewer access tokens: signed JWTs scoped to one document, with a pinned algorithm, key ids
// looked up only in our own allowlist, a bounded lifetime and revocation by token or document.
import { randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify, type CryptoKey, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { isPermission, type Permission } from './document-meta.ts';
import { SigningKeyRing } from './signing-key-ring.ts';
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
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;
/**
 * How long a revoked token id is kept, counted from the revocation by the server's clock: no token
 * of ours verifies longer than its maximum lifetime plus the clock tolerance on either side, so the
 * caller's idea of its expiry is never needed (a past one would store nothing, a huge one forever).
 */
export const TOKEN_REVOCATION_SECONDS = MAX_LIFETIME_SECONDS + 2 * MAX_CLOCK_TOLERANCE_SECONDS;
/** Times a plain grant is signed again when a revocation of its document lands while it is signed. */
const REISSUE_ATTEMPTS = 3;
/** Longer Authorization values are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Verified tokens remembered at most; the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * How a token's reader may see the document. `server`: only as pages rendered on the server; the
 * content route refuses the token, so the PDF's bytes never reach the reader.
 */
export type RenderMode = 'server';

export function isRenderMode(value: unknown): value is RenderMode {
  return value === 'server';
}

/** What a verified token grants. */
export interface AccessClaims {
  jti: string;
  doc: string;
  permissions: Permission[];
  /** Set when the token allows server-rendered pages only (the `render` claim). */
  render?: RenderMode;
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

/**
 * The document was revoked after the caller's authorization was checked (a refresh in flight while
 * the document is revoked): no token is handed out, the caller answers as for a dead session.
 */
export class RevokedWhileIssuingError extends Error {
  constructor() {
    super('the document was revoked while the token was issued');
  }
}

/**
 * The document's revocation time lies ahead of this server's clock by more than the clock
 * tolerance (clocks of several instances disagree): a token signed now would be refused, so none
 * is signed. Answer 503 with `Retry-After`.
 */
export class IssueDeferredError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('the document was revoked at a time ahead of this server\'s clock');
  }
}

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
  /** One fixed key, or a ring of keys by id kept in the store (the newest signs, every one verifies). */
  keys: SigningKeys | SigningKeyRing;
  revocations: RevocationList;
  /** Seconds of clock difference tolerated; default 0, at most 60. */
  clockToleranceSeconds?: number;
}

/** Issues and verifies viewer tokens. */
export class TokenService {
  readonly #keys: SigningKeyRing;
  readonly #revocations: RevocationList;
  readonly #tolerance: number;
  /**
   * Tokens whose signature and claims were verified, by their exact text. A reader sends the
   * same token with every range request, and the signature check is the costliest part of
   * serving one; time limits and revocation are still checked on every use.
   */
  readonly #verified = new Map<string, { claims: AccessClaims; kid: string }>();

  constructor(options: TokenServiceOptions) {
    this.#keys = options.keys instanceof SigningKeyRing ? options.keys : SigningKeyRing.fixed(options.keys);
    this.#revocations = options.revocations;
    const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
    if (!(tolerance >= 0 && tolerance <= MAX_CLOCK_TOLERANCE_SECONDS)) throw new RangeError('clockToleranceSeconds must be 0–60');
    this.#tolerance = tolerance;
  }

  /**
   * Where the document's revocation stands now: read it before checking the caller's authorization
   * (a refresh session, a password) and pass it to {@link issue} as `authorizedAt`, so a revocation
   * that lands in between is never outlived by the token.
   */
  async revocationMark(doc: string): Promise<number> {
    return this.#currentRevocation(doc);
  }

  /**
   * Signs a token for one document; the lifetime is capped at 15 minutes. The document's revocation
   * is read before and after signing: with `authorizedAt` (from {@link revocationMark}) a revocation
   * since then throws {@link RevokedWhileIssuingError}; without it the grant is signed again after
   * the revocation, so it works. A revocation time ahead of this clock (beyond the tolerance) throws
   * {@link IssueDeferredError} at once instead of waiting for it.
   */
  async issue(input: {
    doc: string;
    permissions: Permission[];
    sub?: string | undefined;
    lifetimeSeconds: number;
    authorizedAt?: number | undefined;
    /** `server`: the token opens server-rendered pages only, never the document's bytes. */
    render?: RenderMode | undefined;
  }): Promise<IssuedToken> {
    for (let attempt = 1; ; attempt++) {
      const before = await this.#currentRevocation(input.doc);
      if (input.authorizedAt !== undefined && before > input.authorizedAt) throw new RevokedWhileIssuingError();
      await this.#waitPast(before);
      const issued = await this.#sign(input);
      const after = await this.#currentRevocation(input.doc);
      if (after === before) return issued;
      if (input.authorizedAt !== undefined) throw new RevokedWhileIssuingError();
      if (after < issued.iat) return issued; // it revoked earlier tokens only
      if (attempt >= REISSUE_ATTEMPTS) throw new IssueDeferredError(1);
    }
  }

  /** The store's current revocation time of `doc`: fresh from a shared store, not only the local view. */
  async #currentRevocation(doc: string): Promise<number> {
    return this.#revocations.currentRevocation ? await this.#revocations.currentRevocation(doc) : this.#revocations.revokedBefore(doc);
  }

  /**
   * A token issued in the same second as a revocation of its document would look revoked: wait
   * for the next second, but never for a revocation time further ahead than the clock tolerance.
   */
  async #waitPast(revokedBefore: number): Promise<void> {
    const lead = revokedBefore - nowSeconds();
    if (lead < 0) return;
    if (lead > this.#tolerance) throw new IssueDeferredError(lead + 1);
    while (nowSeconds() <= revokedBefore) {
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 1));
    }
  }

  async #sign(input: { doc: string; permissions: Permission[]; sub?: string | undefined; lifetimeSeconds: number; render?: RenderMode | undefined }): Promise<IssuedToken> {
    const iat = nowSeconds();
    const exp = iat + Math.min(input.lifetimeSeconds, MAX_LIFETIME_SECONDS);
    const jti = randomBytes(16).toString('base64url');
    const payload: JWTPayload = { doc: input.doc, permissions: input.permissions };
    if (input.render !== undefined) {
      if (!isRenderMode(input.render)) throw new TypeError('render must be "server"');
      payload['render'] = input.render;
    }
    const signing = this.#keys.signing();
    const builder = new SignJWT(payload)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: TOKEN_TYPE, kid: signing.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp);
    if (input.sub) builder.setSubject(input.sub);
    const token = await builder.sign(signing.privateKey);
    return { token, jti, iat, exp, expiresIn: Math.max(0, exp - iat) };
  }

  /**
   * Verifies signature, algorithm, key id, type, issuer, audience, expiry, age (issued no more
   * than the maximum lifetime ago and not in the future, lifetime within the maximum) and
   * revocation. Throws {@link InvalidTokenError}.
   */
  async verify(token: string): Promise<AccessClaims> {
    const cached = this.#verified.get(token);
    if (cached) {
      const known = cached.claims;
      // A retired key's tokens stop verifying, also those verified before.
      if (known.exp <= nowSeconds() - this.#tolerance || !this.#keys.has(cached.kid)) {
        this.#verified.delete(token);
        throw new InvalidTokenError(known.exp <= nowSeconds() - this.#tolerance ? 'expired' : 'unknown kid');
      }
      if (this.#revocations.isRevoked(known)) throw new InvalidTokenError('revoked');
      return known;
    }
    const { claims, kid } = await this.#verifyFully(token);
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(token, { claims, kid });
    return claims;
  }

  async #verifyFully(token: string): Promise<{ claims: AccessClaims; kid: string }> {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed');
    let payload: JWTPayload;
    let kid = '';
    try {
      // Header `jwk`/`jku`/`x5u` are never used to find a key, and `kid` is only an allowlist
      // lookup in our own key set: a missing or unknown kid finds no key.
      const lookup = async (header: JWTHeaderParameters): Promise<CryptoKey> => {
        const key = typeof header.kid === 'string' ? await this.#keys.verificationKey(header.kid) : null;
        if (!key) throw new InvalidTokenError('unknown kid');
        kid = header.kid!;
        return key;
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
    const { jti, doc, permissions, sub, iat, exp, render } = payload;
    if (typeof jti !== 'string' || typeof doc !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
      throw new InvalidTokenError('claims');
    }
    if (iat > nowSeconds() + this.#tolerance) throw new InvalidTokenError('issued in the future');
    if (exp - iat > MAX_LIFETIME_SECONDS) throw new InvalidTokenError('lifetime too long');
    if (!Array.isArray(permissions) || !permissions.every(isPermission)) throw new InvalidTokenError('claims');
    // A render mode this server does not know could mean less than a full reader: refused, never ignored.
    if (render !== undefined && !isRenderMode(render)) throw new InvalidTokenError('claims');
    if (this.#revocations.isRevoked({ jti, doc, iat })) throw new InvalidTokenError('revoked');
    const claims: AccessClaims = { jti, doc, permissions, sub: typeof sub === 'string' ? sub : undefined, iat, exp };
    if (render !== undefined) claims.render = render;
    return { claims, kid };
  }

  /** Every token of the document issued until now is refused from now on; later ones work. */
  async revokeDocument(doc: string): Promise<void> {
    await this.#revocations.revokeDocument(doc, nowSeconds());
  }

  /**
   * Refuses one token (by its id) for as long as any token of ours can verify, counted by this
   * server's clock. `_expiresAt` (the caller's idea of its expiry) is accepted and not trusted.
   */
  async revokeToken(jti: string, _expiresAt?: number): Promise<void> {
    await this.#revocations.revokeToken(jti, nowSeconds() + TOKEN_REVOCATION_SECONDS);
  }
}
