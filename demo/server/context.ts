// What every route handler gets: the services of one backend instance.
import type { ServerResponse } from 'node:http';
import type { ResolvedDocument } from './content.ts';
import type { Cors } from './cors.ts';
import type { DocumentStore } from './data-store.ts';
import type { PasswordHasher } from './passwords.ts';
import type { RefreshStore } from './refresh.ts';
import type { ScenarioRegistry } from './scenarios.ts';
import type { FailureThrottle } from './throttle.ts';
import type { TokenService } from './tokens.ts';

export interface BackendContext {
  store: DocumentStore;
  tokens: TokenService;
  refresh: RefreshStore;
  hasher: PasswordHasher;
  throttle: FailureThrottle;
  cors: Cors;
  /** Present only when test switches are on. */
  scenarios: ScenarioRegistry | null;
  apiKey: string;
  /** Audit/diagnostic log; callers pass ids and reasons, never secrets. */
  audit(line: string): void;
  hung: Set<ServerResponse>;
  /** A stored document or (with test switches) a scenario alias, by URL id. */
  resolve(id: string): ResolvedDocument | null;
}
