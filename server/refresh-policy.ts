// Refresh-token rules shared by every store: opaque 256-bit values kept only as SHA-256 hashes,
// an absolute family lifetime that rotation never extends, an idle limit, and a short grace
// window in which a just-rotated token still gets the same successor (two tabs at once).
import { createHash, randomBytes } from 'node:crypto';

export const FAMILY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A refresh token unused for this long is dead even inside the absolute lifetime. */
export const IDLE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
/**
 * Two tabs refreshing with the same cookie at once both get the same successor if the second
 * arrives within this window; later replays count as reuse.
 */
export const REUSE_GRACE_MS = 5_000;

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}
