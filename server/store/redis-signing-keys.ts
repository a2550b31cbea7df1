// The signing key set in Redis: one hash, kid → stored key (JSON). The first key is written only
// into an empty hash (one Lua step), so instances starting together agree on it. Every change is
// announced on a channel; instances reload the set when they hear it.
//
// The hash holds private keys: protect Redis like a secret store (TLS, ACLs, no shared tenants).
import type { Redis } from 'ioredis';
import type { StoredSigningKey } from '../signing-keys.ts';
import type { SigningKeyStore } from './shared-store.ts';

const CREATE_FIRST = `
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return redis.call('HVALS', KEYS[1])`;

export class RedisSigningKeys implements SigningKeyStore {
  readonly #key: string;
  readonly #channel: string;
  readonly #listeners: Array<() => void> = [];

  constructor(
    private readonly client: Redis,
    subscriber: Redis,
    prefix: string,
  ) {
    this.#key = `${prefix}signing-keys`;
    this.#channel = `${prefix}signing-keys`;
    subscriber.on('message', (channel: string) => {
      if (channel === this.#channel) for (const listener of this.#listeners) listener();
    });
    // What changed while the subscription was down is read back when it is up again.
    subscriber.on('ready', () => {
      for (const listener of this.#listeners) listener();
    });
  }

  /** Subscribes to change announcements. */
  static async open(client: Redis, subscriber: Redis, prefix: string): Promise<RedisSigningKeys> {
    const keys = new RedisSigningKeys(client, subscriber, prefix);
    await subscriber.subscribe(keys.#channel);
    return keys;
  }

  async load(first: () => Promise<StoredSigningKey>): Promise<StoredSigningKey[]> {
    const existing = await this.client.hvals(this.#key);
    if (existing.length > 0) return parse(existing);
    const key = await first();
    return parse((await this.client.eval(CREATE_FIRST, 1, this.#key, key.kid, JSON.stringify(key))) as string[]);
  }

  async add(key: StoredSigningKey): Promise<StoredSigningKey[]> {
    await this.client.multi().hset(this.#key, key.kid, JSON.stringify(key)).publish(this.#channel, 'changed').exec();
    return parse(await this.client.hvals(this.#key));
  }

  async remove(kid: string): Promise<StoredSigningKey[]> {
    await this.client.multi().hdel(this.#key, kid).publish(this.#channel, 'changed').exec();
    return parse(await this.client.hvals(this.#key));
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }
}

function parse(values: string[]): StoredSigningKey[] {
  return values.map((value) => JSON.parse(value) as StoredSigningKey);
}
