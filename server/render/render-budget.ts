// How much rendering one token may ask for: a number of page images, text pages, manifests and
// stamped downloads per window, counted in the store (so instances sharing a Redis store share
// the count). Past it the answer is 429 with Retry-After.
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { SharedStore } from '../store/shared-store.ts';

export interface RenderBudgetOptions {
  /** Requests a token may make per window; default 300. */
  requests?: number;
  /** The window, in seconds; default 60. */
  windowSeconds?: number;
}

export type BudgetDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number } | { allowed: false; unavailable: true };

export type RenderBudget = (tokenId: string) => Promise<BudgetDecision>;

export function createRenderBudget(store: SharedStore, options: RenderBudgetOptions = {}): RenderBudget {
  const points = options.requests ?? 300;
  const durationSeconds = options.windowSeconds ?? 60;
  // The store keeps one counter per name: the rule is part of it, so two budgets never share one.
  const limiter = store.limiter({ name: `render-budget-${points}-${durationSeconds}`, points, durationSeconds });
  return async (tokenId) => {
    try {
      await limiter.consume(tokenId, 1);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      return { allowed: false, unavailable: true };
    }
  };
}
