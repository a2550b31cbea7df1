// What the watermark says, from the token's signed claims only (never from the request): who the
// token was issued to, when, and its id, so a photographed page names its session.
import type { AccessClaims } from '../token-service.ts';

export type WatermarkLines = (claims: AccessClaims) => string[];

/** `2026-12-07 16:45 UTC`: minutes are enough to find the session, and read well. */
export function formatClaimTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
}

export const defaultWatermarkLines: WatermarkLines = (claims) => [claims.sub ?? 'reader', formatClaimTime(claims.iat), `token ${claims.jti}`];
