// What every route handler gets: the services of one backend instance.
import type { Accountability, ApiKeyRegistry, DocumentMeta, DocumentStore, RefreshFamilies, TokenService } from '../../server/index.ts';
import type { Cors } from './cors.ts';
import type { RequestSource } from './request-source.ts';

export interface BackendContext {
  documents: DocumentStore;
  tokens: TokenService;
  refreshFamilies: RefreshFamilies;
  cors: Cors;
  source: RequestSource;
  /** The key this start knows (configured or just created); empty when it knows none. */
  apiKey: string;
  /** API keys of the host-backend endpoints. */
  apiKeys: ApiKeyRegistry;
  /** Audit/diagnostic log; callers pass ids and reasons, never secrets. */
  audit(line: string): void;
  /** What each token was served and the reader events sent (GET /api/documents/:id/audit). */
  accountability: Accountability;
  /** The document a URL id stands for (a layer may map ids of its own onto stored documents). */
  resolve(id: string): Promise<DocumentMeta | null>;
}
