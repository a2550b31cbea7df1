// Revocations in Redis. Checks read a local view; every instance keeps its view current through a
// pub/sub channel and reloads it whole whenever its subscription (re)connects, so a message lost
// during a disconnect is not a revocation lost. No Redis round trip happens per token check.
import type { Redis } from 'ioredis';
import { TOKEN_REVOCATION_SECONDS } from '../token-service.ts';
import { RevocationView } from './revocation-view.ts';
import type { RevocationList, RevocationSubject } from './shared-store.ts';

/** Keeps the later revocation time and announces it, in one step. */
const REVOKE_DOCUMENT = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

type Announcement = { doc: string; at: number } | { jti: string; expiresAt: number };

export class RedisRevocations implements RevocationList {
  readonly #view = new RevocationView();
  readonly #documentsKey: string;
  readonly #tokensKey: string;
  readonly #channel: string;

  private constructor(
    private readonly client: Redis,
    private readonly subscriber: Redis,
    prefix: string,
  ) {
    this.#documentsKey = `${prefix}revoked-documents`;
    this.#tokensKey = `${prefix}revoked-tokens`;
    this.#channel = `${prefix}revocations`;
  }

  /** Subscribes, then loads the current state (in that order, so nothing falls in between). */
  static async open(client: Redis, subscriber: Redis, prefix: string): Promise<RedisRevocations> {
    const list = new RedisRevocations(client, subscriber, prefix);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === list.#channel) list.#apply(message);
    });
    await subscriber.subscribe(list.#channel);
    await list.reload();
    // ioredis resubscribes after a reconnect; what was announced meanwhile is read back here.
    subscriber.on('ready', () => void list.reload().catch(() => {}));
    return list;
  }

  isRevoked(token: RevocationSubject): boolean {
    return this.#view.isRevoked(token);
  }

  revokedBefore(doc: string): number {
    return this.#view.revokedBefore(doc);
  }

  /** Read from Redis, not from the view, which may not have heard of a revocation on another instance yet. */
  async currentRevocation(doc: string): Promise<number> {
    const at = Number((await this.client.hget(this.#documentsKey, doc)) ?? 0);
    this.#view.addDocument(doc, at);
    return Math.max(at, this.#view.revokedBefore(doc));
  }

  async revokeToken(jti: string, requestedUntil: number): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    // Bounded here too, so no caller can make an entry that outlives every token.
    const expiresAt = Math.min(requestedUntil, now + TOKEN_REVOCATION_SECONDS);
    if (expiresAt < now) return;
    const announcement: Announcement = { jti, expiresAt };
    await this.client
      .multi()
      .zadd(this.#tokensKey, expiresAt, jti)
      .zremrangebyscore(this.#tokensKey, '-inf', now - 1)
      .publish(this.#channel, JSON.stringify(announcement))
      .exec();
    this.#view.addToken(jti, expiresAt);
  }

  async revokeDocument(doc: string, at: number): Promise<void> {
    const announcement: Announcement = { doc, at };
    await this.client.eval(REVOKE_DOCUMENT, 1, this.#documentsKey, doc, String(at), this.#channel, JSON.stringify(announcement));
    this.#view.addDocument(doc, at);
  }

  /** Replaces the local view with what Redis holds. */
  async reload(): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const [documents, tokens] = await Promise.all([
      this.client.hgetall(this.#documentsKey),
      this.client.zrangebyscore(this.#tokensKey, now, '+inf', 'WITHSCORES'),
    ]);
    const tokenMap: Record<string, number> = {};
    for (let index = 0; index + 1 < tokens.length; index += 2) tokenMap[tokens[index]!] = Number(tokens[index + 1]);
    const documentMap: Record<string, number> = {};
    for (const [doc, at] of Object.entries(documents)) documentMap[doc] = Number(at);
    this.#view.replace({ documents: documentMap, tokens: tokenMap });
  }

  #apply(message: string): void {
    let announcement: Partial<{ doc: unknown; at: unknown; jti: unknown; expiresAt: unknown }>;
    try {
      announcement = JSON.parse(message) as typeof announcement;
    } catch {
      return;
    }
    if (typeof announcement.doc === 'string' && typeof announcement.at === 'number') this.#view.addDocument(announcement.doc, announcement.at);
    if (typeof announcement.jti === 'string' && typeof announcement.expiresAt === 'number') this.#view.addToken(announcement.jti, announcement.expiresAt);
  }
}
