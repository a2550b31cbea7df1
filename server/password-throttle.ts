// Throttling of password exchanges, counted in the shared store before any hashing, so parallel
// guesses (also on other instances) cannot exceed a limit and refused attempts cost no scrypt.
// Every attempt reserves a point on each counter first; settling gives back what the outcome
// should not count (a success is not a failure, a failure is not a session).
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterRule, SharedStore } from './store/shared-store.ts';

/** Failures per (document, client): the limit a reader meets first; a success clears it. */
export const PER_DOCUMENT_AND_CLIENT: LimiterRule = { name: 'pw-doc-client', points: 5, durationSeconds: 60 };
/**
 * Attempts per client across documents, successes included: stops spraying one guess at many ids,
 * and a client that knows a password has no reason to exchange it dozens of times.
 */
export const PER_CLIENT: LimiterRule = { name: 'pw-client', points: 50, durationSeconds: 15 * 60 };
/** Failures per document across clients: distributed guessing; at most NIST's 100. */
export const PER_DOCUMENT: LimiterRule = { name: 'pw-doc', points: 100, durationSeconds: 15 * 60 };
/** Successful exchanges (new refresh sessions) per (document, client). */
export const SESSIONS_PER_DOCUMENT_AND_CLIENT: LimiterRule = { name: 'pw-sessions', points: 10, durationSeconds: 15 * 60 };

export type Reservation =
  | {
      allowed: true;
      /** Records the outcome of the attempt. */
      settle(success: boolean): Promise<void>;
      /** Undoes the reservation: the attempt was never evaluated (the server was busy). */
      cancel(): Promise<void>;
    }
  | { allowed: false; retryAfterSeconds: number };

type Counts = 'attempts' | 'failures' | 'successes';

interface Counter {
  limiter: RateLimiterAbstract;
  key: string;
  counts: Counts;
  resetOnSuccess?: boolean;
}

export class PasswordThrottle {
  readonly #perClient: RateLimiterAbstract;
  readonly #perDocumentAndClient: RateLimiterAbstract;
  readonly #perDocument: RateLimiterAbstract;
  readonly #sessions: RateLimiterAbstract;

  constructor(store: Pick<SharedStore, 'limiter'>) {
    this.#perClient = store.limiter(PER_CLIENT);
    this.#perDocumentAndClient = store.limiter(PER_DOCUMENT_AND_CLIENT);
    this.#perDocument = store.limiter(PER_DOCUMENT);
    this.#sessions = store.limiter(SESSIONS_PER_DOCUMENT_AND_CLIENT);
  }

  /**
   * Reserves one attempt of `client` at document `doc`. The per-client counter comes first, so a
   * client that is already refused creates no per-document entries: the counters' size stays
   * bounded by the number of clients, not by the number of ids they make up.
   */
  async reserve(doc: string, client: string): Promise<Reservation> {
    const counters: Counter[] = [
      { limiter: this.#perClient, key: client, counts: 'attempts' },
      { limiter: this.#perDocumentAndClient, key: `${doc}|${client}`, counts: 'failures', resetOnSuccess: true },
      { limiter: this.#perDocument, key: doc, counts: 'failures' },
      { limiter: this.#sessions, key: `${doc}|${client}`, counts: 'successes' },
    ];
    const taken: Counter[] = [];
    for (const counter of counters) {
      try {
        await counter.limiter.consume(counter.key);
        taken.push(counter);
      } catch (rejection) {
        // Give back what this refused attempt took, so it costs nothing but its own refusal.
        await Promise.all(taken.map((done) => done.limiter.reward(done.key)));
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        throw rejection; // the store failed: refuse rather than guess
      }
    }
    let settled = false;
    return {
      allowed: true,
      cancel: async () => {
        if (settled) return;
        settled = true;
        await Promise.all(counters.map((counter) => counter.limiter.reward(counter.key)));
      },
      settle: async (success: boolean) => {
        if (settled) return;
        settled = true;
        await Promise.all(
          counters.map((counter) => {
            if (success && counter.resetOnSuccess) return counter.limiter.delete(counter.key);
            if (success && counter.counts === 'failures') return counter.limiter.reward(counter.key);
            if (!success && counter.counts === 'successes') return counter.limiter.reward(counter.key);
            return null;
          }),
        );
      },
    };
  }
}
