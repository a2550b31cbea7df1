// The signing keys a server uses, by key id: the newest signs, every key in the set verifies, and
// the set lives in the store so every instance sees a rotation. A token signed before a rotation
// keeps verifying until its key is retired; a retired key stops verifying everywhere.
//
// Instances learn of a change when the store announces it (Redis), when a token names a key id
// they do not know (at most one reload a second), and every `reloadIntervalMs` regardless.
import { KeyObject } from 'node:crypto';
import type { CryptoKey, JWK } from 'jose';
import { SIGNING_ALGORITHM, fromStoredKey, generateSigningKeys, toStoredKey, type SigningKeys, type StoredSigningKey } from './signing-keys.ts';
import type { SharedStore, SigningKeyStore } from './store/shared-store.ts';

/** What a key looks like from outside: never its private part. */
export interface SigningKeyInfo {
  kid: string;
  /** When it was made (ms since 1970). */
  createdAt: number;
  /** The key new tokens are signed with. */
  signing: boolean;
}

/** A JWKS document (RFC 7517 §5): the public keys, for services that verify our tokens. */
export interface JsonWebKeySet {
  keys: JWK[];
}

export interface SigningKeyRingOptions {
  /** The first key of an empty set; default: a new one. Pass `loadOrCreateSigningKeys(dataDir)` to keep an existing key. */
  first?: () => Promise<SigningKeys>;
  /** How often the set is read again whatever happened; default 60 s. */
  reloadIntervalMs?: number;
}

/** A token naming an unknown key id reloads the set at most this often. */
const UNKNOWN_KID_RELOAD_MS = 1000;

interface RingKey {
  info: StoredSigningKey;
  keys: SigningKeys;
}

export class SigningKeyRing {
  #keys: RingKey[] = [];
  #lastUnknownKidReload = 0;
  #reloading: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly store: SigningKeyStore | null,
    private readonly first: () => Promise<SigningKeys>,
  ) {}

  /** A ring over the store's key set (creating its first key when it has none). */
  static async open(store: SharedStore | SigningKeyStore, options: SigningKeyRingOptions = {}): Promise<SigningKeyRing> {
    const keyStore = 'load' in store ? store : store.signingKeys;
    if (!keyStore) throw new TypeError('this store keeps no signing keys');
    const ring = new SigningKeyRing(keyStore, options.first ?? generateSigningKeys);
    await ring.reload();
    keyStore.onChange?.(() => void ring.reload().catch(() => {}));
    ring.#timer = setInterval(() => void ring.reload().catch(() => {}), options.reloadIntervalMs ?? 60_000);
    ring.#timer.unref();
    return ring;
  }

  /** One fixed key, no store (what a plain `SigningKeys` option means). */
  static fixed(keys: SigningKeys): SigningKeyRing {
    const ring = new SigningKeyRing(null, async () => keys);
    // Public keys are always extractable; the private half is never needed here.
    const publicJwk = KeyObject.from(keys.publicKey).export({ format: 'jwk' }) as JWK;
    ring.#keys = [{ info: { kid: keys.kid, createdAt: 0, privateJwk: {}, publicJwk }, keys }];
    return ring;
  }

  /** The key new tokens are signed with: the newest. */
  signing(): SigningKeys {
    return this.#keys.at(-1)!.keys;
  }

  /** Whether `kid` is in the set (it verifies). */
  has(kid: string): boolean {
    return this.#keys.some((key) => key.info.kid === kid);
  }

  /** The public key for `kid`, or null; an unknown kid reads the set again first (rate-limited). */
  async verificationKey(kid: string): Promise<CryptoKey | null> {
    const known = this.#find(kid);
    if (known || this.store === null || Date.now() - this.#lastUnknownKidReload < UNKNOWN_KID_RELOAD_MS) return known;
    this.#lastUnknownKidReload = Date.now();
    await this.reload();
    return this.#find(kid);
  }

  /** The public keys as a JWKS document; private parts never leave the ring. */
  jwks(): JsonWebKeySet {
    return {
      keys: this.#keys.map(({ info }) => ({
        kty: info.publicJwk.kty,
        crv: info.publicJwk.crv,
        x: info.publicJwk.x,
        kid: info.kid,
        alg: SIGNING_ALGORITHM,
        use: 'sig',
      })),
    };
  }

  list(): SigningKeyInfo[] {
    const signing = this.signing().kid;
    return this.#keys.map(({ info }) => ({ kid: info.kid, createdAt: info.createdAt, signing: info.kid === signing }));
  }

  /** Adds a new key, which signs from now on (on every instance once it has heard); older keys keep verifying. */
  async rotate(): Promise<SigningKeyInfo> {
    const store = this.#requireStore();
    const keys = await generateSigningKeys();
    const createdAt = Math.max(Date.now(), (this.#keys.at(-1)?.info.createdAt ?? 0) + 1);
    await this.#apply(await store.add(await toStoredKey(keys, createdAt)));
    return { kid: keys.kid, createdAt, signing: this.signing().kid === keys.kid };
  }

  /** Removes a key: tokens signed with it stop verifying. The last key cannot be retired. */
  async retire(kid: string): Promise<boolean> {
    const store = this.#requireStore();
    if (!this.has(kid)) await this.reload();
    if (!this.has(kid)) return false;
    if (this.#keys.length === 1) throw new RangeError('the only signing key cannot be retired: rotate first');
    await this.#apply(await store.remove(kid));
    return true;
  }

  /** Reads the set from the store again (one read at a time). */
  reload(): Promise<void> {
    if (this.store === null) return Promise.resolve();
    const store = this.store;
    this.#reloading ??= (async () => {
      try {
        await this.#apply(await store.load(async () => toStoredKey(await this.first(), Date.now())));
      } finally {
        this.#reloading = null;
      }
    })();
    return this.#reloading;
  }

  /** Stops the periodic reload. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  async #apply(stored: StoredSigningKey[]): Promise<void> {
    if (stored.length === 0) return; // never left without a key: keep the last known set
    const byKid = new Map(this.#keys.map((key) => [key.info.kid, key]));
    const next = await Promise.all(stored.map(async (info) => byKid.get(info.kid) ?? { info, keys: await fromStoredKey(info) }));
    next.sort((a, b) => a.info.createdAt - b.info.createdAt || (a.info.kid < b.info.kid ? -1 : 1));
    this.#keys = next;
  }

  #find(kid: string): CryptoKey | null {
    return this.#keys.find((key) => key.info.kid === kid)?.keys.publicKey ?? null;
  }

  #requireStore(): SigningKeyStore {
    if (this.store === null) throw new TypeError('a fixed signing key cannot be rotated: open the ring over a store');
    return this.store;
  }
}
