/** Renew at this share of the token's lifetime… */
export const RENEW_AT_FRACTION = 0.8;
/** …but never later than this before it expires… */
export const LATEST_BEFORE_EXPIRY_MS = 30_000;
/** …and never sooner than this after it arrived (halved for very short tokens, at least 1 s). */
export const EARLIEST_AFTER_ARRIVAL_MS = 5_000;
const ABSOLUTE_FLOOR_MS = 1_000;

/**
 * Milliseconds after a token arrived at which to renew it, from its lifetime as measured at
 * arrival. Tokens shorter than a minute cannot keep the 30 s margin and still be useful, so they
 * renew at half their life: at most two renewals per lifetime, never a loop. The floor guards
 * against odd lifetimes.
 */
export function renewalDelay(lifetimeMs: number): number {
  const floor = Math.max(ABSOLUTE_FLOOR_MS, Math.min(EARLIEST_AFTER_ARRIVAL_MS, lifetimeMs / 2));
  const beforeExpiry = Math.max(lifetimeMs - LATEST_BEFORE_EXPIRY_MS, lifetimeMs / 2);
  const target = Math.min(lifetimeMs * RENEW_AT_FRACTION, beforeExpiry);
  return Math.round(Math.max(floor, target));
}
