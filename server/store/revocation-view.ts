// The local, synchronous view of revocations that every token check reads: per-document
// "revoked at or before" times and a per-token deny-list whose entries leave once the token
// has expired anyway.
import { TOKEN_REVOCATION_SECONDS } from '../token-service.ts';
import type { RevocationSubject } from './shared-store.ts';

export interface RevocationSnapshot {
  /** doc → seconds */
  documents: Record<string, number>;
  /** jti → token expiry, seconds */
  tokens: Record<string, number>;
}

export class RevocationView {
  readonly #documents = new Map<string, number>();
  readonly #tokens = new Map<string, number>();

  constructor(private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {}

  isRevoked(token: RevocationSubject): boolean {
    if (token.iat <= this.revokedBefore(token.doc)) return true;
    const expiresAt = this.#tokens.get(token.jti);
    return expiresAt !== undefined && expiresAt >= this.nowSeconds();
  }

  revokedBefore(doc: string): number {
    return this.#documents.get(doc) ?? 0;
  }

  /** Keeps the later time: revocations only ever move forward. */
  addDocument(doc: string, at: number): void {
    if (at > this.revokedBefore(doc)) this.#documents.set(doc, at);
  }

  /** Keeps a token id until `expiresAt`, but never longer than any token of ours can verify. */
  addToken(jti: string, expiresAt: number): void {
    const now = this.nowSeconds();
    if (expiresAt < now) return;
    const until = Math.min(expiresAt, now + TOKEN_REVOCATION_SECONDS);
    this.#tokens.set(jti, Math.max(until, this.#tokens.get(jti) ?? 0));
    this.#pruneTokens();
  }

  replace(snapshot: RevocationSnapshot): void {
    this.#documents.clear();
    this.#tokens.clear();
    for (const [doc, at] of Object.entries(snapshot.documents)) this.addDocument(doc, at);
    for (const [jti, expiresAt] of Object.entries(snapshot.tokens)) this.addToken(jti, expiresAt);
  }

  snapshot(): RevocationSnapshot {
    this.#pruneTokens();
    return { documents: Object.fromEntries(this.#documents), tokens: Object.fromEntries(this.#tokens) };
  }

  #pruneTokens(): void {
    const now = this.nowSeconds();
    for (const [jti, expiresAt] of this.#tokens) if (expiresAt < now) this.#tokens.delete(jti);
  }
}
