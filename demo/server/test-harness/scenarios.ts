// Test scenarios: private aliases of a stored document with their own faults, counters and
// request log. Only created through the test switches.
import { randomBytes } from 'node:crypto';
import { BandwidthLimiter } from '../../../shared/bandwidth-limiter.ts';
import type { Faults, LoggedRequest } from './test-switch-types.ts';

export type { LoggedRequest };


export class Scenario {
  faults: Faults;
  limiter: BandwidthLimiter | undefined;
  readonly requests: LoggedRequest[] = [];
  /** Content requests answered normally (200/206), the clock for `after`-style faults. */
  served = 0;
  /** Content requests seen, for `etagChangeAfter`. */
  seen = 0;
  unauthorizedTriggered = false;
  /**
   * Set by the `revoke-session` switch: refused tokens are answered as the library answers a
   * revoked one (`error_description="revoked"`). The other revocations stand for expiry.
   */
  sessionRevoked = false;

  constructor(
    readonly id: string,
    readonly documentId: string,
    faults: Faults,
  ) {
    this.faults = faults;
    this.limiter = undefined;
    this.setFaults(faults);
  }

  setFaults(faults: Faults): void {
    this.faults = faults;
    this.limiter = faults.bandwidth ? new BandwidthLimiter(faults.bandwidth) : undefined;
    this.unauthorizedTriggered = false;
  }

  get totalBytes(): number {
    return this.requests.reduce((sum, request) => sum + request.bytes, 0);
  }
}

export class ScenarioRegistry {
  readonly #scenarios = new Map<string, Scenario>();

  create(documentId: string, faults: Faults): Scenario {
    const id = `s-${randomBytes(9).toString('base64url')}`;
    const scenario = new Scenario(id, documentId, faults);
    this.#scenarios.set(id, scenario);
    return scenario;
  }

  get(id: string): Scenario | null {
    return this.#scenarios.get(id) ?? null;
  }
}
