// What every route handler gets: the services of one backend instance.
import type { DocumentMeta, DocumentStore, RefreshFamilies, TokenService } from '../../server/index.ts';
import type { Cors } from './cors.ts';
import type { RequestSource } from './request-source.ts';

export interface BackendContext {
  documents: DocumentStore;
  tokens: TokenService;
  refreshFamilies: RefreshFamilies;
  cors: Cors;
  source: RequestSource;
  apiKey: string;
  /** Audit/diagnostic log; callers pass ids and reasons, never secrets. */
  audit(line: string): void;
  /** The document a URL id stands for (a layer may map ids of its own onto stored documents). */
  resolve(id: string): Promise<DocumentMeta | null>;
}
