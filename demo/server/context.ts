// What every route handler gets: the services of one backend instance.
import type { ServerResponse } from 'node:http';
import type { DocumentStore } from '../../server/document-store.ts';
import type { RefreshFamilies } from '../../server/store/shared-store.ts';
import type { TokenService } from '../../server/token-service.ts';
import type { ResolvedDocument } from './content.ts';
import type { Cors } from './cors.ts';
import type { RequestSource } from './request-source.ts';
import type { ScenarioRegistry } from './test-harness/scenarios.ts';

export interface BackendContext {
  documents: DocumentStore;
  tokens: TokenService;
  refreshFamilies: RefreshFamilies;
  cors: Cors;
  source: RequestSource;
  /** Present only when test switches are on. */
  scenarios: ScenarioRegistry | null;
  apiKey: string;
  /** Audit/diagnostic log; callers pass ids and reasons, never secrets. */
  audit(line: string): void;
  hung: Set<ServerResponse>;
  /** A stored document or (with test switches) a scenario alias, by URL id. */
  resolve(id: string): Promise<ResolvedDocument | null>;
}
